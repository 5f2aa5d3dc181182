"""The foundation through a real browser: sign in, language, text size, the unit tree, search, keyboard, sign out."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from exemplar.people.domain.demo import DemoSummary
from exemplar.people.models import Person
from tests.browser.conftest import OFFICE, html_font_size, html_lang, login, set_language, shot
from tests.conftest import Org
from tests.factories.people import PersonFactory, TeamFactory, add_member

pytestmark = pytest.mark.browser

CHINESE_CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def test_office_signs_in_and_sees_the_backoffice(page: Page, live_server: Any, org: Org, office_user: Any) -> None:
    team = TeamFactory(unit=org.a1, name_en="Rocket Team")
    add_member(team, PersonFactory(unit=org.a1, name_en="Ada Lovelace"), role="lead")
    PersonFactory(unit=org.b1, name_en="Grace Hopper")

    login(page, live_server, "office", "correct-horse-battery")
    page.goto(f"{live_server.url}/office/")

    expect(page.locator("h1")).to_have_text("Overview")
    # ROOT, A, A1, A2, B, B1; the office's own person and the two above; the one team.
    assert page.locator(".stat-value").all_inner_texts() == ["6", "3", "1"]
    expect(page.locator(".sidebar a[aria-current=page]")).to_have_text("Overview")
    expect(page.locator(".account-menu summary")).to_contain_text("(office)")


def test_wrong_password_is_refused(page: Page, live_server: Any, office_user: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "not-the-password")
    page.locator("main button[type=submit]").click()

    expect(page.locator(".form-errors")).to_be_visible()
    assert page.url == f"{live_server.url}/accounts/login/"
    expect(page.locator(".account-menu")).to_have_count(0)


def test_switch_language_between_english_and_chinese(page: Page, live_server: Any, demo: DemoSummary) -> None:
    login(page, live_server, *OFFICE)
    page.goto(f"{live_server.url}/office/org/")
    assert html_lang(page) == "en"
    expect(page.locator("h1")).to_have_text("Unit tree")
    expect(page.locator(".tree h2 a")).to_have_text("Aurora Aerospace Group")
    shot(page, "language-en-tree")

    set_language(page, "简体中文")

    assert page.url == f"{live_server.url}/office/org/"
    assert html_lang(page) == "zh-Hans"
    expect(page.locator(".tree h2 a")).to_have_text("曙光航天集团")
    expect(page.locator("#lang-select option:checked")).to_have_text("简体中文")
    if CHINESE_CATALOGUE.exists():
        with translation.override("zh-hans"):
            heading = gettext("Unit tree")
        assert heading != "Unit tree"
        expect(page.locator("h1")).to_have_text(heading)
    shot(page, "language-zh-tree")

    # The choice is remembered on the next page.
    page.goto(f"{live_server.url}/office/")
    assert html_lang(page) == "zh-Hans"

    set_language(page, "English")

    assert html_lang(page) == "en"
    expect(page.locator("h1")).to_have_text("Overview")


def test_text_size_buttons_change_the_root_font_size_and_persist(
    page: Page, live_server: Any, demo: DemoSummary
) -> None:
    login(page, live_server, *OFFICE)
    page.goto(f"{live_server.url}/office/")
    assert html_font_size(page) == "16px"
    expect(page.locator(".fs-btn-medium")).to_have_attribute("aria-pressed", "true")

    sizes = []
    for size in ("small", "large", "medium", "large"):
        with page.expect_navigation():
            page.locator(f".fs-btn-{size}").click()
        sizes.append((html_font_size(page), page.get_attribute(f".fs-btn-{size}", "aria-pressed")))
    assert sizes == [("14px", "true"), ("20px", "true"), ("16px", "true"), ("20px", "true")]
    assert page.url == f"{live_server.url}/office/"
    expect(page.locator("html")).to_have_class(re.compile(r"\bfs-large\b"))
    shot(page, "font-large-dashboard")

    page.reload()
    assert html_font_size(page) == "20px"
    page.locator(".sidebar a", has_text="Unit tree").click()
    page.wait_for_url("**/office/org/")
    assert html_font_size(page) == "20px"
    page.goto(f"{live_server.url}/")
    assert html_font_size(page) == "20px"
    expect(page.locator(".fs-btn-large")).to_have_attribute("aria-pressed", "true")


def test_browse_the_tree_open_a_unit_and_a_person(page: Page, live_server: Any, demo: DemoSummary) -> None:
    login(page, live_server, *OFFICE)
    page.goto(f"{live_server.url}/office/org/")
    first = page.locator(".tree > .tree-children > .tree-node").first
    toggle = first.locator(":scope > .tree-row > .tree-toggle")
    children = first.locator(":scope > .tree-children")
    expect(first.locator(":scope > .tree-row > a")).to_have_text("First Academy")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()

    with page.expect_response(re.compile(r"/office/org/units/\d+/children/$")):
        toggle.click()

    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(children).to_be_visible()
    expect(children.locator(".tree-node")).to_have_count(5)
    expect(children.locator(".tree-node a").first).to_have_text("First Academy, Systems Design Department")
    shot(page, "tree-expanded")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()
    toggle.click()  # opens again from what was loaded, without another request
    expect(children.locator(".tree-node")).to_have_count(5)

    children.locator(".tree-node a", has_text="Propulsion Institute").click()
    page.wait_for_url(re.compile(r"/office/org/units/\d+/$"))
    expect(page.locator("h1")).to_contain_text("First Academy, Propulsion Institute")
    expect(page.locator(".breadcrumbs li")).to_have_text(["Aurora Aerospace Group", "First Academy"])
    shot(page, "unit-page")

    person_link = page.locator("#people-title ~ table tbody tr a").first
    name = person_link.inner_text()
    person_link.click()
    page.wait_for_url(re.compile(r"/office/org/people/\d+/$"))
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator(".breadcrumbs li")).to_have_text(
        ["Aurora Aerospace Group", "First Academy", "First Academy, Propulsion Institute"]
    )


def test_search_people_live_and_by_staff_number(page: Page, live_server: Any, demo: DemoSummary) -> None:
    login(page, live_server, *OFFICE)
    page.goto(f"{live_server.url}/office/org/people/")
    expect(page.locator("#results")).to_contain_text("Type a name")

    # Typing searches as you go (htmx), without a page load, and the address follows.
    with page.expect_response(re.compile(r"/office/org/people/\?.*q=Wang")):
        page.locator("#q").press_sequentially("Wang", delay=30)
    expect(page.locator("#results")).to_contain_text(re.compile(r"\d+ matches"))
    names = page.locator("#results tbody tr td:nth-child(2)").all_inner_texts()
    assert names
    assert all("wang" in n.lower() for n in names), names
    expect(page).to_have_url(re.compile(r"q=Wang"))
    shot(page, "search-results")

    wanted = Person.objects.get(staff_number="E000042")
    page.locator("#q").fill("E000042")
    expect(page.locator("#results")).to_contain_text("1 match")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody td.code")).to_have_text("E000042")
    page.locator("#results tbody a").click()
    page.wait_for_url(f"**/office/org/people/{wanted.pk}/")
    expect(page.locator("h1")).to_contain_text(wanted.display_name)
    shot(page, "person-page")

    # Back shows the whole search page again, not the cached results fragment.
    page.go_back()
    expect(page.locator("h1")).to_have_text("Find people")
    expect(page.locator("#q")).to_have_value("E000042")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.locator("#q").fill("Nobody-of-that-name")
    expect(page.locator("#results")).to_contain_text("Nobody in your scope matches")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Page, live_server: Any, demo: DemoSummary
) -> None:
    login(page, live_server, *OFFICE)
    page.goto(f"{live_server.url}/office/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    expect(page.locator(".skip-link")).to_be_in_viewport()
    shot(page, "skip-link-focused")

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # The next stop is inside the main content, not back in the header.
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_sign_out_through_the_account_menu(page: Page, live_server: Any, demo: DemoSummary) -> None:
    login(page, live_server, *OFFICE)
    page.goto(f"{live_server.url}/me/")
    menu = page.locator(".account-menu")
    sign_out = menu.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()

    menu.locator("summary").click()
    expect(sign_out).to_be_visible()
    shot(page, "account-menu-open")
    sign_out.click()

    page.wait_for_url("**/accounts/login/")
    expect(page.locator(".account-menu")).to_have_count(0)
    page.goto(f"{live_server.url}/office/")
    assert "/accounts/login/" in page.url
