"""Backoffice pages for the organisation and the audit trail: content, scope, and query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from exemplar.core.domain.audit import log_action
from exemplar.core.models import AuditEntry
from exemplar.people.enums import PersonStatus, Role
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_unit, make_user

pytestmark = pytest.mark.integration


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- tree ----------------------------------------------------------------------


def test_tree_shows_the_scope_roots_with_headcounts(client, org, office_user, coordinator_a):
    PersonFactory.create_batch(2, unit=org.a1)
    PersonFactory(unit=org.a2, status=PersonStatus.RETIRED)
    PersonFactory(unit=org.b1)
    # The fixture users' own records count too: the office's person sits in ROOT, the coordinator's in A.
    client.force_login(office_user)
    response = client.get(reverse("backoffice:tree"))
    assert response.context["nodes"] == [(org.root, 5, [(org.a, 3, True), (org.b, 1, True)])]
    html = response.content.decode()
    assert org.root.display_name in html
    assert f'id="node-{org.a.pk}"' in html
    assert "3 people" in html

    client.force_login(coordinator_a)
    response = client.get(reverse("backoffice:tree"))
    assert response.context["nodes"] == [(org.a, 3, [(org.a1, 2, False), (org.a2, 0, False)])]
    assert f'id="node-{org.b.pk}"' not in response.content.decode()


def test_children_partial_for_htmx(client, org, office_user):
    PersonFactory(unit=org.a1)
    client.force_login(office_user)
    response = client.get(reverse("backoffice:unit_children", args=[org.a.pk]), headers={"HX-Request": "true"})
    assert response.context["children"] == [(org.a1, 1, False), (org.a2, 0, False)]
    html = response.content.decode()
    assert html.lstrip().startswith('<li class="tree-node"')
    assert "<html" not in html
    assert [f'id="node-{u.pk}"' in html for u in (org.a1, org.a2, org.b1)] == [True, True, False]


# --- unit, person, team ---------------------------------------------------------


def test_unit_page_shows_sub_units_people_and_teams(client, org, office_user):
    here = PersonFactory.create_batch(2, unit=org.a)
    PersonFactory(unit=org.a1)
    lead = here[0]
    team = TeamFactory(unit=org.a, lead=lead)
    add_member(team, lead)
    TeamFactory(unit=org.b)
    client.force_login(office_user)
    response = client.get(reverse("backoffice:unit", args=[org.a.pk]))
    ctx = response.context
    assert ctx["breadcrumbs"] == [org.root]
    assert ctx["children"] == [(org.a1, 1, False), (org.a2, 0, False)]
    assert ctx["headcount"] == 3
    assert list(ctx["page_obj"]) == sorted(here, key=lambda p: p.staff_number)
    assert [(t, t.n_members) for t in ctx["teams"]] == [(team, 1)]
    html = response.content.decode()
    for text in (
        org.a1.display_name,
        here[1].display_name,
        team.display_name,
        reverse("backoffice:person", args=[here[1].pk]),
    ):
        assert text in html


def test_person_page(client, org, office_user):
    person = PersonFactory(unit=org.a1, name="李娜", name_en="Li Na", job_title="设计师")
    team = TeamFactory(unit=org.a, lead=person)
    add_member(team, person, role="技术负责人")
    client.force_login(office_user)
    response = client.get(reverse("backoffice:person", args=[person.pk]))
    assert response.context["person"] == person
    assert response.context["breadcrumbs"] == [org.root, org.a, org.a1]
    assert [m.team for m in response.context["memberships"]] == [team]
    html = response.content.decode()
    for text in ("Li Na", "李娜", person.staff_number, "设计师", "技术负责人", team.display_name):
        assert text in html


def test_team_page_lists_members_across_units(client, org, office_user):
    team = TeamFactory(unit=org.a)
    members = [PersonFactory(unit=org.a1), PersonFactory(unit=org.b1)]
    for m in members:
        add_member(team, m)
    client.force_login(office_user)
    response = client.get(reverse("backoffice:team", args=[team.pk]))
    assert [m.person for m in response.context["memberships"]] == members
    assert response.context["breadcrumbs"] == [org.root, org.a]
    html = response.content.decode()
    assert [m.display_name in html for m in members] == [True, True]


# --- search -----------------------------------------------------------------------


@pytest.fixture
def namesakes(org):
    """The same names in branch A and branch B: a coordinator of A must only find A's."""
    return {
        "a": PersonFactory(unit=org.a1, staff_number="Z100001", name="张伟", name_en="Zhang Wei"),
        "b": PersonFactory(unit=org.b1, staff_number="Z100002", name="张伟", name_en="Zhang Wei"),
        "a_other": PersonFactory(unit=org.a2, staff_number="Y200001", name="王芳", name_en="Wang Fang"),
    }


