"""axe-core (vendored in tests/browser/vendor, MPL-2.0) over every page, in both languages and at the large text size.

The page is opened with the CSP bypassed so that the test can inject axe; the other
browser tests keep the CSP and fail on any violation of it.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pytest
from django.conf import settings
from playwright.sync_api import Page

from exemplar.core.preferences import FONT_SIZE_COOKIE
from exemplar.people.domain.demo import DemoSummary
from tests.browser.conftest import (
    AXE_JS,
    DESKTOP,
    OFFICE,
    PHONE,
    PUBLIC_PAGES,
    PageFactory,
    login,
    signed_in_pages,
    visit,
)

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def dangling_idrefs(page: Page) -> list[str]:
    """ARIA references to ids that are not on the page (axe only reports these as "incomplete")."""
    return page.evaluate(
        """() => {
          const found = [];
          for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls", "aria-owns"]) {
            for (const el of document.querySelectorAll(`[${attr}]`)) {
              for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) found.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}="${id}"`);
              }
            }
          }
          return found;
        }"""
    )


def describe(where: str, violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary'].replace(chr(10), ' ')}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return lines


class Case(NamedTuple):
    language: str
    font_size: str
    viewport: dict[str, int]


@pytest.mark.parametrize(
    "case",
    [
        Case("en", "medium", DESKTOP),
        Case("zh-hans", "medium", DESKTOP),
        Case("zh-hans", "large", DESKTOP),
        Case("en", "large", PHONE),
    ],
    ids=["en", "zh-hans", "zh-hans-large", "en-large-phone"],
)
def test_no_serious_accessibility_violations(
    new_page: PageFactory, live_server: Any, demo: DemoSummary, case: Case
) -> None:
    page = new_page(bypass_csp=True, viewport=case.viewport)
    page.context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": case.language, "url": live_server.url},
            {"name": FONT_SIZE_COOKIE, "value": case.font_size, "url": live_server.url},
        ]
    )
    report: list[str] = []
    minor: list[str] = []

    def check(name: str, path: str | None) -> None:
        if path is not None:
            visit(page, live_server, name, path)
        report.extend(f"{name}: {problem}" for problem in dangling_idrefs(page))
        violations = axe_violations(page)
        report.extend(describe(name, [v for v in violations if v["impact"] in BLOCKING]))
        minor.extend(describe(name, [v for v in violations if v["impact"] not in BLOCKING]))

    for name, path in PUBLIC_PAGES:
        check(name, path)
    page.locator("main button[type=submit]").click()  # empty: the form shows its errors
    page.locator(".field-errors").first.wait_for()
    check("login-with-errors", None)
    login(page, live_server, *OFFICE)
    for name, path in signed_in_pages():
        check(name, path)

    if minor:
        print("Moderate and minor findings:\n" + "\n".join(minor))
    assert report == [], "Serious or critical accessibility problems:\n" + "\n".join(report)
