"""Every URL of the project is guarded: walks the URL configuration, so new pages are covered automatically.

For each named URL pattern the test builds a concrete URL (sample values for
path arguments come from ``MAKERS`` below: objects in branch B of the test
organisation) and checks that

(a) anonymous visitors are sent to the login page, unless the URL is in
    ``PUBLIC_URL_NAMES``;
(b) an employee without a staff role never gets a backoffice page;
(c) coordinator_a (branch A only) never gets a page about an object in branch B
    (URLs whose arguments are all programme-wide, ``PROGRAMME_WIDE_ARGS``, are left out);
(d) every non-public view is a class using ``exemplar.core.views.PermissionRequiredMixin``
    with a non-empty ``permission_required``.

Adding a URL with a new path argument makes these tests fail until a maker
for that argument is added to ``MAKERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from exemplar.core.domain.audit import log_action
from exemplar.core.views import PermissionRequiredMixin
from exemplar.people.enums import Role
from exemplar.people.models import DirectoryImport, Person, User
from tests.factories.people import PersonFactory, TeamFactory, add_member, grant, make_user

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
# Path arguments that name programme-wide things, not an object inside a branch:
# a coordinator of branch A may well open the programme's pages.
PROGRAMME_WIDE_ARGS = frozenset(
    {"programme", "category", "criterion", "phase", "department", "rule", "filename", "import_id"}
)
OBJECT_ROUTES = [r for r in PROTECTED if r.kwargs]
BRANCH_B_ROUTES = [r for r in OBJECT_ROUTES if set(r.kwargs) - PROGRAMME_WIDE_ARGS]
MIXIN_REQUIRED = [r for r in PROTECTED if r.name not in SELF_GUARDED_URL_NAMES]


class Samples:
    """Path-argument values, each naming an object in branch B (outside coordinator_a's scope).

    Made on first use, so a page's test only builds the objects its own URL needs;
    related arguments agree (the attachment belongs to the nomination, the
    category to the programme).
    """

    def __init__(self, org, employee: User, office: User) -> None:
        self.org, self.employee, self.office = org, employee, office
        self._made: dict[str, object] = {}

    def __contains__(self, name: str) -> bool:
        return name in MAKERS

    def __getitem__(self, name: str) -> object:
        return self.once(name, lambda: MAKERS[name](self))

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def person_in_b(self) -> Person:
        return self.once(
            "_person", lambda: PersonFactory(unit=self.org.b1, name="乙方员工", name_en="Branch B employee")
        )

    def programme(self) -> Any:
        from tests.factories.programmes import make_programme

        return self.once("_programme", lambda: make_programme(self.office))

    def nomination(self) -> Any:
        return self.once("_nomination", lambda: _nomination_in_b(self))


def _team_in_b(s: Samples) -> int:
    team = TeamFactory(unit=s.org.b1, lead=s.person_in_b())
    add_member(team, s.person_in_b())
    return team.pk


def _directory_import(s: Samples) -> int:
    upload = DirectoryImport.objects.create(
        uploaded_by=s.office,
        uploaded_at=timezone.now(),
        file="directory-imports/sample.xlsx",
        original_name="sample.xlsx",
    )
    return upload.pk


def _nomination_in_b(s: Samples) -> Any:
    from exemplar.nominations.domain.nominations import create_nomination, submit_nomination

    programme = s.programme()
    coordinator = make_user("coord_b1", person=PersonFactory(unit=s.org.b1))
    grant(coordinator, Role.UNIT_COORDINATOR, s.org.b1)
    nomination = create_nomination(
        programme=programme,
        category=programme.categories.get(code="individual"),
        unit=s.org.b1,
        person=s.person_in_b(),
        title="Branch B nominee",
        deeds="<p>Deeds</p>",
        actor=coordinator,
    )
    # Submitted, so that it is no longer private to its unit: the office may see it, coordinator_a still not.
    submit_nomination(nomination, actor=coordinator)
    return nomination


def _attachment(s: Samples) -> int:
    from exemplar.nominations.models import Attachment

    attachment = Attachment(
        nomination=s.nomination(),
        original_name="evidence.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=20,
        uploaded_by=s.office,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%sample\n"), save=True)
    return attachment.pk


def _composition_rule(s: Samples) -> int:
    from exemplar.programmes.models import CompositionRule

    rule = CompositionRule.objects.create(
        programme=s.programme(), attribute="management_level", value="senior", kind="at_most_share", threshold=20
    )
    return rule.pk


def _notification(s: Samples) -> int:
    from exemplar.core.models import Notification

    return Notification.objects.create(user=s.employee, message="Sample", created_at=timezone.now()).pk


# One entry per path argument used anywhere in the URL configuration. A new
# argument needs a maker here that returns a value naming an object in branch B
# (or, for programme-wide objects, one of the sample programme's).
MAKERS: dict[str, Callable[[Samples], object]] = {
    "unit": lambda s: s.org.b1.pk,
    "person": lambda s: s.person_in_b().pk,
    "team": _team_in_b,
    "user": lambda s: s.employee.pk,  # an account whose person and grant sit in B1
    "grant": lambda s: s.employee.grants.get().pk,
    "content_type": lambda s: "people.orgunit",
    "object_id": lambda s: str(s.org.b1.pk),
    "uidb64": lambda s: urlsafe_base64_encode(force_bytes(s.employee.pk)),
    "token": lambda s: "not-a-valid-token",
    "import_id": _directory_import,
    "filename": lambda s: "directory-template.xlsx",
    "programme": lambda s: s.programme().pk,
    "category": lambda s: s.programme().categories.get(code="individual").pk,
    "criterion": lambda s: s.programme().criteria.order_by("order").first().pk,
    "phase": lambda s: s.programme().phases.order_by("order").first().pk,
    "department": lambda s: s.programme().vetting_departments.order_by("order").first().pk,
    "rule": _composition_rule,
    "nomination": lambda s: s.nomination().pk,
    "attachment": _attachment,
    "notification": _notification,  # the B1 employee's own
}


@pytest.fixture
def samples(org, employee_user, office_user, settings, tmp_path) -> Samples:
    settings.MEDIA_ROOT = tmp_path  # sample uploads go to a throw-away folder
    log_action(None, "exemplar.test.sample", org.b1)  # so B1's history page has an entry
    return Samples(org, employee_user, office_user)


def _url(route: Route, samples: Samples) -> str:
    missing = [k for k in route.kwargs if k not in samples]
    if missing:
        pytest.fail(
            f"URL {route.name!r} ({route.route}) takes path argument(s) {missing} that the guard test has no "
            f"sample value for. Add a maker for each to MAKERS in tests/meta/test_url_guards.py, returning a "
            f"value that names an object in branch B of the test organisation."
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


@pytest.mark.parametrize("route", BRANCH_B_ROUTES, ids=str)
def test_coordinator_a_never_reaches_branch_b_objects(client, samples, coordinator_a, route):
    client.force_login(coordinator_a)
    url = _url(route, samples)
    assert _try(client, url) in {"forbidden", "not found"}, url


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_the_sample_objects_exist(client, samples, office_user, route):
    """The group office never gets 404 from an object URL, so a 404 above means a guard, not a bad sample.

    (A 403 is fine here: some pages are for coordinators or the nominee only,
    and object views look the object up before they check the permission.)
    """
    client.force_login(office_user)
    response = client.get(_url(route, samples))
    assert response.status_code in {200, 302, 403, 405}, f"{route.name} answered {response.status_code}"


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
