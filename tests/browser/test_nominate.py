"""Nominating through a real browser: the live nominee search, a draft with an attachment, submit, return with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Attachment, Nomination
from exemplar.people.enums import Role
from tests.browser.conftest import PageFactory, login, shot
from tests.browser.test_accessibility import BLOCKING, axe_violations, dangling_idrefs, describe
from tests.conftest import Org
from tests.factories.people import PersonFactory, grant, make_user
from tests.factories.programmes import make_programme

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def check_accessible(page: Page, url: str, where: str) -> None:
    """No serious or critical WCAG 2.2 AA violation (axe-core), no ARIA reference to a missing id."""
    page.goto(url)
    problems = describe(where, [v for v in axe_violations(page) if v["impact"] in BLOCKING])
    assert problems + dangling_idrefs(page) == []


def test_coordinator_nominates_and_the_parent_returns_it(
    new_page: PageFactory, live_server: Any, org: Org, coordinator_a: Any, tmp_path: Any
) -> None:
    programme = make_programme(coordinator_a)
    coordinator_a1 = make_user("coord_a1", person=PersonFactory(unit=org.a1, name_en="Coordinator A1"))
    grant(coordinator_a1, Role.UNIT_COORDINATOR, org.a1)
    nominee = PersonFactory(unit=org.a1, name="李雷", name_en="Li Lei", job_title="Machinist")
    PersonFactory(unit=org.b1, name_en="Li Lei of B")

    page: Page = new_page()
    login(page, live_server, "coord_a1", PASSWORD)
    page.goto(f"{live_server.url}/office/")
    page.get_by_role("link", name="My units' nominations").click()
    expect(page.locator("h1")).to_have_text("My units' nominations")
    shot(page, "nominate-dashboard-empty")
    page.get_by_role("link", name="New nomination").click()

    page.select_option("#id_category", label="Role model")
    page.fill("#person-q", "Li Lei")
    option = page.get_by_role("radio", name="Li Lei")
    expect(option).to_have_count(1)  # the namesake in branch B is not offered
    option.check()
    page.fill("#id_title", "Forty years at the lathe")
    page.fill("#id_deeds", "<p>Made <strong>zero</strong> defects</p><script>alert(1)</script>")
    page.fill("#id_achievements", "National model worker\nTwo patents")
    shot(page, "nominate-form")
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator(".messages")).to_contain_text("Only your unit sees it.")
    expect(page.locator(".deeds strong")).to_have_text("zero")
    pdf = tmp_path / "citation.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".messages")).to_have_text("Attached citation.pdf.")
    shot(page, "nominate-edit")
    page.get_by_role("button", name="Submit to the unit above").click()
    expect(page.locator(".messages")).to_contain_text("now waits for Unit A.")

    nomination = Nomination.objects.get()
    assert (nomination.person, nomination.state, Attachment.objects.count()) == (nominee, NominationState.SUBMITTED, 1)

    parent: Page = new_page()
    login(parent, live_server, "coord_a", PASSWORD)
    parent.goto(f"{live_server.url}/office/coordinator/{programme.pk}/")
    shot(parent, "nominate-dashboard-waiting")
    parent.get_by_role("link", name=nomination.reference).click()
    expect(parent.locator("h1")).to_contain_text("Li Lei")
    shot(parent, "nominate-dossier-endorse")
    audit: Page = new_page(bypass_csp=True)  # axe is injected as a script, which the CSP rightly refuses
    login(audit, live_server, "coord_a", PASSWORD)
    check_accessible(audit, parent.url, "dossier with endorse and return")
    parent.fill("#return-reason", "Add the 2025 test results")
    parent.get_by_role("button", name="Return to the nominating unit").click()
    expect(parent.locator(".messages")).to_contain_text("with your reason")

    page.goto(f"{live_server.url}/office/coordinator/{programme.pk}/")
    expect(page.locator(".reason")).to_contain_text("Add the 2025 test results")
    expect(page.locator(".account-menu summary .badge")).to_contain_text("1")
    shot(page, "nominate-dashboard-returned")
    audit = new_page(bypass_csp=True)
    login(audit, live_server, "coord_a1", PASSWORD)
    for where in [
        f"/office/coordinator/{programme.pk}/",
        f"/office/programmes/{programme.pk}/nominate/{org.a1.pk}/?person_q=Li",
        f"/office/nominations/{nomination.pk}/edit/",
        f"/office/nominations/{nomination.pk}/",
    ]:
        check_accessible(audit, live_server.url + where, where)
    assert Nomination.objects.get().state == NominationState.RETURNED
