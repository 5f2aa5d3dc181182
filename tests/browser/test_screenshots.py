"""Every page in both languages, on a desktop and on a phone, saved for a human to look at.

Also checks what a screenshot would show at a glance: nothing wider than a phone's
screen, and Chinese text drawn with a CJK font rather than boxes.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from django.conf import settings

from exemplar.core.preferences import FONT_SIZE_COOKIE
from exemplar.people.domain.demo import DemoSummary
from tests.browser.conftest import (
    DESKTOP,
    OFFICE,
    PHONE,
    PUBLIC_PAGES,
    PageFactory,
    has_horizontal_overflow,
    login,
    shot,
    signed_in_pages,
    visit,
)

pytestmark = pytest.mark.browser

SCREENS = {"desktop": DESKTOP, "phone": PHONE}


class Case(NamedTuple):
    language: str
    screen: str
    font_size: str

    @property
    def prefix(self) -> str:
        size = "-large" if self.font_size == "large" else ""
        return f"{self.language.split('-', maxsplit=1)[0]}-{self.screen}{size}"


@pytest.mark.parametrize(
    "case",
    [
        Case("en", "desktop", "medium"),
        Case("zh-hans", "desktop", "medium"),
        Case("en", "phone", "medium"),
        Case("zh-hans", "phone", "medium"),
        Case("zh-hans", "phone", "large"),
    ],
    ids=lambda c: c.prefix,
)
def test_screenshots_of_every_page(new_page: PageFactory, live_server: Any, demo: DemoSummary, case: Case) -> None:
    screen = case.screen
    page = new_page(viewport=SCREENS[screen], is_mobile=screen == "phone", has_touch=screen == "phone")
    page.context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": case.language, "url": live_server.url},
            {"name": FONT_SIZE_COOKIE, "value": case.font_size, "url": live_server.url},
        ]
    )
    prefix = case.prefix
    overflowing = []

    def capture(name: str, path: str) -> None:
        visit(page, live_server, name, path)
        shot(page, f"{prefix}-{name}")
        if screen == "phone" and has_horizontal_overflow(page):
            overflowing.append(name)

    for name, path in PUBLIC_PAGES:
        capture(name, path)
    login(page, live_server, *OFFICE)
    for name, path in signed_in_pages():
        capture(name, path)
    page.goto(f"{live_server.url}/office/")
    page.locator(".account-menu summary").click()
    shot(page, f"{prefix}-account-menu")
    menu = page.locator(".account-menu ul").bounding_box()
    assert menu is not None
    width = SCREENS[screen]["width"]
    assert (menu["x"] >= 0, menu["x"] + menu["width"] <= width) == (True, True), (
        f"the account menu is off screen: {menu}"
    )

    assert overflowing == [], f"wider than the {screen} screen"
