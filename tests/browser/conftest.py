"""Harness for the browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught exception or a
Content-Security-Policy violation ("Refused to ...") fails the test. Screenshots
go to tests/browser/screenshots/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told it is safe (it is: the loop
# only drives the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from exemplar.people.domain.demo import DEMO_PASSWORD, DemoSummary, load_demo
from exemplar.people.models import OrgUnit, Person

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
AXE_JS = HERE / "vendor" / "axe.min.js"  # axe-core 4.14.1, MPL-2.0: see vendor/axe.LICENSE
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
OFFICE = ("office", DEMO_PASSWORD)

PageFactory = Callable[..., Page]


@pytest.fixture(scope="session", autouse=True)
def _static_root() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing; the live server serves from the apps anyway."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """What went wrong in the pages of one test: console errors, page errors, server errors."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.items.append(f"uncaught exception: {exc}"))
        page.on(
            "response",
            lambda r: self.items.append(f"HTTP {r.status} for {r.url}") if r.status >= 500 else None,
        )

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            kind = "CSP violation" if msg.text.startswith("Refused to") else "console error"
            self.items.append(f"{kind}: {msg.text} (at {msg.location.get('url', '?')})")


@pytest.fixture
def new_page(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[PageFactory]:
    """Open a page in a fresh browser context; keyword arguments go to ``browser.new_context``.

    After the test, fails if any page logged a console error, threw, or broke the CSP.
    """
    problems = PageProblems()
    contexts: list[BrowserContext] = []

    def factory(**options: Any) -> Page:
        settings = {"viewport": DESKTOP, "locale": "en-US", "base_url": live_server.url, **options}
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield factory
    for context in contexts:
        context.close()
    if problems.items:
        pytest.fail("The browser reported problems:\n  " + "\n  ".join(problems.items), pytrace=False)


@pytest.fixture
def demo(transactional_db: None) -> DemoSummary:
    """The demo organisation (Aurora Aerospace Group): realistic names for realistic screenshots."""
    return load_demo()


@pytest.fixture
def page(new_page: PageFactory) -> Page:
    """A page 1280 by 900 pixels in en-US, in its own context."""
    return new_page()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as tests/browser/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def login(page: Page, live_server: Any, username: str, password: str) -> None:
    """Sign in through the login form and wait for the redirect away from it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def set_language(page: Page, label: str) -> None:
    """Choose a language in the header menu (the form submits itself) and wait for the reload."""
    with page.expect_navigation():
        page.select_option("#lang-select", label=label)
    page.wait_for_load_state()


def html_lang(page: Page) -> str:
    return page.get_attribute("html", "lang") or ""


def html_font_size(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).fontSize")


def has_horizontal_overflow(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


PUBLIC_PAGES = [("home", "/"), ("login", "/accounts/login/")]


def signed_in_pages() -> list[tuple[str, str]]:
    """The pages the demo's programme office sees, by name: a unit and a person from the demo organisation."""
    unit = OrgUnit.objects.get(code="A1-02")
    person = Person.objects.filter(unit=unit).order_by("staff_number").first()
    assert person is not None
    return [
        ("portal", "/me/"),
        ("dashboard", "/office/"),
        ("tree", "/office/org/"),
        ("unit", f"/office/org/units/{unit.pk}/"),
        ("person", f"/office/org/people/{person.pk}/"),
        ("search", "/office/org/people/?q=Wang"),
        ("audit", "/office/audit/"),
    ]


def visit(page: Page, live_server: Any, name: str, path: str) -> None:
    """Open one of the pages above; the tree with its first branch open, so the loaded fragment shows too."""
    page.goto(f"{live_server.url}{path}")
    if name == "tree":
        page.locator(".tree-toggle").first.click()
        page.locator(".tree-children .tree-children .tree-node").first.wait_for()
