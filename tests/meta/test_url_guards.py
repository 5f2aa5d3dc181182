"""Every URL of the project is guarded: walks the URL configuration, so new pages are covered automatically.

For each named URL pattern the test builds a concrete URL (sample values for
path arguments come from ``_samples`` below: objects in branch B of the test
organisation) and checks that

(a) anonymous visitors are sent to the login page, unless the URL is in
    ``PUBLIC_URL_NAMES``;
(b) an employee without a staff role never gets a backoffice page;
(c) coordinator_a (branch A only) never gets a page about an object in branch B;
(d) every non-public view is a class using ``exemplar.core.views.PermissionRequiredMixin``
    with a non-empty ``permission_required``.

Adding a URL with a new path argument makes these tests fail until a sample
value for that argument is added to ``_samples``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from exemplar.core.domain.audit import log_action
from exemplar.core.views import PermissionRequiredMixin
from tests.factories.people import PersonFactory, TeamFactory, add_member

pytestmark = pytest.mark.integration

# Names of the URLs anybody may open without signing in.
PUBLIC_URL_NAMES = frozenset(
    {
        "home",
        "set_font_size",
        "set_language",
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)
# Django's own account views, which guard themselves with login_required
# rather than our mixin. Check (a) still holds for them.
SELF_GUARDED_URL_NAMES = frozenset({"password_change", "password_change_done"})


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple[str, ...]
    callback: Callable[..., Any]

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "", kwargs: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        names = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, child_ns, prefix + str(entry.pattern), kwargs + names)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {route}>"
            yield Route(name=name, route=route, kwargs=kwargs + names, callback=entry.callback)


ROUTES = sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)
PROTECTED = [r for r in ROUTES if r.name not in PUBLIC_URL_NAMES]
BACKOFFICE = [r for r in PROTECTED if r.name.startswith("backoffice:")]
OBJECT_ROUTES = [r for r in PROTECTED if r.kwargs]
MIXIN_REQUIRED = [r for r in PROTECTED if r.name not in SELF_GUARDED_URL_NAMES]


@pytest.fixture
def samples(org, employee_user) -> dict[str, object]:
    """A value for each path argument, naming an object in branch B (outside coordinator_a's scope)."""
    person = PersonFactory(unit=org.b1, name="乙方员工", name_en="Branch B employee")
    team = TeamFactory(unit=org.b1)
    add_member(team, person)
    log_action(None, "exemplar.test.sample", org.b1)
    return {
        "unit": org.b1.pk,
        "person": person.pk,
        "team": team.pk,
        "user": employee_user.pk,  # an account whose person and grant sit in B1
        "grant": employee_user.grants.get().pk,
        "content_type": "people.orgunit",
        "object_id": str(org.b1.pk),
        "uidb64": urlsafe_base64_encode(force_bytes(employee_user.pk)),
        "token": "not-a-valid-token",
    }


def _url(route: Route, samples: dict[str, object]) -> str:
    missing = [k for k in route.kwargs if k not in samples]
    if missing:
        pytest.fail(
            f"URL {route.name!r} ({route.route}) takes path argument(s) {missing} that the guard test has no "
            f"sample value for. Add one to the `samples` fixture in tests/meta/test_url_guards.py, naming an "
            f"object in branch B of the test organisation."
        )
    return reverse(route.name, kwargs={k: samples[k] for k in route.kwargs})


def _outcome(response: Any) -> str:
    """A readable label for a response, so failures say what happened."""
    status = response.status_code
    if status in (301, 302):
        location = response.url.split("?")[0]
        return "login" if location == reverse("login") else f"redirect to {response.url}"
    return {200: "page", 403: "forbidden", 404: "not found", 405: "method not allowed"}.get(status, str(status))


def _try(client: Client, url: str) -> str:
    """GET the URL; for POST-only views (405), POST to it instead."""
    outcome = _outcome(client.get(url))
    if outcome == "method not allowed":
        outcome = _outcome(client.post(url))
    return outcome


def test_every_url_is_named_and_the_lists_are_current():
    names = {r.name for r in ROUTES}
    assert [r.route for r in ROUTES if r.name.startswith("<unnamed")] == []
    assert sorted((PUBLIC_URL_NAMES | SELF_GUARDED_URL_NAMES) - names) == []


def test_the_walk_finds_the_known_pages():
    names = {r.name for r in ROUTES}
    assert {"home", "login", "portal:home", "backoffice:home", "backoffice:unit", "backoffice:history"} <= names
    assert {r.name: r.kwargs for r in ROUTES if r.name in {"backoffice:unit", "backoffice:history"}} == {
        "backoffice:unit": ("unit",),
        "backoffice:history": ("content_type", "object_id"),
    }


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in PUBLIC_URL_NAMES], ids=str)
def test_public_urls_answer_anonymous_visitors(client, samples, route):
    response = client.get(_url(route, samples))
    assert response.status_code in {200, 302, 405}, f"{route.name} answered {response.status_code}"


@pytest.mark.parametrize("route", PROTECTED, ids=str)
def test_anonymous_visitors_are_sent_to_login(client, samples, route):
    url = _url(route, samples)
    response = client.get(url)
    if _outcome(response) == "method not allowed":
        assert _outcome(client.post(url)) in {"login", "forbidden"}, f"POST {url}"
        return
    assert _outcome(response) == "login", f"GET {url}"
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("route", BACKOFFICE, ids=str)
def test_employees_never_reach_the_backoffice(client, samples, employee_user, route):
    client.force_login(employee_user)
    url = _url(route, samples)
    assert _try(client, url) in {"forbidden", "not found"}, url


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_coordinator_a_never_reaches_branch_b_objects(client, samples, coordinator_a, route):
    client.force_login(coordinator_a)
    url = _url(route, samples)
    assert _try(client, url) in {"forbidden", "not found"}, url


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_the_sample_objects_exist(client, samples, office_user, route):
    """The group office reaches each object URL, so a 404 above means a guard, not a bad sample."""
    client.force_login(office_user)
    response = client.get(_url(route, samples))
    assert response.status_code in {200, 302, 405}, f"{route.name} answered {response.status_code}"


@pytest.mark.parametrize("route", MIXIN_REQUIRED, ids=str)
def test_views_use_the_permission_mixin(route):
    view_class = getattr(route.callback, "view_class", None)
    assert view_class is not None, (
        f"{route.name} is a function view and not in PUBLIC_URL_NAMES: make it a class using "
        "exemplar.core.views.PermissionRequiredMixin"
    )
    assert issubclass(view_class, PermissionRequiredMixin), (
        f"{route.name} ({view_class.__qualname__}) must inherit exemplar.core.views.PermissionRequiredMixin"
    )
    assert getattr(view_class, "permission_required", None), f"{view_class.__qualname__} has no permission_required"
