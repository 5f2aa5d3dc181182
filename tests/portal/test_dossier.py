"""The nominee's read-only dossier, and the joint nominations employees sign in the portal."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from exemplar.nominations.domain.attachments import add_attachment
from exemplar.nominations.domain.joint import mark_joint
from exemplar.nominations.domain.nominations import create_nomination, return_nomination, submit_nomination
from exemplar.nominations.models import JointSupporter
from exemplar.people.enums import Role
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_user
from tests.factories.programmes import make_programme

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(office_user):
    return make_programme(office_user)


@pytest.fixture
def coordinator_a1(org):
    user = make_user("coord_a1", person=PersonFactory(unit=org.a1))
    grant(user, Role.UNIT_COORDINATOR, org.a1)
    return user


def _nominate(programme, unit, actor, *, person=None, team=None, title="Forty years at the lathe"):
    return create_nomination(
        programme=programme,
        category=programme.categories.get(code="team" if team else "individual"),
        unit=unit,
        person=person,
        team=team,
        title=title,
        deeds="<p>Made <strong>zero</strong> defects</p>",
        achievements="Model worker\nTwo patents",
        actor=actor,
    )


def test_nominee_reads_their_dossier_without_reasons(client, org, programme, coordinator_a1, coordinator_a):
    me = make_user("nominee", person=PersonFactory(unit=org.a1))
    nomination = _nominate(programme, org.a1, coordinator_a1, person=me.person)
    upload = ContentFile(PDF, name="citation.pdf")
    upload.size = len(PDF)
    attachment = add_attachment(nomination, upload=upload, actor=coordinator_a1)
    client.force_login(me)
    assert client.get(reverse("portal:dossiers")).context["dossiers"] == []  # a draft is the unit's alone
    assert client.get(reverse("portal:dossier", args=[nomination.pk])).status_code == 403

    submit_nomination(nomination, actor=coordinator_a1)
    return_nomination(nomination, reason="Internal: the figures look inflated", actor=coordinator_a)
    submit_nomination(nomination, actor=coordinator_a1)
    response = client.get(reverse("portal:dossiers"))
    assert response.context["dossiers"] == [nomination]
    response = client.get(reverse("portal:dossier", args=[nomination.pk]))
    html = response.content.decode()
    assert "<p>Made <strong>zero</strong> defects</p>" in html
    assert [s.action for s in response.context["steps"]] == ["created", "submitted", "returned", "submitted"]
    assert "figures look inflated" not in html
    assert coordinator_a.username not in html
    assert "Awaiting endorsement" in html
    response = client.get(reverse("portal:dossier_attachment", args=[nomination.pk, attachment.pk]))
    assert (b"".join(response.streaming_content), response["X-Content-Type-Options"]) == (PDF, "nosniff")


def test_team_members_see_their_team_and_nobody_else_does(client, org, programme, coordinator_a1):
    team = TeamFactory(unit=org.a1)
    member = make_user("member", person=PersonFactory(unit=org.a1))
    add_member(team, member.person)
    nomination = _nominate(programme, org.a1, coordinator_a1, team=team)
    upload = ContentFile(PDF, name="team.pdf")
    upload.size = len(PDF)
    attachment = add_attachment(nomination, upload=upload, actor=coordinator_a1)
    submit_nomination(nomination, actor=coordinator_a1)
    client.force_login(member)
    assert client.get(reverse("portal:dossiers")).context["dossiers"] == [nomination]
    assert client.get(reverse("portal:dossier", args=[nomination.pk])).status_code == 200

    stranger = make_user("stranger", person=PersonFactory(unit=org.a1))
    client.force_login(stranger)
    assert client.get(reverse("portal:dossiers")).context["dossiers"] == []
    assert client.get(reverse("portal:dossier", args=[nomination.pk])).status_code == 403
    response = client.get(reverse("portal:dossier_attachment", args=[nomination.pk, attachment.pk]))
    assert response.status_code == 403


def test_joint_nominations_are_signed_in_the_portal(client, org, programme, coordinator_a1):
    programme.allow_joint_nomination, programme.joint_nomination_size = True, 2
    programme.save(update_fields=["allow_joint_nomination", "joint_nomination_size"])
    nomination = mark_joint(
        _nominate(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1)), actor=coordinator_a1
    )
    _nominate(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1), title="not joint")
    signer = make_user("signer", person=PersonFactory(unit=org.a1))
    client.force_login(signer)
    response = client.get(reverse("portal:joint"))
    assert [(n, n.n_supporters, n.signed_by_me) for n in response.context["open"]] == [(nomination, 0, False)]
    assert "0 of 2 signatures" in response.content.decode()
    response = client.post(reverse("portal:joint_sign", args=[nomination.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [f"You have signed {nomination.reference}."]
    assert [(n, n.n_supporters, n.signed_by_me) for n in response.context["open"]] == [(nomination, 1, True)]
    response = client.post(reverse("portal:joint_sign", args=[nomination.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["You have already signed this nomination."]

    outsider = make_user("outsider", person=PersonFactory(unit=org.b1))
    client.force_login(outsider)
    assert client.get(reverse("portal:joint")).context["open"] == []
    assert client.post(reverse("portal:joint_sign", args=[nomination.pk])).status_code == 403
    assert JointSupporter.objects.filter(nomination=nomination).count() == 1


@pytest.mark.parametrize("item_count", [1, 3])
def test_dossier_list_query_count(client, org, coordinator_a1, django_assert_num_queries, item_count):
    programme = make_programme(coordinator_a1)
    me = make_user("nominee", person=PersonFactory(unit=org.a1))
    for i in range(item_count):
        team = TeamFactory(unit=org.a1)
        add_member(team, me.person)
        submit_nomination(_nominate(programme, org.a1, coordinator_a1, team=team, title=f"t{i}"), actor=coordinator_a1)
    client.force_login(me)
    client.get(reverse("portal:dossiers"))
    with django_assert_num_queries(8):
        response = client.get(reverse("portal:dossiers"))
    assert len(response.context["dossiers"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_joint_list_query_count(client, org, coordinator_a1, django_assert_num_queries, item_count):
    programme = make_programme(coordinator_a1)
    programme.allow_joint_nomination = True
    programme.save(update_fields=["allow_joint_nomination"])
    for i in range(item_count):
        nomination = _nominate(programme, org.a1, coordinator_a1, person=PersonFactory(unit=org.a1), title=f"j{i}")
        mark_joint(nomination, actor=coordinator_a1)
    signer = make_user("signer", person=PersonFactory(unit=org.a1))
    client.force_login(signer)
    client.get(reverse("portal:joint"))
    with django_assert_num_queries(9):
        response = client.get(reverse("portal:joint"))
    assert len(response.context["open"]) == item_count
