"""The demo organisation: its shape, its determinism, and the idempotent `load_demo --if-empty`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count

from exemplar.core.domain.audit import verify_chain
from exemplar.core.models import AuditEntry
from exemplar.people.domain import tree
from exemplar.people.domain.demo import DEMO_PASSWORD, load_demo
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import OrgUnit, Person, RoleGrant, Team, TeamMembership, User

pytestmark = pytest.mark.integration


def _snapshot() -> dict[str, list[tuple]]:
    """What the demo looks like, without database ids (which differ between databases)."""
    return {
        "units": list(OrgUnit.objects.order_by("code").values_list("code", "name", "name_en", "parent__code", "depth")),
        "people": list(
            Person.objects.order_by("staff_number").values_list(
                "staff_number",
                "name",
                "name_en",
                "gender",
                "birth_date",
                "hire_date",
                "unit__code",
                "status",
                "job_title",
            )
        ),
        "teams": list(Team.objects.order_by("code").values_list("code", "name", "unit__code", "lead__staff_number")),
        "members": list(
            TeamMembership.objects.order_by("team__code", "person__staff_number").values_list(
                "team__code", "person__staff_number", "role"
            )
        ),
        "accounts": list(
            RoleGrant.objects.order_by("user__username").values_list(
                "user__username", "role", "unit__code", "user__person__staff_number"
            )
        ),
    }


def _load_in_a_fresh_database() -> dict[str, list[tuple]]:
    """Load the demo inside a savepoint, take its snapshot, and roll it back: a fresh database each time."""
    with transaction.atomic():
        assert not OrgUnit.objects.exists()
        load_demo()
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def demo(db):
    return load_demo()


def test_demo_shape(demo):
    assert (demo.units, demo.teams, demo.accounts) == (49, 60, 8)
    assert 1900 <= demo.people <= 2100
    assert (OrgUnit.objects.count(), Person.objects.count(), Team.objects.count()) == (
        demo.units,
        demo.people,
        demo.teams,
    )
    by_depth = dict(OrgUnit.objects.values_list("depth").annotate(n=Count("pk")).order_by("depth"))
    assert by_depth == {0: 1, 1: 8, 2: 40}


def test_demo_tree_paths_are_consistent(demo):
    for unit in OrgUnit.objects.select_related("parent"):
        expected = tree.child_path(unit.parent.path if unit.parent else "", unit.pk)
        assert (unit.path, unit.depth) == (expected, tree.depth_of(expected)), unit.code


def test_demo_has_one_account_per_role(demo):
    roles = sorted(RoleGrant.objects.values_list("role", flat=True).distinct())
    assert roles == sorted(Role.values)
    usernames = list(User.objects.order_by("username").values_list("username", flat=True))
    assert usernames == sorted(
        ["office", "coordinator", "coordinator2", "reviewer", "committee", "vetting", "auditor", "employee"]
    )
    # Every account is an active employee of the unit it was granted, and signs in with the demo password.
    for user in User.objects.select_related("person"):
        grant = user.grants.get()
        assert (user.person.status, user.person.unit_id) == (PersonStatus.ACTIVE, grant.unit_id), user.username
        assert user.check_password(DEMO_PASSWORD)


def test_demo_teams_have_active_members_from_their_unit(demo):
    for team in Team.objects.prefetch_related("members"):
        members = list(team.members.all())
        assert 4 <= len(members) <= 12, team.code
        assert {m.unit_id for m in members} == {team.unit_id}, team.code
        assert {m.status for m in members} == {PersonStatus.ACTIVE}, team.code
        assert team.lead in members


def test_demo_loading_is_audited(demo):
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_repr) == ("exemplar.people.demo_loaded", str(OrgUnit.objects.get(depth=0)))
    assert verify_chain().ok


def test_demo_is_deterministic(db):
    first = _load_in_a_fresh_database()
    second = _load_in_a_fresh_database()
    assert len(first["people"]) > 1900
    assert first == second


def test_load_demo_if_empty_is_a_no_op_the_second_time(db):
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert out.getvalue().startswith("Loaded the demo: 49 units")
    before = _snapshot()
    entries = AuditEntry.objects.count()

    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert out.getvalue() == "Demo organisation already present; nothing loaded.\n"
    assert (_snapshot(), AuditEntry.objects.count()) == (before, entries)


def test_load_demo_refuses_a_database_with_an_organisation(org):
    with pytest.raises(CommandError, match="already holds an organisation"):
        call_command("load_demo", stdout=StringIO())
    assert OrgUnit.objects.count() == 6