def _search(client, term, **extra):
    return client.get(reverse("backoffice:people_search"), {"q": term, **extra})


@pytest.mark.parametrize("term", ["张伟", "张", "Zhang Wei", "zhang", "Z1000", "z100002"])
def test_search_finds_only_people_in_scope(client, namesakes, coordinator_a, office_user, term):
    client.force_login(coordinator_a)
    found = list(_search(client, term).context["page_obj"])
    assert found == ([namesakes["a"]] if term != "z100002" else [])

    client.force_login(office_user)
    found = list(_search(client, term).context["page_obj"])
    assert found == ([namesakes["a"], namesakes["b"]] if term != "z100002" else [namesakes["b"]])


def test_search_page_never_shows_out_of_scope_names(client, namesakes, coordinator_a):
    client.force_login(coordinator_a)
    html = _search(client, "Z1000").content.decode()
    assert "Z100001" in html
    assert "Z100002" not in html


def test_search_filters_by_status_and_empty_term_lists_nobody(client, org, namesakes, office_user):
    retired = PersonFactory(unit=org.a1, name="张三", name_en="Zhang San", status=PersonStatus.RETIRED)
    client.force_login(office_user)
    assert list(_search(client, "Zhang", status="retired").context["page_obj"]) == [retired]
    assert _search(client, "   ").context["page_obj"] is None


