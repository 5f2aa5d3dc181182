from django.core.management.base import BaseCommand, CommandError

from exemplar.core.domain.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first edited or deleted entry."

    def handle(self, *args: object, **options: object) -> None:
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"Audit chain intact: {report.checked} entries, head #{report.head_seq}.")
            return
        problem = report.problem
        assert problem is not None
        msg = f"Audit chain broken at entry #{problem.seq} ({problem.kind}): {problem.detail}."
        raise CommandError(msg)
