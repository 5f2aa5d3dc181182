"""Display preferences (text size, language) and the content security policy of rendered pages."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from exemplar.core.domain.audit import log_action
from exemplar.core.preferences import FONT_SIZE_COOKIE
from tests.factories.people import PersonFactory, TeamFactory, add_member

pytestmark = pytest.mark.integration


class PageScan(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, inline styles, event-handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.html_attrs: dict[str, str | None] = {}
        self.inline_scripts = 0
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self.handler_attributes: list[str] = []
        self.javascript_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "html":
            self.html_attrs = names
        if tag == "script" and not names.get("src"):
            self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1
        for name, value in attrs:
            if name == "style":
                self.style_attributes.append(f"<{tag} style={value!r}>")
            if name.startswith("on"):
                self.handler_attributes.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.javascript_urls.append(f"<{tag} {name}={value!r}>")

    def problems(self) -> dict[str, object]:
        return {
            "inline <script>": self.inline_scripts,
            "<style> elements": self.style_elements,
            "style= attributes": self.style_attributes,
            "on*= handlers": self.handler_attributes,
            "javascript: URLs": self.javascript_urls,
        }


NO_PROBLEMS = {
    "inline <script>": 0,
    "<style> elements": 0,
    "style= attributes": [],
    "on*= handlers": [],
    "javascript: URLs": [],
}


def scan(response) -> PageScan:
    parser = PageScan()
    parser.feed(response.content.decode())
    return parser


# --- text size ----------------------------------------------------------------


def test_font_size_is_stored_in_a_cookie_and_applied(client, db):
    response = client.post(reverse("set_font_size"), {"size": "large", "next": "/"})
    assert (response.status_code, response.url) == (302, "/")
    cookie = response.cookies[FONT_SIZE_COOKIE]
    assert (cookie.value, bool(cookie["httponly"]), cookie["samesite"]) == ("large", True, "Lax")
    assert scan(client.get("/")).html_attrs["class"] == "fs-large"


def test_default_font_size_is_medium(client, db):
    assert scan(client.get("/")).html_attrs["class"] == "fs-medium"


def test_unknown_font_size_is_ignored(client, db):
    client.post(reverse("set_font_size"), {"size": "small", "next": "/"})
    response = client.post(reverse("set_font_size"), {"size": "enormous", "next": "/"})
    assert FONT_SIZE_COOKIE not in response.cookies
    assert scan(client.get("/")).html_attrs["class"] == "fs-small"


def test_a_forged_cookie_value_falls_back_to_medium(client, db):
    client.cookies[FONT_SIZE_COOKIE] = '"><script>alert(1)</script>'
    assert scan(client.get("/")).html_attrs["class"] == "fs-medium"


def test_font_size_goes_back_to_a_local_page(client, db):
    response = client.post(reverse("set_font_size"), {"size": "small", "next": "/accounts/login/?next=/me/"})
    assert response.url == "/accounts/login/?next=/me/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/path", "http://testserver.evil.example/"])
def test_font_size_refuses_to_redirect_to_another_host(client, db, target):
    response = client.post(reverse("set_font_size"), {"size": "small", "next": target})
    assert (response.status_code, response.url) == (302, "/")


def test_font_size_is_post_only(client, db):
    assert client.get(reverse("set_font_size"), {"size": "large"}).status_code == 405


# --- language -------------------------------------------------------------------


def test_language_switch_sets_the_cookie_and_the_page_language(client, db):
    assert scan(client.get("/")).html_attrs["lang"] == "en"

    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert (response.status_code, response.url) == (302, "/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert scan(client.get("/")).html_attrs["lang"] == "zh-Hans"

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert scan(client.get("/")).html_attrs["lang"] == "en"


def test_language_switch_refuses_another_host(client, db):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "https://evil.example/"})
    assert response.url == "/"


def test_unknown_language_is_ignored(client, db):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert scan(client.get("/")).html_attrs["lang"] == "en"


# --- content security policy ----------------------------------------------------


@pytest.fixture
def pages(org, office_user):
    """The URLs of every kind of page, with data on them."""
    person = PersonFactory(unit=org.a1, name="张伟", name_en="Zhang Wei")
    team = TeamFactory(unit=org.a1)
    add_member(team, person, role="骨干")
    log_action(office_user, "exemplar.test.touched", org.a1, {"why": "<b>markup</b> in data"})
    return {
        "public": ["/", reverse("login"), reverse("password_reset")],
        "signed_in": [
            reverse("portal:home"),
            reverse("password_change"),
            reverse("backoffice:home"),
            reverse("backoffice:tree"),
            reverse("backoffice:unit", args=[org.a1.pk]),
            reverse("backoffice:unit", args=[org.root.pk]),
            reverse("backoffice:person", args=[person.pk]),
            reverse("backoffice:team", args=[team.pk]),
            reverse("backoffice:people_search") + "?q=Zhang",
            reverse("backoffice:people_search") + "?q=zzz-nobody",
            reverse("backoffice:audit_log"),
            reverse("backoffice:history", args=["people.orgunit", org.a1.pk]),
        ],
        "htmx": [reverse("backoffice:unit_children", args=[org.a.pk]), reverse("backoffice:people_search") + "?q=张"],
    }


def _assert_strict_csp(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in policy.split(";") if d.strip()}
    assert directives.get("script-src") == "script-src 'self'"
    assert directives.get("style-src") == "style-src 'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_every_page_sends_a_strict_csp_and_has_nothing_inline(client, pages, office_user):
    seen = {}
    for url in pages["public"]:
        response = client.get(url)
        _assert_strict_csp(response)
        seen[url] = (response.status_code, scan(response).problems())

    client.force_login(office_user)
    for url in pages["signed_in"]:
        response = client.get(url)
        _assert_strict_csp(response)
        seen[url] = (response.status_code, scan(response).problems())
    for url in pages["htmx"]:
        response = client.get(url, headers={"HX-Request": "true"})
        _assert_strict_csp(response)
        seen[url] = (response.status_code, scan(response).problems())

    assert seen == dict.fromkeys(seen, (200, NO_PROBLEMS))


def test_error_pages_send_the_csp(client, org, coordinator_a):
    client.force_login(coordinator_a)
    forbidden = client.get(reverse("backoffice:unit", args=[org.b.pk]))
    missing = client.get("/no-such-page/")
    assert (forbidden.status_code, missing.status_code) == (403, 404)
    _assert_strict_csp(forbidden)
    _assert_strict_csp(missing)
