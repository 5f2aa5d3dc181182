"""Programme pages in the backoffice: list, dashboard with timeline and phase control, set-up pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from exemplar.core.models import AuditEntry
from exemplar.nominations.domain.nominations import create_nomination, submit_nomination
from exemplar.people.enums import Role
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import Category, Programme
from tests.factories.people import PersonFactory, grant, make_user
from tests.factories.programmes import make_programme, set_phase

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(office_user):
    return make_programme(office_user, phase=PhaseKind.SETUP)


@pytest.fixture
def vetter(org):
    user = make_user("vetter", person=PersonFactory(unit=org.root, name="审核人", name_en="Vera Vetter"))
    grant(user, Role.VETTING, org.root)
    return user


def manage_urls(programme: Programme) -> list[str]:
    category = programme.categories.first()
    criterion = programme.criteria.first()
    phase = programme.phases.get(kind=PhaseKind.REVIEW)
    department = programme.vetting_departments.first()
    p = programme.pk
    return [
        reverse("backoffice:programme_new"),
        reverse("backoffice:programme_edit", args=[p]),
        reverse("backoffice:programme_copy", args=[p]),
        reverse("backoffice:programme_advance", args=[p]),
        reverse("backoffice:programme_category_add", args=[p]),
        reverse("backoffice:programme_category", args=[p, category.pk]),
        reverse("backoffice:programme_criterion_add", args=[p]),
        reverse("backoffice:programme_criterion", args=[p, criterion.pk]),
        reverse("backoffice:programme_rule_add", args=[p]),
        reverse("backoffice:programme_phase", args=[p, phase.pk]),
        reverse("backoffice:programme_department_add", args=[p]),
        reverse("backoffice:programme_department", args=[p, department.pk]),
    ]


def manage_posts(programme: Programme) -> list[str]:
    p = programme.pk
    return [
        reverse("backoffice:programme_step_back", args=[p]),
        reverse("backoffice:programme_phase_add", args=[p]),
        reverse("backoffice:programme_category_delete", args=[p, programme.categories.first().pk]),
        reverse("backoffice:programme_criterion_delete", args=[p, programme.criteria.first().pk]),
        reverse("backoffice:programme_phase_delete", args=[p, programme.phases.get(kind=PhaseKind.ELECTION).pk]),
        reverse("backoffice:programme_department_delete", args=[p, programme.vetting_departments.first().pk]),
    ]


def view_urls(programme: Programme) -> list[str]:
    p = programme.pk
    return [
        reverse("backoffice:programmes"),
        reverse("backoffice:programme", args=[p]),
        reverse("backoffice:programme_categories", args=[p]),
        reverse("backoffice:programme_rubric", args=[p]),
        reverse("backoffice:programme_composition", args=[p]),
        reverse("backoffice:programme_phases", args=[p]),
        reverse("backoffice:programme_vetting", args=[p]),
    ]


def timeline_of(html: str) -> list[tuple[str, str]]:
    """(stage, phase name) of each timeline entry, in page order."""
    return re.findall(r'<li class="stage-(\w+)"[^>]*>\s*<span class="phase-name">([^<]+)</span>', html)


# Who may do what ------------------------------------------------------------


def test_coordinators_and_employees_cannot_edit_and_nothing_changes(client, programme, coordinator_a, employee_user):
    before = AuditEntry.objects.count()
    for user in (coordinator_a, employee_user):
        client.force_login(user)
        assert [client.get(url).status_code for url in manage_urls(programme)] == [403] * 12, user
        assert [
            client.post(url, {"reason": "x", "kind": "election"}).status_code for url in manage_posts(programme)
        ] == [403] * 6
    assert AuditEntry.objects.count() == before
    assert programme.categories.count() == 2


def test_staff_read_the_programme_pages_and_employees_do_not(client, programme, coordinator_a, employee_user):
    client.force_login(coordinator_a)
    responses = [client.get(url) for url in view_urls(programme)]
    assert [r.status_code for r in responses] == [200] * 7
    # Read-only: no edit controls for a coordinator.
    assert all(b"Add a category" not in r.content and "Edit" not in r.content.decode() for r in responses[2:3])
    assert "programme_copy" not in responses[0].content.decode()
    client.force_login(employee_user)
    assert [client.get(url).status_code for url in view_urls(programme)] == [403] * 7


def test_only_the_office_and_auditors_see_counts_that_include_private_drafts(
    client, org, programme, *, coordinator_a, auditor_user, office_user
):
    set_phase(programme, PhaseKind.NOMINATION)
    _draft(programme, org, coordinator_a)
    url = reverse("backoffice:programme", args=[programme.pk])
    seen = {}
    for user in (coordinator_a, auditor_user, office_user):
        client.force_login(user)
        counts = client.get(url).context.get("state_counts")
        seen[user.username] = counts and {state.value: n for state, _, n in counts}["draft"]
    assert seen == {"coord_a": None, "auditor": 1, "office": 1}


def test_anonymous_visitors_go_to_sign_in(client, programme):
    response = client.get(reverse("backoffice:programme", args=[programme.pk]))
    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("login"))


# The office sets a programme up --------------------------------------------


def test_office_creates_a_programme_and_sees_its_timeline(client, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("backoffice:programme_new"),
        {
            "name": "2027年度榜样",
            "name_en": "Role Models 2027",
            "year": "2027",
            "description": "",
            "description_en": "",
            "joint_nomination_size": "10",
        },
    )
    programme = Programme.objects.get()
    assert (response.status_code, response.url) == (302, programme.get_absolute_url())

    page = client.get(response.url).content.decode()
    assert timeline_of(page) == [("current", "Set-up")] + [("upcoming", str(label)) for label in PhaseKind.labels[1:]]
    assert 'aria-current="step"' in page
    assert AuditEntry.objects.filter(action="exemplar.programmes.created").count() == 1


def test_the_timeline_marks_past_current_and_upcoming_phases_with_windows(client, office_user, programme):
    set_phase(programme, PhaseKind.SCREENING)
    phase = programme.phases.get(kind=PhaseKind.SCREENING)
    phase.starts_at, phase.ends_at = datetime(2026, 4, 13, 1, tzinfo=UTC), datetime(2026, 4, 24, 9, 30, tzinfo=UTC)
    phase.save()
    client.force_login(office_user)
    page = client.get(reverse("backoffice:programme", args=[programme.pk])).content.decode()
    assert [stage for stage, _ in timeline_of(page)] == ["past", "past", "current"] + ["upcoming"] * 7
    # Shown in the site's time zone (Asia/Shanghai).
    assert "2026-04-13 09:00" in page
    assert "2026-04-24 17:30" in page
    assert "style=" not in page
    assert "<script>" not in page


def test_office_edits_the_programme_details(client, office_user, programme):
    client.force_login(office_user)
    response = client.post(
        reverse("backoffice:programme_edit", args=[programme.pk]),
        {"name": "新名称", "name_en": "New name", "year": "2026", "joint_nomination_size": "5"},
    )
    programme.refresh_from_db()
    assert (response.status_code, programme.name, programme.joint_nomination_size) == (302, "新名称", 5)


def test_office_adds_and_edits_a_category_with_its_eligibility(client, office_user, programme):
    client.force_login(office_user)
    data = {
        "code": "young",
        "name": "青年榜样",
        "name_en": "Young role model",
        "kind": "individual",
        "seats": "3",
        "order": "3",
        "reviewers_per_nomination": "3",
        "min_service_years": "3",
        "require_active": "on",
        "disciplinary_window_years": "3",
        "honour_window_years": "",
    }
    response = client.post(reverse("backoffice:programme_category_add", args=[programme.pk]), data)
    assert response.url == reverse("backoffice:programme_categories", args=[programme.pk])
    category = Category.objects.get(code="young")
    assert (category.seats, category.min_service_years, category.honour_window_years) == (3, 3, None)

    client.post(reverse("backoffice:programme_category", args=[programme.pk, category.pk]), {**data, "seats": "5"})
    category.refresh_from_db()
    assert category.seats == 5

    page = client.get(reverse("backoffice:programme_categories", args=[programme.pk])).content.decode()
    assert "at least 3 years of service" in page
    assert "no disciplinary record within 3 years" in page


def test_a_refused_category_is_shown_on_the_form_and_nothing_changes(client, office_user, programme):
    client.force_login(office_user)
    response = client.post(
        reverse("backoffice:programme_category_add", args=[programme.pk]),
        {
            "code": "team",
            "name": "重复",
            "kind": "collective",
            "seats": "1",
            "order": "0",
            "reviewers_per_nomination": "3",
        },
    )
    assert response.status_code == 200
    assert "Another category of this programme has the code team." in response.content.decode()
    assert programme.categories.count() == 2


def test_office_adds_a_criterion_with_its_levels_and_sees_its_share(client, office_user, programme):
    client.force_login(office_user)
    url = reverse("backoffice:programme_criterion_add", args=[programme.pk])
    form = client.get(url)
    assert form.context["form"].levels.total_form_count() == 6  # five levels to describe and a spare row
    data = {
        "name": "安全",
        "name_en": "Safety",
        "weight": "25",
        "order": "9",
        "levels-TOTAL_FORMS": "3",
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "10",
        "levels-0-score": "2",
        "levels-0-descriptor": "好",
        "levels-0-descriptor_en": "Good",
        "levels-1-score": "1",
        "levels-1-descriptor": "差",
        "levels-1-descriptor_en": "Poor",
        "levels-2-score": "",
        "levels-2-descriptor": "",
        "levels-2-descriptor_en": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    criterion = programme.criteria.get(name="安全")
    assert list(criterion.levels.values_list("score", "descriptor", "descriptor_en")) == [
        (2, "好", "Good"),
        (1, "差", "Poor"),
    ]
    page = client.get(reverse("backoffice:programme_rubric", args=[programme.pk])).content.decode()
    assert "20.0 % of the total (weight 25.00)" in page  # 25 of 125


def test_office_adds_a_composition_rule(client, office_user, programme):
    client.force_login(office_user)
    individual = programme.categories.get(code="individual")
    response = client.post(
        reverse("backoffice:programme_rule_add", args=[programme.pk]),
        {
            "category": str(individual.pk),
            "kind": "at_least_count",
            "threshold": "1",
            "attribute": "staff_category",
            "value": "front_line",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("backoffice:programme_composition", args=[programme.pk])).content.decode()
    assert "at least this many <strong>1</strong>" in page
    assert "Staff category: Front-line worker" in page

    wrong = client.post(
        reverse("backoffice:programme_rule_add", args=[programme.pk]),
        {"category": "", "kind": "at_most_share", "threshold": "20", "attribute": "gender", "value": "management"},
    )
    assert "That value does not belong to the chosen attribute." in wrong.content.decode()
    assert programme.composition_rules.count() == 1


def test_office_sets_a_phase_window_flags_and_ratio(client, office_user, programme):
    client.force_login(office_user)
    phase = programme.phases.get(kind=PhaseKind.NOMINATION)
    response = client.post(
        reverse("backoffice:programme_phase", args=[programme.pk, phase.pk]),
        {
            "starts_at": "2026-03-02T09:00",
            "ends_at": "2026-04-10T17:30",
            "min_candidates_per_seat": "2",
            "can_nominate": "on",
        },
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert (phase.starts_at, phase.min_candidates_per_seat, phase.can_nominate, phase.can_endorse) == (
        datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        Decimal(2),
        True,
        False,
    )


def test_office_removes_and_puts_back_an_optional_phase(client, office_user, programme):
    client.force_login(office_user)
    election = programme.phases.get(kind=PhaseKind.ELECTION)
    client.post(reverse("backoffice:programme_phase_delete", args=[programme.pk, election.pk]))
    assert not programme.phases.filter(kind=PhaseKind.ELECTION).exists()
    page = client.get(reverse("backoffice:programme_phases", args=[programme.pk]))
    assert [k for k, _ in page.context["add_form"].fields["kind"].choices] == ["election"]
    client.post(reverse("backoffice:programme_phase_add", args=[programme.pk]), {"kind": "election"})
    assert programme.phases.filter(kind=PhaseKind.ELECTION).exists()


def test_office_names_signatories_for_a_department(client, office_user, programme, vetter, coordinator_a):
    client.force_login(office_user)
    url = reverse("backoffice:programme_department_add", args=[programme.pk])
    choices = [label for _, label in client.get(url).context["form"].fields["members"].choices]
    assert choices == ["vetter — Vera Vetter"]  # only holders of the vetting role
    response = client.post(url, {"name": "审计", "name_en": "Audit", "order": "4", "members": [str(vetter.pk)]})
    assert response.status_code == 302
    department = programme.vetting_departments.get(name="审计")
    assert list(department.members.all()) == [vetter]
    page = client.get(reverse("backoffice:programme_vetting", args=[programme.pk])).content.decode()
    assert "vetter · Vera Vetter" in page


def test_office_copies_a_programme_to_next_year(client, office_user, programme):
    client.force_login(office_user)
    form = client.get(reverse("backoffice:programme_copy", args=[programme.pk]))
    assert form.context["form"].initial == {"year": 2027}
    response = client.post(reverse("backoffice:programme_copy", args=[programme.pk]), {"year": "2027"})
    copy = Programme.objects.get(year=2027)
    assert (response.url, copy.copied_from, copy.categories.count()) == (copy.get_absolute_url(), programme, 2)


# Moving between phases -------------------------------------------------------


def _draft(programme, org, coordinator):
    return create_nomination(
        programme=programme,
        category=programme.categories.get(code="individual"),
        unit=org.a,
        person=PersonFactory(unit=org.a),
        title="t",
        deeds="d",
        actor=coordinator,
    )


def test_the_advance_page_lists_blockers_and_the_move_is_refused(client, org, office_user, coordinator_a, programme):
    set_phase(programme, PhaseKind.NOMINATION)
    _draft(programme, org, coordinator_a)
    client.force_login(office_user)
    url = reverse("backoffice:programme_advance", args=[programme.pk])

    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert re.findall(r"<li>([^<]+)</li>", partial.split('class="blockers"')[1].split("</ul>")[0]) == [
        "1 nomination is still a draft or returned to its unit."
    ]
    assert "Move on to" not in partial

    before = AuditEntry.objects.count()
    response = client.post(url, {"from_kind": "nomination"})
    programme.refresh_from_db()
    assert (programme.current_phase.kind, AuditEntry.objects.count()) == (PhaseKind.NOMINATION, before)
    assert "cannot move on to “Screening” yet: 1 thing stands in the way." in response.content.decode()


def test_the_office_moves_on_when_nothing_blocks(client, org, office_user, coordinator_a, programme):
    set_phase(programme, PhaseKind.NOMINATION)
    submit_nomination(_draft(programme, org, coordinator_a), actor=coordinator_a)
    client.force_login(office_user)
    url = reverse("backoffice:programme_advance", args=[programme.pk])
    assert "Nothing stands in the way." in client.get(url).content.decode()

    response = client.post(url, {"from_kind": "nomination"})

    programme.refresh_from_db()
    assert (response.url, programme.current_phase.kind) == (programme.get_absolute_url(), PhaseKind.SCREENING)
    assert AuditEntry.objects.order_by("-seq").first().action == "exemplar.programmes.phase_advanced"
    # A second click on the old page does not skip screening.
    client.post(url, {"from_kind": "nomination"})
    programme.refresh_from_db()
    assert programme.current_phase.kind == PhaseKind.SCREENING


def test_the_office_steps_back_with_a_reason(client, office_user, programme):
    set_phase(programme, PhaseKind.NOMINATION)
    client.force_login(office_user)
    url = reverse("backoffice:programme_step_back", args=[programme.pk])
    client.post(url, {"reason": ""})
    programme.refresh_from_db()
    assert programme.current_phase.kind == PhaseKind.NOMINATION
    client.post(url, {"reason": "Categories need another look"})
    programme.refresh_from_db()
    assert programme.current_phase.kind == PhaseKind.SETUP


# Query counts ----------------------------------------------------------------


def _measure(client, django_assert_num_queries, count: int, url: str, **kwargs):
    client.get(url, **kwargs)  # warm process-wide caches (content types)
    with django_assert_num_queries(count):
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("item_count", [1, 3])
def test_programme_list_query_count(client, office_user, django_assert_num_queries, item_count):
    for year in range(2026, 2026 + item_count):
        make_programme(office_user, year=year)
    client.force_login(office_user)
    response = _measure(client, django_assert_num_queries, 8, reverse("backoffice:programmes"))
    assert [p.year for p in response.context["programmes"]] == list(range(2025 + item_count, 2025, -1))


@pytest.fixture
def nominated(org, coordinator_a):
    """Submits a nomination from unit A: it reaches the office at once."""

    def nominate(programme):
        submit_nomination(_draft(programme, org, coordinator_a), actor=coordinator_a)

    return nominate


@pytest.mark.parametrize("item_count", [1, 3])
def test_dashboard_query_count(client, office_user, nominated, django_assert_num_queries, item_count):
    programme = make_programme(office_user, phase=PhaseKind.NOMINATION)
    for i in range(item_count):
        Category.objects.create(programme=programme, code=f"extra-{i}", name=f"类别{i}", kind="individual", seats=1)
        nominated(programme)
    client.force_login(office_user)
    response = _measure(client, django_assert_num_queries, 12, reverse("backoffice:programme", args=[programme.pk]))
    candidates = {row["category"].code: row["candidates"] for row in response.context["categories"]}
    assert (len(candidates), candidates["individual"]) == (2 + item_count, item_count)
