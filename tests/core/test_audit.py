import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exemplar.core.domain.audit import PendingEntry, log_action, log_many, verify_chain
from exemplar.core.models import AuditEntry

pytestmark = pytest.mark.integration


def test_entries_chain_and_verify(org, office_user):
    first = log_action(office_user, "exemplar.test.one", org.a, {"n": 1})
    second = log_action(None, "exemplar.test.two", org.b, {"n": 2})
    assert second.prev_hash == first.hash
    assert [first.seq, second.seq] == [1, 2]
    report = verify_chain()
    assert (report.ok, report.checked) == (True, 2)


def test_log_many_matches_log_action_chain(org, office_user):
    log_action(office_user, "exemplar.test.one", org.a)
    log_many(
        office_user,
        [PendingEntry("exemplar.test.bulk", org.a1, {"k": "v"}), PendingEntry("exemplar.test.bulk", org.a2)],
    )
    log_action(office_user, "exemplar.test.after", org.b)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert verify_chain().ok


def test_edited_entry_is_reported(org, office_user):
    for i in range(5):
        log_action(office_user, "exemplar.test.step", org.a, {"i": i})
    AuditEntry.objects.filter(seq=3).update(data={"i": 99})
    report = verify_chain()
    assert (report.problem.seq, report.problem.kind) == (3, "edited")
    with pytest.raises(CommandError, match="entry #3 \\(edited\\)"):
        call_command("verify_audit")


def test_deleted_entry_is_reported(org, office_user):
    for i in range(5):
        log_action(office_user, "exemplar.test.step", org.a, {"i": i})
    AuditEntry.objects.filter(seq=2).delete()
    report = verify_chain()
    assert (report.problem.seq, report.problem.kind) == (2, "deleted")


def test_deleted_tail_is_reported(org, office_user):
    for i in range(4):
        log_action(office_user, "exemplar.test.step", org.a, {"i": i})
    AuditEntry.objects.filter(seq=4).delete()
    report = verify_chain()
    assert (report.problem.seq, report.problem.kind) == (4, "deleted")


def test_rehashed_edit_still_breaks_the_next_link(org, office_user):
    """A forger who recomputes the edited entry's own hash still breaks the chain after it."""
    from exemplar.core.domain.audit import _recompute

    for i in range(3):
        log_action(office_user, "exemplar.test.step", org.a, {"i": i})
    entry = AuditEntry.objects.get(seq=2)
    entry.data = {"i": 42}
    entry.hash = _recompute(entry)
    entry.save()
    report = verify_chain()
    assert (report.problem.seq, report.problem.kind) == (3, "edited")


def test_verify_command_reports_intact_chain(org, office_user, capsys):
    log_action(office_user, "exemplar.test.one", org.a)
    call_command("verify_audit")
    assert "Audit chain intact: 1 entries" in capsys.readouterr().out
