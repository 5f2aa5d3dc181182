import pytest
from django.urls import reverse

from exemplar.people.enums import Role
from exemplar.people.models import RoleGrant, User
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.integration


def test_office_opens_account_and_grants_role(client, org, office_user):
    person = PersonFactory(unit=org.b1, staff_number="B1-77", email="b177@example.org")
    client.force_login(office_user)
    page = client.get(reverse("backoffice:person", args=[person.pk]))
    assert "Open an account and send the sign-in link" in page.content.decode()

    client.post(reverse("backoffice:create_account", args=[person.pk]))
    account = User.objects.get(person=person)
    response = client.post(
        reverse("backoffice:grant_role", args=[account.pk]),
        {"role": Role.UNIT_COORDINATOR, "unit_code": "B"},
        follow=True,
    )
    assert "Role granted." in response.content.decode()
    assert sorted(account.grants.values_list("role", "unit__code")) == [("employee", "B1"), ("unit_coordinator", "B")]


def test_grant_with_unknown_unit_changes_nothing(client, org, office_user, employee_user):
    client.force_login(office_user)
    response = client.post(
        reverse("backoffice:grant_role", args=[employee_user.pk]),
        {"role": Role.AUDITOR, "unit_code": "NOPE"},
        follow=True,
    )
    assert "No unit has the code NOPE." in response.content.decode()
    assert list(employee_user.grants.values_list("role", flat=True)) == [Role.EMPLOYEE]


def test_revoke(client, org, office_user, coordinator_a):
    client.force_login(office_user)
    grant = RoleGrant.objects.get(user=coordinator_a, role=Role.UNIT_COORDINATOR)
    client.post(reverse("backoffice:revoke_grant", args=[coordinator_a.pk, grant.pk]))
    assert list(coordinator_a.grants.all()) == []


def test_coordinator_cannot_manage_grants(client, org, coordinator_a, employee_user):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("backoffice:grant_role", args=[coordinator_a.pk]), {"role": Role.PROGRAMME_OFFICE, "unit_code": "ROOT"}
    )
    assert (response.status_code, coordinator_a.grants.filter(role=Role.PROGRAMME_OFFICE).exists()) == (403, False)
    assert client.get(reverse("backoffice:accounts")).status_code == 403


@pytest.mark.parametrize("item_count", [1, 3])
def test_account_list_query_count(client, org, office_user, django_assert_num_queries, item_count):
    for i in range(item_count):
        person = PersonFactory(unit=org.a1)
        User.objects.create_user(username=f"u{i}", person=person)
    client.force_login(office_user)
    # 10 = session, user, grants, count, page, grants of the page, person of the header, unread notifications,
    # and Django's user and group permissions (read once when a sidebar permission is refused).
    with django_assert_num_queries(10):
        response = client.get(reverse("backoffice:accounts"))
    assert response.context["page_obj"].paginator.count == item_count + 1


def test_new_account_sets_password_from_the_mail_link(client, org, office_user, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    person = PersonFactory(unit=org.b1, staff_number="B1-88", email="b188@example.org")
    client.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:create_account", args=[person.pk]))
    client.logout()
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    new_password = "aurora-launch-window-7"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    response = client.post(reverse("login"), {"username": "B1-88", "password": new_password}, REMOTE_ADDR="127.0.0.1")
    assert (response.status_code, response.url, client.session["_auth_user_id"]) == (
        302,
        "/",
        str(User.objects.get(username="B1-88").pk),
    )
