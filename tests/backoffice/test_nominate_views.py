"""The coordinator's pages: nominate, edit, attach, submit, endorse, return, withdraw; the dashboard; who sees what."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exemplar.core.models import AuditEntry
from exemplar.nominations.domain.nominations import create_nomination, submit_nomination
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Attachment, Nomination
from exemplar.people.enums import Role
from exemplar.programmes.models import UnitQuota
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_user
from tests.factories.programmes import make_programme

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def programme(office_user):
    return make_programme(office_user)


def _coordinator(username, unit):
    user = make_user(username, person=PersonFactory(unit=unit))
    grant(user, Role.UNIT_COORDINATOR, unit)
    return user


@pytest.fixture
def coordinator_a1(org):
    return _coordinator("coord_a1", org.a1)


@pytest.fixture
def coordinator_b1(org):
    return _coordinator("coord_b1", org.b1)


def _draft(programme, unit, actor, *, person=None, team=None, title="Forty years at the lathe"):
    code = "team" if team else "individual"
    return create_nomination(
        programme=programme,
        category=programme.categories.get(code=code),
        unit=unit,
        person=person,
        team=team,
        title=title,
        deeds="<p>Deeds</p>",
        actor=actor,
    )


# --- end to end -------------------------------------------------------------------


def test_a1_nominates_a_person_up_to_the_office(client, org, programme, coordinator_a1, coordinator_a):
    office_user = programme.created_by
    nominee = PersonFactory(unit=org.a1, name="李雷", name_en="Li Lei")
    PersonFactory(unit=org.b1, name="李雷乙", name_en="Li Lei of B")  # same name, outside the subtree
    client.force_login(coordinator_a1)

    response = client.get(reverse("backoffice:nominate_choose", args=[programme.pk]))
    assert response.url == reverse("backoffice:nominate", args=[programme.pk, org.a1.pk])
    response = client.get(
        reverse("backoffice:nominee_search", args=[org.a1.pk]) + "?person_q=Li Lei", headers={"HX-Request": "true"}
    )
    assert response.context["results"] == [nominee]
    assert f'name="person" value="{nominee.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()

    response = client.post(
        reverse("backoffice:nominate", args=[programme.pk, org.a1.pk]),
        {
            "category": programme.categories.get(code="individual").pk,
            "person": nominee.pk,
            "title": "Forty years at the lathe",
            "deeds": "<p>Made <strong>zero</strong> defects<script>alert(1)</script></p>",
            "achievements": "National model worker\n\nTwo patents",
        },
    )
    nomination = Nomination.objects.get()
    assert response.url == reverse("backoffice:nomination_edit", args=[nomination.pk])
    assert (nomination.person, nomination.unit, nomination.state) == (nominee, org.a1, NominationState.DRAFT)
    assert nomination.deeds == "<p>Made <strong>zero</strong> defects</p>"

    response = client.get(response.url)
    html = response.content.decode()
    assert "<p>Made <strong>zero</strong> defects</p>" in html  # the rendered preview
    assert "&lt;strong&gt;" in html  # the allowed tags are listed in the help text

    response = client.post(
        reverse("backoffice:attachment_add", args=[nomination.pk]),
        {"file": SimpleUploadedFile("citation.pdf", PDF, content_type="application/pdf")},
        follow=True,
    )
    assert _messages(response) == ["Attached citation.pdf."]
    attachment = Attachment.objects.get()
    assert response.context["attachments"] == [attachment]

    response = client.post(
        reverse("backoffice:nomination_edit", args=[nomination.pk]),
        {"title": "Forty-one years at the lathe", "deeds": "<p>Still zero</p>", "achievements": ""},
        follow=True,
    )
    assert _messages(response) == ["Dossier saved."]
    nomination.refresh_from_db()
    assert (nomination.title, nomination.deeds) == ("Forty-one years at the lathe", "<p>Still zero</p>")

    response = client.post(reverse("backoffice:nomination_submit", args=[nomination.pk]), follow=True)
    assert _messages(response) == [f"Submitted: {nomination.reference} now waits for Unit A."]
    nomination.refresh_from_db()
    assert (nomination.state, nomination.at_unit) == (NominationState.SUBMITTED, org.a)

    client.force_login(coordinator_a)
    response = client.get(reverse("backoffice:coordinator_dashboard", args=[programme.pk]))
    assert response.context["awaiting"] == [nomination]
    response = client.get(reverse("backoffice:nomination", args=[nomination.pk]))
    assert reverse("backoffice:nomination_endorse", args=[nomination.pk]) in response.content.decode()
    response = client.post(reverse("backoffice:nomination_endorse", args=[nomination.pk]), follow=True)
    assert _messages(response) == [f"Endorsed: {nomination.reference} has gone to the programme office."]
    nomination.refresh_from_db()
    assert (nomination.state, nomination.at_unit) == (NominationState.RECEIVED, None)

    client.force_login(office_user)
    response = client.get(reverse("backoffice:attachment", args=[nomination.pk, attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert list(
        AuditEntry.objects.filter(object_id=str(nomination.pk), action__startswith="exemplar.nominations.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "exemplar.nominations.created",
        "exemplar.nominations.attachment_added",
        "exemplar.nominations.updated",
        "exemplar.nominations.submitted",
        "exemplar.nominations.endorsed",
    ]


def test_a1_nominates_a_team(client, org, programme, coordinator_a1):
    team = TeamFactory(unit=org.a1, name_en="Engine team")
    add_member(team, PersonFactory(unit=org.a1))
    TeamFactory(unit=org.b1, name_en="Team of B")
    client.force_login(coordinator_a1)
    url = reverse("backoffice:nominate", args=[programme.pk, org.a1.pk])
    response = client.get(url)
    assert list(response.context["form"].fields["team"].queryset) == [team]
    assert list(response.context["form"].fields["category"].queryset) == list(programme.categories.order_by("order"))

    team_category = programme.categories.get(code="team").pk
    response = client.post(url, {"category": team_category, "title": "t", "deeds": "d"})
    assert response.context["form"].errors == {"team": ["This category honours teams: choose a team."]}
    assert Nomination.objects.count() == 0

    response = client.post(url, {"category": team_category, "team": team.pk, "title": "Lit the engine", "deeds": "d"})
    nomination = Nomination.objects.get()
    assert (nomination.team, nomination.person) == (team, None)
    client.post(reverse("backoffice:nomination_submit", args=[nomination.pk]))
    assert Nomination.objects.get().state == NominationState.SUBMITTED


def test_a_person_outside_the_subtree_cannot_be_chosen(client, org, programme, coordinator_a1):
    client.force_login(coordinator_a1)
    outsider = PersonFactory(unit=org.b1)
    response = client.post(
        reverse("backoffice:nominate", args=[programme.pk, org.a1.pk]),
        {"category": programme.categories.get(code="individual").pk, "person": outsider.pk, "title": "t", "deeds": "d"},
    )
    assert "person" in response.context["form"].errors
    assert Nomination.objects.count() == 0


# --- who sees what ---------------------------------------------------------------


def test_parent_sees_a_draft_only_once_submitted(client, org, programme, coordinator_a1, coordinator_a):
    nomination = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1))
    client.force_login(coordinator_a)
    dossier = reverse("backoffice:nomination", args=[nomination.pk])
    assert client.get(dossier).status_code == 403
    response = client.get(reverse("backoffice:coordinator_dashboard", args=[programme.pk]))
    assert (response.context["awaiting"], response.context["mine"]) == ([], [])
    assert nomination.reference not in response.content.decode()

    submit_nomination(nomination, actor=coordinator_a1)
    response = client.get(dossier)
    assert (response.status_code, response.context["nomination"]) == (200, nomination)


def test_return_with_reason_reaches_the_nominating_unit(client, org, programme, coordinator_a1, coordinator_a):
    nomination = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1))
    submit_nomination(nomination, actor=coordinator_a1)
    client.force_login(coordinator_a)
    url = reverse("backoffice:nomination_return", args=[nomination.pk])
    response = client.post(url, {"reason": "  "}, follow=True)
    assert _messages(response) == ["Say why the nomination is returned: the nominating unit will read it."]
    assert Nomination.objects.get().state == NominationState.SUBMITTED

    response = client.post(url, {"reason": "Add the 2025 test results"}, follow=True)
    assert _messages(response) == [f"Returned {nomination.reference} to Unit A1 with your reason."]
    assert Nomination.objects.get().state == NominationState.RETURNED

    client.force_login(coordinator_a1)
    response = client.get(reverse("backoffice:coordinator_dashboard", args=[programme.pk]))
    assert response.context["mine"] == [nomination]
    assert "Add the 2025 test results" in response.content.decode()
    response = client.get(reverse("backoffice:nomination_edit", args=[nomination.pk]))
    assert "Add the 2025 test results" in response.content.decode()
    assert [n.message for n in coordinator_a1.notifications.all()] == [
        f"Nomination {nomination.reference} was returned by Unit A: Add the 2025 test results"
    ]


def test_withdraw_needs_a_reason(client, org, programme, coordinator_a1):
    nomination = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1))
    client.force_login(coordinator_a1)
    url = reverse("backoffice:nomination_withdraw", args=[nomination.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert _messages(response) == ["Say why the nomination is withdrawn."]
    response = client.post(url, {"reason": "The nominee retired"}, follow=True)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_reason) == (NominationState.WITHDRAWN, "The nominee retired")


def test_quota_refusal_is_shown_and_changes_nothing(client, org, programme, coordinator_a1):
    UnitQuota.objects.create(programme=programme, unit=org.a1, allocated=1)
    first = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1))
    second = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1))
    submit_nomination(first, actor=coordinator_a1)
    client.force_login(coordinator_a1)
    response = client.post(reverse("backoffice:nomination_submit", args=[second.pk]), follow=True)
    assert _messages(response) == ["Unit A1 has used all 1 of its nominations in this programme."]
    assert Nomination.objects.get(pk=second.pk).state == NominationState.DRAFT
    response = client.get(reverse("backoffice:coordinator_dashboard", args=[programme.pk]))
    panel = response.context["panels"][0]
    assert (panel.unit, panel.quota.allocated, panel.quota.used, panel.quota.remaining) == (org.a1, 1, 1, 0)
    assert (panel.states, panel.total) == (
        [("draft", "Draft", 1), ("submitted", "Awaiting endorsement", 1)],
        2,
    )


def test_coordinator_of_b1_cannot_reach_a_dossiers(client, org, programme, coordinator_a1, coordinator_b1):
    nomination = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1))
    client.force_login(coordinator_a1)
    client.post(
        reverse("backoffice:attachment_add", args=[nomination.pk]), {"file": SimpleUploadedFile("secret.pdf", PDF)}
    )
    attachment = Attachment.objects.get()
    own = _draft(programme, org.b1, coordinator_b1, person=PersonFactory(unit=org.b1))

    client.force_login(coordinator_b1)
    gets = [
        reverse("backoffice:nomination", args=[nomination.pk]),
        reverse("backoffice:nomination_edit", args=[nomination.pk]),
        reverse("backoffice:attachment", args=[nomination.pk, attachment.pk]),
        reverse("backoffice:nominate", args=[programme.pk, org.a1.pk]),
        reverse("backoffice:nominee_search", args=[org.a1.pk]) + "?person_q=E",
    ]
    assert [client.get(url).status_code for url in gets] == [403] * len(gets)
    # The attachment through the B1 coordinator's own dossier: not found, not served.
    assert client.get(reverse("backoffice:attachment", args=[own.pk, attachment.pk])).status_code == 404
    posts = [
        reverse("backoffice:nomination_submit", args=[nomination.pk]),
        reverse("backoffice:nomination_withdraw", args=[nomination.pk]),
        reverse("backoffice:attachment_remove", args=[nomination.pk, attachment.pk]),
        reverse("backoffice:attachment_add", args=[nomination.pk]),
    ]
    assert [client.post(url, {"reason": "x"}).status_code for url in posts] == [403] * len(posts)
    submit_nomination(nomination, actor=coordinator_a1)
    assert client.get(gets[0]).status_code == 403
    assert client.post(reverse("backoffice:nomination_endorse", args=[nomination.pk])).status_code == 403
    assert (Nomination.objects.get(pk=nomination.pk).state, Attachment.objects.count()) == (
        NominationState.SUBMITTED,
        1,
    )


def test_download_is_an_attachment_the_browser_must_not_sniff(client, org, programme, coordinator_a1):
    nomination = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1))
    client.force_login(coordinator_a1)
    client.post(
        reverse("backoffice:attachment_add", args=[nomination.pk]),
        {"file": SimpleUploadedFile("总结 report.pdf", PDF, content_type="text/html")},
    )
    attachment = Attachment.objects.get()
    response = client.get(reverse("backoffice:attachment", args=[nomination.pk, attachment.pk]))
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E6%80%BB%E7%BB%93%20report.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    # The media folder is never served by URL.
    assert client.get("/media/" + attachment.file.name).status_code == 404
    assert client.get("/" + attachment.file.name).status_code == 404


def test_joint_marking_from_the_edit_page(client, org, programme, coordinator_a1):
    programme.allow_joint_nomination = True
    programme.save(update_fields=["allow_joint_nomination"])
    nomination = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1))
    client.force_login(coordinator_a1)
    response = client.post(reverse("backoffice:nomination_mark_joint", args=[nomination.pk]), follow=True)
    assert _messages(response) == [
        "Employees of Unit A1 and the units below it can now sign this nomination in their portal."
    ]
    assert Nomination.objects.get().is_joint is True
    assert "0 of the 10 signatures needed" in response.content.decode()
    response = client.post(reverse("backoffice:nomination_submit", args=[nomination.pk]), follow=True)
    assert _messages(response) == ["A joint nomination needs 10 supporters; it has 0."]


def test_sidebar_and_home_lead_coordinators_to_the_dashboard(client, org, programme, coordinator_a, office_user):
    client.force_login(coordinator_a)
    response = client.get(reverse("backoffice:home"))
    assert reverse("backoffice:coordinator_home") in response.content.decode()
    response = client.get(reverse("backoffice:coordinator_home"))
    assert response.url == reverse("backoffice:coordinator_dashboard", args=[programme.pk])
    second = make_programme(office_user, year=2027)
    response = client.get(reverse("backoffice:coordinator_home"))
    assert response.context["programmes"] == [second, programme]
    client.force_login(office_user)
    assert reverse("backoffice:coordinator_home") not in client.get(reverse("backoffice:home")).content.decode()
    assert client.get(reverse("backoffice:coordinator_dashboard", args=[programme.pk])).status_code == 403


# --- query counts ------------------------------------------------------------------


@pytest.mark.parametrize("item_count", [1, 3])
def test_dashboard_query_count(client, org, coordinator_a, django_assert_num_queries, item_count):
    programme = make_programme(coordinator_a)
    coordinator_a1 = _coordinator("coord_a1", org.a1)
    UnitQuota.objects.create(programme=programme, unit=org.a, allocated=10)
    for i in range(item_count):
        waiting = _draft(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1), title=f"w{i}")
        submit_nomination(waiting, actor=coordinator_a1)
        _draft(programme, org.a, coordinator_a, person=PersonFactory(unit=org.a2), title=f"m{i}")
        _draft(programme, org.a, coordinator_a, team=TeamFactory(unit=org.a2), title=f"t{i}")
    client.force_login(coordinator_a)
    url = reverse("backoffice:coordinator_dashboard", args=[programme.pk])
    client.get(url)
    with django_assert_num_queries(14):
        response = client.get(url)
    assert (len(response.context["awaiting"]), len(response.context["mine"])) == (item_count, 2 * item_count)


@pytest.mark.parametrize("item_count", [1, 3])
def test_nominee_search_query_count(client, org, coordinator_a1, django_assert_num_queries, item_count):
    for i in range(item_count):
        PersonFactory(unit=org.a1, name_en=f"Zhao Min {i}")
    client.force_login(coordinator_a1)
    url = reverse("backoffice:nominee_search", args=[org.a1.pk]) + "?person_q=Zhao"
    client.get(url, headers={"HX-Request": "true"})
    with django_assert_num_queries(5):
        response = client.get(url, headers={"HX-Request": "true"})
    assert len(response.context["results"]) == item_count
