"""The demo programme: Aerospace Role Models 2026, set up through the office's own writers and open for nominations."""

from __future__ import annotations

import itertools
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from exemplar.core.domain.audit import verify_chain
from exemplar.people.domain.demo import load_demo
from exemplar.people.models import User
from exemplar.programmes.domain.queries import next_move, rubric_of
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Programme

pytestmark = pytest.mark.integration


@pytest.fixture
def demo_org(db):
    load_demo()


def test_the_demo_programme_is_set_up_and_open_for_nominations(demo_org):
    out = StringIO()
    call_command("load_demo_programme", stdout=out)
    programme = Programme.objects.get()

    assert (programme.name, programme.name_en, programme.year) == (
        "2026年度“航天榜样”评选表彰",
        "Aerospace Role Models 2026",
        2026,
    )
    assert programme.current_phase.kind == PhaseKind.NOMINATION
    assert programme.current_phase.can_nominate
    assert list(programme.categories.values_list("code", "kind", "seats", "min_service_years")) == [
        ("individual", "individual", 2, 3),
        ("team", "collective", 8, 3),
    ]
    assert (
        list(programme.categories.values_list("require_active", "disciplinary_window_years", "honour_window_years"))
        == [(True, 3, 3)] * 2
    )
    assert [(line.criterion.name_en, line.share, len(line.levels)) for line in rubric_of(programme)] == [
        ("Dedication", Decimal("30.0"), 5),
        ("Innovation and breakthroughs", Decimal("30.0"), 5),
        ("Quality (“zero defect”)", Decimal("20.0"), 5),
        ("Teamwork and culture", Decimal("20.0"), 5),
    ]
    assert all(lv.descriptor and lv.descriptor_en for line in rubric_of(programme) for lv in line.levels)
    assert list(
        programme.composition_rules.order_by("pk").values_list("category__code", "value", "kind", "threshold")
    ) == [
        (None, "management", "at_most_share", Decimal(20)),
        ("individual", "front_line", "at_least_count", Decimal(1)),
    ]
    vetting = User.objects.get(username="vetting")
    assert [(d.name, list(d.members.all())) for d in programme.vetting_departments.order_by("order")] == [
        ("纪检监察", [vetting]),
        ("人力资源", [vetting]),
        ("安全生产", [vetting]),
    ]
    # Windows are placed around the day the demo is loaded: nominations open now.
    phases = list(programme.phases.order_by("order"))
    nomination = next(p for p in phases if p.kind == "nomination")
    assert nomination.starts_at < timezone.now() < nomination.ends_at
    assert all(a.ends_at < b.starts_at for a, b in itertools.pairwise(phases))
    # Nothing blocks a move yet but the candidates: none has been nominated.
    assert [b.code for b in next_move(programme).blockers] == ["candidates.too_few", "candidates.too_few"]
    assert verify_chain().ok


def test_the_command_loads_once(demo_org):
    call_command("load_demo_programme", stdout=StringIO())
    out = StringIO()
    call_command("load_demo_programme", "--if-empty", stdout=out)
    assert (out.getvalue().strip(), Programme.objects.count()) == ("A programme is already present; nothing loaded.", 1)
    with pytest.raises(CommandError):
        call_command("load_demo_programme", stdout=StringIO())


def test_the_command_needs_the_demo_organisation(db):
    with pytest.raises(CommandError):
        call_command("load_demo_programme", stdout=StringIO())