def test_search_htmx_returns_the_results_partial(client, namesakes, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(reverse("backoffice:people_search"), {"q": "Zhang"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert ("Z100001" in html, "Z100002" in html) == (True, False)


# --- audit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "allowed"), [("auditor_user", True), ("office_user", True), ("coordinator_a", False)]
)
def test_audit_pages_are_for_auditors_and_the_office(client, request, org, user_fixture, allowed):
    user = request.getfixturevalue(user_fixture)
    log_action(None, "exemplar.test.touched", org.a)
    client.force_login(user)
    codes = [
        client.get(reverse("backoffice:audit_log")).status_code,
        client.get(reverse("backoffice:history", args=["people.orgunit", org.a.pk])).status_code,
        client.post(reverse("backoffice:audit_verify")).status_code,
    ]
    assert codes == ([200, 200, 302] if allowed else [403, 403, 403])


def test_audit_log_lists_entries_newest_first_and_filters(client, org, auditor_user):
    first = log_action(None, "exemplar.people.unit_created", org.a)
    second = log_action(auditor_user, "exemplar.test.touched", org.b)
    client.force_login(auditor_user)
    assert list(client.get(reverse("backoffice:audit_log")).context["page_obj"]) == [second, first]
    filtered = client.get(reverse("backoffice:audit_log"), {"action": "exemplar.people."})
    assert list(filtered.context["page_obj"]) == [first]
    assert reverse("backoffice:history", args=["people.orgunit", org.a.pk]) in filtered.content.decode()


def test_object_history_shows_only_that_object(client, org, auditor_user):
    mine = [log_action(None, "exemplar.test.one", org.a1), log_action(None, "exemplar.test.two", org.a1)]
    log_action(None, "exemplar.test.other", org.a2)
    client.force_login(auditor_user)
    response = client.get(reverse("backoffice:history", args=["people.orgunit", org.a1.pk]))
    assert list(response.context["page_obj"]) == mine[::-1]
    assert response.context["object_repr"] == str(org.a1)


def test_object_history_of_unknown_type_is_404(client, org, auditor_user):
    client.force_login(auditor_user)
    assert client.get(reverse("backoffice:history", args=["people.nothing", "1"])).status_code == 404


def test_verify_button_reports_intact_then_broken(client, org, auditor_user):
    for i in range(3):
        log_action(None, "exemplar.test.step", org.a, {"i": i})
    client.force_login(auditor_user)
    response = client.post(reverse("backoffice:audit_verify"), follow=True)
    assert response.redirect_chain == [(reverse("backoffice:audit_log"), 302)]
    assert _messages(response) == ["Audit chain intact: 3 entries checked."]

    AuditEntry.objects.filter(seq=2).update(data={"i": 99})
    response = client.post(reverse("backoffice:audit_verify"), follow=True)
    assert _messages(response) == ["Audit chain broken at entry #2: it was edited."]

    AuditEntry.objects.filter(seq=2).delete()
    response = client.post(reverse("backoffice:audit_verify"), follow=True)
    assert _messages(response) == ["Audit chain broken at entry #2: it was deleted."]


# --- query counts: each list view costs the same at 1 and at 3 items ---------------


def _scope(org, n: int):
    """A coordinator over a unit Q with ``n`` sub-units, each with a person and a sub-sub-unit."""
    q = make_unit("Q", org.root)
    for i in range(n):
        child = make_unit(f"Q{i}", q)
        PersonFactory(unit=child)
        make_unit(f"Q{i}-X", child)
        PersonFactory(unit=q)
    user = make_user("q_coord")
    grant(user, Role.UNIT_COORDINATOR, q)
    return q, user


def _measure(client, django_assert_num_queries, count: int, url: str, **kwargs):
    client.get(url, **kwargs)  # warm process-wide caches (content types) so the count is the view's own
    with django_assert_num_queries(count):
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("item_count", [1, 3])
def test_tree_query_count(client, org, django_assert_num_queries, item_count):
    _q, user = _scope(org, item_count)
    client.force_login(user)
    response = _measure(client, django_assert_num_queries, 11, reverse("backoffice:tree"))
    assert len(response.context["nodes"][0][2]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_children_partial_query_count(client, org, django_assert_num_queries, item_count):
    q, user = _scope(org, item_count)
    client.force_login(user)
    response = _measure(
        client,
        django_assert_num_queries,
        8,
        reverse("backoffice:unit_children", args=[q.pk]),
        headers={"HX-Request": "true"},
    )
    assert len(response.context["children"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_unit_page_query_count(client, org, django_assert_num_queries, item_count):
    q, user = _scope(org, item_count)
    for i in range(item_count):
        team = TeamFactory(unit=q, lead=PersonFactory(unit=q, name=f"队长{i}"))
        add_member(team, team.lead)
    client.force_login(user)
    response = _measure(client, django_assert_num_queries, 16, reverse("backoffice:unit", args=[q.pk]))
    assert (len(response.context["page_obj"]), len(response.context["teams"])) == (2 * item_count, item_count)


@pytest.mark.parametrize("item_count", [1, 3])
def test_search_query_count(client, org, django_assert_num_queries, item_count, coordinator_a):
    for i in range(item_count):
        PersonFactory(unit=[org.a1, org.a2][i % 2], name=f"赵敏{i}", name_en=f"Zhao Min {i}")
    client.force_login(coordinator_a)
    response = _measure(client, django_assert_num_queries, 9, reverse("backoffice:people_search") + "?q=Zhao")
    assert len(response.context["page_obj"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_audit_log_query_count(client, org, django_assert_num_queries, item_count, auditor_user):
    targets = [org.a, org.b1, auditor_user]
    for i in range(item_count):
        log_action(auditor_user, "exemplar.test.step", targets[i], {"i": i})
    client.force_login(auditor_user)
    response = _measure(client, django_assert_num_queries, 10, reverse("backoffice:audit_log"))
    assert len(response.context["page_obj"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_object_history_query_count(client, org, django_assert_num_queries, item_count, auditor_user):
    for i in range(item_count):
        log_action(auditor_user, "exemplar.test.step", org.a1, {"i": i})
    client.force_login(auditor_user)
    url = reverse("backoffice:history", args=["people.orgunit", org.a1.pk])
    response = _measure(client, django_assert_num_queries, 9, url)
    assert len(response.context["page_obj"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_team_members_query_count(client, org, django_assert_num_queries, item_count, office_user):
    team = TeamFactory(unit=org.a)
    units = [org.a1, org.b1, org.root]
    for i in range(item_count):
        add_member(team, PersonFactory(unit=units[i]), role=f"role {i}")
    team.lead = team.members.first()
    team.save()
    client.force_login(office_user)
    response = _measure(client, django_assert_num_queries, 11, reverse("backoffice:team", args=[team.pk]))
    assert len(response.context["memberships"]) == item_count
