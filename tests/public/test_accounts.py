"""Signing in and out, lockout after repeated failures, password change and reset, through real requests."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories.people import PersonFactory, make_user

pytestmark = pytest.mark.integration

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-brand-new-passphrase-42"
ADDRESS = "192.0.2.10"


@pytest.fixture
def client() -> Client:
    # django-axes identifies the caller by address; give every request one.
    return Client(REMOTE_ADDR=ADDRESS)


@pytest.fixture
def alice(org):
    return make_user("alice", person=PersonFactory(unit=org.a1), password=PASSWORD)


@pytest.fixture
def bob(org):
    return make_user("bob", person=PersonFactory(unit=org.b1), password=PASSWORD)


def _login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _signed_in_as(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_right_password_signs_in_and_goes_home(client, alice):
    response = _login(client, "alice", PASSWORD)
    assert (response.status_code, response.url) == (302, reverse("home"))
    assert _signed_in_as(client) == str(alice.pk)


def test_next_is_followed_after_sign_in(client, alice):
    target = reverse("portal:home")
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD, "next": target})
    assert response.url == target


def test_next_to_another_site_is_ignored(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_wrong_password_shows_an_error_and_starts_no_session(client, alice):
    response = _login(client, "alice", "not-the-password")
    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]
    assert 'class="form-errors" role="alert"' in response.content.decode()
    assert _signed_in_as(client) is None


def test_repeated_failures_lock_the_account(client, alice, bob):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert _login(client, "alice", "wrong-guess").status_code == 200

    locked = _login(client, "alice", "wrong-guess")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert "Account temporarily locked" in locked.content.decode()

    # Locked even with the right password.
    again = _login(client, "alice", PASSWORD)
    assert again.status_code == 429
    assert "Account temporarily locked" in again.content.decode()
    assert _signed_in_as(client) is None

    # Lockout is per account: bob, from the same address, still signs in.
    other = _login(client, "bob", PASSWORD)
    assert (other.status_code, other.url) == (302, reverse("home"))
    assert _signed_in_as(client) == str(bob.pk)


def test_failures_below_the_limit_are_forgiven_by_a_success(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "alice", "wrong-guess")
    assert _login(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    # AXES_RESET_ON_SUCCESS: the count started again, so one more failure does not lock.
    assert _login(client, "alice", "wrong-guess").status_code == 200
    assert _login(client, "alice", PASSWORD).status_code == 302


def test_logout_is_post_only_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert _signed_in_as(client) == str(alice.pk)

    response = client.post(reverse("logout"))
    assert (response.status_code, response.url) == (302, reverse("login"))
    assert _signed_in_as(client) is None
    portal = client.get(reverse("portal:home"))
    assert portal.url.split("?")[0] == reverse("login")


def test_password_change_replaces_the_old_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (response.status_code, response.url) == (302, reverse("password_change_done"))
    # The session that changed the password stays signed in.
    assert _signed_in_as(client) == str(alice.pk)
    client.post(reverse("logout"))

    assert _login(client, "alice", PASSWORD).status_code == 200
    assert _signed_in_as(client) is None
    assert _login(client, "alice", NEW_PASSWORD).status_code == 302
    assert _signed_in_as(client) == str(alice.pk)


def test_password_change_needs_the_old_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it-at-all", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert list(response.context["form"].errors) == ["old_password"]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_reset_by_email(client, alice):
    response = client.post(reverse("password_reset"), {"email": alice.email})
    assert response.url == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[alice.email]]
    links = re.findall(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", mail.outbox[0].body)
    assert len(links) == 1
    link = links[0]

    # Django swaps the token into the session and redirects to a token-free URL.
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("password_reset_complete")

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert _login(client, "alice", NEW_PASSWORD).status_code == 302
    client.post(reverse("logout"))

    # The link works once.
    fresh = Client(REMOTE_ADDR=ADDRESS)
    reused = fresh.get(link, follow=True)
    assert reused.context["validlink"] is False
    assert "This link no longer works" in reused.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []
