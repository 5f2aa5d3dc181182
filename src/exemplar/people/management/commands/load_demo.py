from django.core.management.base import BaseCommand, CommandError, CommandParser

from exemplar.people.domain.demo import load_demo
from exemplar.people.models import OrgUnit


class Command(BaseCommand):
    help = "Load the deterministic demo organisation (Aurora Aerospace Group) and its demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when units already exist.")

    def handle(self, *args: object, **options: object) -> None:
        if OrgUnit.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demo organisation already present; nothing loaded.")
                return
            msg = "The database already holds an organisation; the demo loads only into an empty one."
            raise CommandError(msg)
        summary = load_demo()
        self.stdout.write(
            f"Loaded the demo: {summary.units} units, {summary.people} people, {summary.teams} teams, "
            f"{summary.accounts} accounts."
        )
