"""The quota page: table, apportion form, inline hand edits over htmx, XLSX export, permissions, query counts."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from exemplar.core.models import AuditEntry
from exemplar.people.enums import Role
from exemplar.programmes.domain.quotas import apportion_quotas
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.models import UnitQuota
from tests.factories.people import PersonFactory, grant, make_unit, make_user
from tests.factories.programmes import make_programme

pytestmark = pytest.mark.integration

HTMX = {"HX-Request": "true"}


@pytest.fixture
def programme(office_user):
    return make_programme(office_user, phase=PhaseKind.SETUP)


@pytest.fixture
def people(org):
    """A1: 4, A2: 2, B1: 3 active people (coordinator_a's own record adds one to A when that fixture is used)."""
    PersonFactory.create_batch(4, unit=org.a1)
    PersonFactory.create_batch(2, unit=org.a2)
    PersonFactory.create_batch(3, unit=org.b1)


@pytest.fixture
def tertiary(org, programme, people, office_user):
    """Quotas at depth 2: A1 3, A2 1, B1 2."""
    apportion_quotas(programme, depth=2, total=6, actor=office_user)
    return programme


def _table(programme):
    return {q.unit.code: (q.allocated, q.used, q.is_manual) for q in programme.quotas.select_related("unit")}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _url(name, programme, *args):
    return reverse(f"backoffice:{name}", args=[programme.pk, *args])


# --- the page -----------------------------------------------------------------


def test_office_sees_every_row_and_the_apportion_form(client, org, tertiary, office_user):
    UnitQuota.objects.filter(unit=org.a1).update(used=2)
    client.force_login(office_user)
    response = client.get(_url("quotas", tertiary))
    rows = response.context["rows"]
    assert [(r.unit.code, r.headcount, r.allocated, r.used, r.remaining, r.is_manual) for r in rows] == [
        ("A1", 4, 3, 2, 1, False),
        ("A2", 2, 1, 0, 1, False),
        ("B1", 3, 2, 0, 2, False),
    ]
    assert (response.context["totals"].allocated, response.context["totals"].remaining) == (6, 4)
    form = response.context["form"]
    assert list(form.fields["depth"].choices) == [(1, "secondary units (depth 1)"), (2, "tertiary units (depth 2)")]
    assert (form["depth"].value(), form["total"].value()) == (2, 6)
    html = response.content.decode()
    for text in (
        "Quotas go to the tertiary units (depth 2); last apportioned total: 6.",
        f'id="quota-{org.a1.pk}"',
        f'hx-post="{_url("quota_edit", tertiary, org.b1.pk)}"',
        _url("quotas_export", tertiary),
        _url("quotas_apportion", tertiary),
    ):
        assert text in html


def test_office_apportions_through_the_form(client, org, programme, people, office_user):
    client.force_login(office_user)
    response = client.post(_url("quotas_apportion", programme), {"depth": "1", "total": "6"}, follow=True)
    assert response.redirect_chain == [(_url("quotas", programme), 302)]
    assert _messages(response) == ["Quotas apportioned: 6 nominations among 2 units."]
    assert _table(programme) == {"A": (4, 0, False), "B": (2, 0, False)}
    assert [(r.unit.code, r.allocated) for r in response.context["rows"]] == [("A", 4), ("B", 2)]


def test_a_refused_apportionment_shows_on_the_form_and_changes_nothing(client, tertiary, office_user):
    client.force_login(office_user)
    before = (_table(tertiary), AuditEntry.objects.count())
    response = client.post(_url("quotas_apportion", tertiary), {"depth": "2", "total": "2"})
    assert response.context["form"].non_field_errors() == [
        "Not enough nominations: 3 units have people and each needs at least one, but only 2 are left to share."
    ]
    assert "but only 2 are left to share" in response.content.decode()
    assert (_table(tertiary), AuditEntry.objects.count()) == before

    response = client.post(_url("quotas_apportion", tertiary), {"depth": "7", "total": "-1"})
    assert sorted(response.context["form"].errors) == ["depth", "total"]
    assert (_table(tertiary), AuditEntry.objects.count()) == before


# --- inline edits -------------------------------------------------------------------


def test_inline_edit_returns_the_row_marked_as_set_by_hand(client, org, tertiary, office_user):
    client.force_login(office_user)
    response = client.post(_url("quota_edit", tertiary, org.b1.pk), {"allocated": "5"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="quota-{org.b1.pk}">')
    assert "<html" not in html
    assert 'value="5"' in html
    assert "set by hand" in html
    assert _table(tertiary)["B1"] == (5, 0, True)
    assert AuditEntry.objects.filter(action="exemplar.programmes.quota_set").get().data == {
        "unit": "B1",
        "old": 2,
        "new": 5,
    }

    response = client.post(_url("quota_unpin", tertiary, org.b1.pk), headers=HTMX)
    assert "set by hand" not in response.content.decode()
    assert _table(tertiary)["B1"] == (5, 0, False)


def test_inline_edit_below_used_shows_the_refusal_in_the_row(client, org, tertiary, office_user):
    UnitQuota.objects.filter(unit=org.a1).update(used=2)
    client.force_login(office_user)
    before = (_table(tertiary), AuditEntry.objects.count())
    response = client.post(_url("quota_edit", tertiary, org.a1.pk), {"allocated": "1"}, headers=HTMX)
    html = response.content.decode()
    assert 'role="alert">Unit A1 has already used 2 nominations; its quota cannot go down to 1.</p>' in html
    assert 'value="1"' in html  # what was typed stays in the box
    assert 'aria-invalid="true"' in html
    assert (_table(tertiary), AuditEntry.objects.count()) == before

    response = client.post(_url("quota_edit", tertiary, org.a1.pk), {"allocated": "-3"}, headers=HTMX)
    assert 'role="alert">Ensure this value is greater than or equal to 0.</p>' in response.content.decode()
    assert (_table(tertiary), AuditEntry.objects.count()) == before


def test_edit_without_htmx_redirects_with_a_message(client, org, tertiary, office_user):
    UnitQuota.objects.filter(unit=org.a1).update(used=2)
    client.force_login(office_user)
    response = client.post(_url("quota_edit", tertiary, org.a2.pk), {"allocated": "4"}, follow=True)
    assert response.redirect_chain == [(_url("quotas", tertiary), 302)]
    assert _messages(response) == ["Quota of Unit A2 saved."]
    response = client.post(_url("quota_edit", tertiary, org.a1.pk), {"allocated": "0"}, follow=True)
    assert _messages(response) == ["Unit A1 has already used 2 nominations; its quota cannot go down to 0."]
    assert _table(tertiary) == {"A1": (3, 2, False), "A2": (4, 0, True), "B1": (2, 0, False)}


def test_a_unit_without_a_quota_or_of_another_programme_is_not_found(client, org, tertiary, office_user):
    other = make_programme(office_user, year=2027, phase=PhaseKind.SETUP)
    client.force_login(office_user)
    assert client.post(_url("quota_edit", tertiary, org.a.pk), {"allocated": "1"}).status_code == 404
    assert client.post(_url("quota_edit", other, org.a1.pk), {"allocated": "1"}).status_code == 404
    assert _table(tertiary)["A1"] == (3, 0, False)


# --- permissions --------------------------------------------------------------------


def test_coordinator_sees_their_own_rows_but_cannot_apportion_or_edit(client, org, tertiary, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(_url("quotas", tertiary))
    assert [r.unit.code for r in response.context["rows"]] == ["A1", "A2"]
    assert "form" not in response.context
    html = response.content.decode()
    assert org.b1.display_name not in html
    assert _url("quotas_apportion", tertiary) not in html
    assert 'name="allocated"' not in html

    before = (_table(tertiary), AuditEntry.objects.count())
    assert client.post(_url("quotas_apportion", tertiary), {"depth": "1", "total": "9"}).status_code == 403
    assert client.post(_url("quota_edit", tertiary, org.a1.pk), {"allocated": "9"}).status_code == 403
    assert client.post(_url("quota_unpin", tertiary, org.a1.pk)).status_code == 403
    assert (_table(tertiary), AuditEntry.objects.count()) == before


def test_employees_and_strangers_get_nothing(client, tertiary, employee_user):
    client.force_login(employee_user)
    assert client.get(_url("quotas", tertiary)).status_code == 403
    assert client.get(_url("quotas_export", tertiary)).status_code == 403
    client.logout()
    response = client.get(_url("quotas_export", tertiary))
    assert response.url.startswith(reverse("login"))


# --- export ---------------------------------------------------------------------------


def _sheet(response):
    workbook = openpyxl.load_workbook(
        BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_xlsx_export_has_a_header_one_row_per_unit_and_totals(client, org, tertiary, office_user):
    UnitQuota.objects.filter(unit=org.a1).update(used=2)
    client.force_login(office_user)
    client.post(_url("quota_edit", tertiary, org.b1.pk), {"allocated": "4"}, headers=HTMX)
    response = client.get(_url("quotas_export", tertiary))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="quotas-2026-{tertiary.pk}.xlsx"'
    assert _sheet(response) == [
        ["Unit code", "Unit", "Active people", "Allocated", "Used", "Remaining", "Set by hand"],
        ["A1", "Unit A1", 4, 3, 2, 1, None],
        ["A2", "Unit A2", 2, 1, 0, 1, None],
        ["B1", "Unit B1", 3, 4, 0, 4, "Yes"],
        [None, "Total", 9, 8, 2, 6, None],
    ]


def test_xlsx_export_holds_only_the_viewers_rows_and_no_formulas(client, org, tertiary, coordinator_a):
    unit = make_unit("=HYPERLINK(1)", org.a, name="=cmd|' /C calc'!A0", name_en="+SUM(A1)")
    PersonFactory(unit=unit)
    UnitQuota.objects.create(programme=tertiary, unit=unit, allocated=1)
    client.force_login(coordinator_a)
    rows = _sheet(client.get(_url("quotas_export", tertiary)))
    assert [r[:2] for r in rows] == [
        ["Unit code", "Unit"],
        ["A1", "Unit A1"],
        ["A2", "Unit A2"],
        ["'=HYPERLINK(1)", "'+SUM(A1)"],
        [None, "Total"],
    ]


# --- query counts ----------------------------------------------------------------------


def _units_with_quotas(org, programme, n):
    for i in range(n):
        unit = make_unit(f"U{i}", org.a)
        PersonFactory.create_batch(i + 1, unit=unit)
        UnitQuota.objects.create(programme=programme, unit=unit, allocated=i + 1, used=i % 2)


@pytest.mark.parametrize("n_units", [1, 3])
@pytest.mark.usefixtures("office_user")
def test_quota_page_queries_do_not_grow_with_units(client, org, programme, django_assert_num_queries, n_units):
    _units_with_quotas(org, programme, n_units)
    client.force_login(programme.created_by)  # the office
    client.get(_url("quotas", programme))  # warm the session and content types
    with django_assert_num_queries(12):
        response = client.get(_url("quotas", programme))
    assert len(response.context["rows"]) == n_units


@pytest.mark.parametrize("n_units", [1, 3])
def test_coordinator_quota_page_and_export_queries_do_not_grow(
    client, org, programme, django_assert_num_queries, n_units
):
    _units_with_quotas(org, programme, n_units)
    coordinator = make_user("coord_a_too", person=PersonFactory(unit=org.a))
    grant(coordinator, Role.UNIT_COORDINATOR, org.a)
    client.force_login(coordinator)
    client.get(_url("quotas", programme))
    with django_assert_num_queries(10):
        response = client.get(_url("quotas", programme))
    assert len(response.context["rows"]) == n_units
    with django_assert_num_queries(6):
        assert len(_sheet(client.get(_url("quotas_export", programme)))) == n_units + 2
