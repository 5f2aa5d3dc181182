"""The critical path in a real browser: configure a programme, nominate a person and a team, endorse,
return and resubmit, screen and vet.

Starts from the demo organisation. The office creates the programme, its
categories, phase windows and quotas through the pages, and moves between
phases with the dashboard's panel; the rubric, a composition rule and the two
vetting departments are seeded by the domain writers to keep the test short.
Then the tertiary unit's coordinator, the parent unit's coordinator, the
office and the departments' signatories act through the pages with clicks
and form fills. Every main page is saved as a screenshot in English and in
Chinese (tests/browser/screenshots/programme-*) and checked with axe-core.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from exemplar.nominations.enums import NominationState, VettingVerdict
from exemplar.nominations.models import Nomination, VettingDecision
from exemplar.people.domain.demo import DEMO_PASSWORD, DemoSummary
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import OrgUnit, Person, Team, User
from exemplar.programmes.domain.programmes import (
    CriterionSpec,
    DepartmentSpec,
    LevelSpec,
    RuleSpec,
    add_composition_rule,
    add_criterion,
    add_vetting_department,
)
from exemplar.programmes.models import Programme
from tests.browser.conftest import PageFactory, has_horizontal_overflow, login, shot
from tests.browser.test_accessibility import BLOCKING, axe_violations, dangling_idrefs, describe
from tests.factories.people import PersonFactory, grant, make_user

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
NOMINEE_PASSWORD = "correct-horse-battery"
LANGUAGES = ("en", "zh-hans")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


class Looker:
    """Looks at a page as one account in both languages: a screenshot each, and axe-core's findings.

    Uses its own browser contexts with the CSP bypassed (axe is injected as a
    script); the journey's own pages keep the CSP and fail on any violation.
    """

    def __init__(self, new_page: PageFactory, live_server: Any) -> None:
        self.new_page, self.url = new_page, live_server.url
        self.live_server = live_server
        self.pages: dict[str, Page] = {}
        self.problems: list[str] = []
        self.minor: list[str] = []

    def page_of(self, username: str, password: str) -> Page:
        if username not in self.pages:
            page = self.new_page(bypass_csp=True)
            login(page, self.live_server, username, password)
            self.pages[username] = page
        return self.pages[username]

    def look(self, name: str, path: str, username: str, password: str = DEMO_PASSWORD) -> None:
        page = self.page_of(username, password)
        for language in LANGUAGES:
            page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.url}])
            page.goto(self.url + path)
            shot(page, f"programme-{name}-{language.split('-')[0]}")
            where = f"{name} ({language})"
            if has_horizontal_overflow(page):
                self.problems.append(f"{where}: wider than the window")
            violations = axe_violations(page)
            self.problems.extend(describe(where, [v for v in violations if v["impact"] in BLOCKING]))
            self.problems.extend(f"{where}: {problem}" for problem in dangling_idrefs(page))
            self.minor.extend(describe(where, [v for v in violations if v["impact"] not in BLOCKING]))


def seed_rest_of_set_up(programme: Programme, office: User, vetters: list[User]) -> None:
    """What the test does not click through: the rubric, a composition rule, the vetting departments."""
    for order, (name, name_en, weight) in enumerate(
        [("爱岗敬业", "Dedication", "60"), ("创新突破", "Innovation and breakthroughs", "40")], start=1
    ):
        levels = (LevelSpec(5, "突出", "Outstanding"), LevelSpec(3, "良好", "Good"), LevelSpec(1, "一般", "Fair"))
        add_criterion(
            programme,
            spec=CriterionSpec(name=name, name_en=name_en, weight=Decimal(weight), order=order, levels=levels),
            actor=office,
        )
    add_composition_rule(
        programme,
        spec=RuleSpec(attribute="management_level", value="senior", kind="at_most_share", threshold=Decimal(20)),
        actor=office,
    )
    for order, (name, name_en, vetter) in enumerate(
        [("纪检监察", "Discipline inspection", vetters[0]), ("人力资源", "Human resources", vetters[1])], start=1
    ):
        add_vetting_department(
            programme, spec=DepartmentSpec(name=name, name_en=name_en, order=order, members=(vetter,)), actor=office
        )


def move_on(page: Page, url: str, programme: Programme, to: str) -> None:
    """The dashboard's panel: load it (htmx), then move on."""
    page.goto(f"{url}/office/programmes/{programme.pk}/")
    page.get_by_role("link", name="Move to the next phase…").click()
    button = page.locator("#advance-panel").get_by_role("button", name=f"Move on to “{to}”")
    button.click()
    expect(page.locator(".messages")).to_have_text(f"The programme has moved on to “{to}”.")


def configure(page: Page, url: str) -> Programme:
    """The office creates the programme, its two categories, the nomination window and the quotas."""
    page.goto(f"{url}/office/programmes/")
    page.locator(".sidebar").get_by_role("link", name="New programme").click()
    page.fill("#id_name", "2027年度“航天榜样”评选表彰")
    page.fill("#id_name_en", "Aerospace Role Models 2027")
    page.fill("#id_year", "2027")
    page.fill("#id_description_en", "The group-wide appraisal of the year's role models and role-model teams.")
    page.get_by_role("button", name="Create the programme").click()
    expect(page.locator(".messages")).to_contain_text("Programme created.")
    programme = Programme.objects.get(year=2027)

    tabs = page.get_by_role("navigation", name="Programme sections")
    for code, name, name_en, kind, seats in [
        ("individual", "航天榜样个人", "Aerospace role model", "Individual", "2"),
        ("team", "航天榜样团队", "Aerospace role-model team", "Collective (team)", "8"),
    ]:
        tabs.get_by_role("link", name="Categories").click()
        page.get_by_role("link", name="Add a category").click()
        page.fill("#id_name", name)
        page.fill("#id_name_en", name_en)
        page.fill("#id_code", code)
        page.select_option("#id_kind", label=kind)
        page.fill("#id_seats", seats)
        page.fill("#id_min_service_years", "3")
        page.fill("#id_disciplinary_window_years", "3")
        page.fill("#id_honour_window_years", "3")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".messages")).to_have_text("Category added.")
    expect(page.locator("td.code")).to_have_text(["individual", "team"])

    tabs.get_by_role("link", name="Phases").click()
    row = page.locator("tbody tr", has_text="Employee election")
    row.locator("summary", has_text="Remove…").click()
    row.get_by_role("button", name="Remove “Employee election” for good").click()
    expect(page.locator(".messages")).to_have_text("Phase removed from the programme.")
    today = timezone.localdate()
    page.locator("tbody tr", has_text="Nomination and endorsement").get_by_role("link", name="Edit").click()
    page.fill("#id_starts_at", f"{today - timedelta(days=3):%Y-%m-%d}T09:00")
    page.fill("#id_ends_at", f"{today + timedelta(days=30):%Y-%m-%d}T17:30")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_have_text("Phase saved.")

    tabs.get_by_role("link", name="Nomination quotas").click()
    page.select_option("#id_depth", label="secondary units (depth 1)")
    page.fill("#id_total", "24")
    page.get_by_role("button", name="Apportion").click()
    expect(page.locator(".messages")).to_have_text("Quotas apportioned: 24 nominations among 8 units.")
    return programme


def nominate(page: Page, url: str, *, nominee: Person, team: Team, pdf: Any) -> None:
    """The tertiary unit's coordinator drafts the person (live search, a PDF) and the team, and submits both."""
    page.goto(f"{url}/office/")
    page.locator(".sidebar").get_by_role("link", name="My units' nominations").click()
    page.get_by_role("link", name="New nomination").click()
    page.select_option("#id_category", label="Aerospace role model")
    page.fill("#person-q", nominee.staff_number)
    option = page.get_by_role("radio", name=nominee.name_en)
    expect(option).to_have_count(1)
    option.check()
    page.fill("#id_title", "Zero defects on the engine line for twelve years")
    page.fill("#id_deeds", "<p>Led the <strong>zero-defect</strong> drive on the final assembly line.</p>")
    page.fill("#id_achievements", "Group model worker 2024\nThree invention patents")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Only your unit sees it.")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".messages")).to_have_text("Attached citation.pdf.")
    page.get_by_role("button", name="Submit to the unit above").click()
    expect(page.locator(".messages")).to_contain_text("now waits for First Academy.")

    page.locator(".sidebar").get_by_role("link", name="My units' nominations").click()
    page.get_by_role("link", name="New nomination").click()
    page.select_option("#id_category", label="Aerospace role-model team")
    page.select_option("#id_team", value=str(team.pk))
    page.fill("#id_title", "The team that closed every quality case in a year")
    page.fill("#id_deeds", "<p>Closed out every quality case of the year.</p>")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Only your unit sees it.")
    page.get_by_role("button", name="Submit to the unit above").click()
    expect(page.locator(".messages")).to_contain_text("now waits for First Academy.")


def test_configure_nominate_endorse_return_resubmit_screen_and_vet(
    new_page: PageFactory, live_server: Any, demo: DemoSummary, tmp_path: Any
) -> None:
    url = live_server.url
    looker = Looker(new_page, live_server)
    office_user = User.objects.get(username="office")
    tertiary = OrgUnit.objects.get(code="A1-02")
    team = Team.objects.filter(unit__path__startswith=tertiary.path).order_by("code").first()
    assert team is not None
    nominee = (
        Person.objects.filter(
            unit__path__startswith=tertiary.path,
            status=PersonStatus.ACTIVE,
            hire_date__lte=timezone.localdate() - timedelta(days=5 * 366),
            disciplinary_date__isnull=True,
            account__isnull=True,
        )
        .exclude(memberships__team=team)
        .order_by("staff_number")
        .first()
    )
    assert nominee is not None
    grant(make_user("nominee", person=nominee, password=NOMINEE_PASSWORD), Role.EMPLOYEE, nominee.unit)
    second_vetter = make_user(
        "vetting2", person=PersonFactory(unit=OrgUnit.objects.get(depth=0)), password=DEMO_PASSWORD
    )
    grant(second_vetter, Role.VETTING, OrgUnit.objects.get(depth=0))
    pdf = tmp_path / "citation.pdf"
    pdf.write_bytes(PDF)

    # The office configures the programme and opens nominating.
    office: Page = new_page()
    login(office, live_server, "office", DEMO_PASSWORD)
    programme = configure(office, url)
    # Without a rubric the programme cannot open nominating: the panel says why.
    office.goto(f"{url}/office/programmes/{programme.pk}/")
    office.get_by_role("link", name="Move to the next phase…").click()
    expect(office.locator("#advance-panel .blockers li")).to_have_text(["The rubric has no weighted criterion."])
    looker.look("advance-blocked", f"/office/programmes/{programme.pk}/advance/", "office")
    seed_rest_of_set_up(programme, office_user, [User.objects.get(username="vetting"), second_vetter])
    move_on(office, url, programme, "Nomination and endorsement")
    expect(office.locator(".phase-timeline [aria-current=step] .phase-name")).to_have_text("Nomination and endorsement")
    looker.look("dashboard", f"/office/programmes/{programme.pk}/", "office")
    looker.look("quotas", f"/office/programmes/{programme.pk}/quotas/", "office")

    # The tertiary unit nominates a person and a team.
    coordinator: Page = new_page()
    login(coordinator, live_server, "coordinator2", DEMO_PASSWORD)
    looker.look(
        "nomination-form", f"/office/programmes/{programme.pk}/nominate/{tertiary.pk}/?person_q=Wang", "coordinator2"
    )
    nominate(coordinator, url, nominee=nominee, team=team, pdf=pdf)
    person_n = Nomination.objects.get(person=nominee)
    team_n = Nomination.objects.get(team=team)

    # The parent unit endorses the person and returns the team with a reason.
    parent: Page = new_page()
    login(parent, live_server, "coordinator", DEMO_PASSWORD)
    parent.goto(f"{url}/office/coordinator/{programme.pk}/")
    expect(parent.locator("#awaiting-title .badge")).to_have_text("2")
    looker.look("dossier-endorse", f"/office/nominations/{team_n.pk}/", "coordinator")
    parent.get_by_role("link", name=person_n.reference).click()
    parent.get_by_role("button", name="Endorse").click()
    expect(parent.locator(".messages")).to_have_text(
        f"Endorsed: {person_n.reference} has gone to the programme office."
    )
    parent.goto(f"{url}/office/coordinator/{programme.pk}/")
    parent.get_by_role("link", name=team_n.reference).click()
    parent.fill("#return-reason", "Add the 2025 quality figures")
    parent.get_by_role("button", name="Return to the nominating unit").click()
    expect(parent.locator(".messages")).to_contain_text("with your reason")

    # The nominating coordinator reads the reason, edits and resubmits; the parent endorses.
    coordinator.goto(f"{url}/office/coordinator/{programme.pk}/")
    expect(coordinator.locator(".reason")).to_contain_text("Add the 2025 quality figures")
    looker.look("coordinator-dashboard", f"/office/coordinator/{programme.pk}/", "coordinator2")
    coordinator.get_by_role("link", name=team_n.reference).click()
    expect(coordinator.locator(".message-warning")).to_contain_text("Add the 2025 quality figures")
    coordinator.fill("#id_deeds", "<p>Closed out every quality case of 2025: 0 open at year end.</p>")
    coordinator.get_by_role("button", name="Save", exact=True).click()
    expect(coordinator.locator(".messages")).to_have_text("Dossier saved.")
    coordinator.get_by_role("button", name="Submit to the unit above").click()
    expect(coordinator.locator(".messages")).to_contain_text("now waits for First Academy.")
    parent.goto(f"{url}/office/nominations/{team_n.pk}/")
    parent.get_by_role("button", name="Endorse").click()
    expect(parent.locator(".messages")).to_have_text(f"Endorsed: {team_n.reference} has gone to the programme office.")

    # The office screens both and opens vetting.
    move_on(office, url, programme, "Screening")
    looker.look("office-dashboard", f"/office/programmes/{programme.pk}/screening/", "office")
    looker.look("dossier-screening", f"/office/nominations/{person_n.pk}/", "office")
    for nomination in (person_n, team_n):
        office.goto(f"{url}/office/programmes/{programme.pk}/screening/")
        office.get_by_role("link", name=nomination.reference).click()
        office.get_by_role("button", name="Confirm: on to vetting").click()
        expect(office.locator(".messages")).to_have_text(
            f"Nomination {nomination.reference} confirmed: it goes on to vetting."
        )
    move_on(office, url, programme, "Vetting")

    # The first department approves the person and vetoes the team; the second approves the person.
    vetting: Page = new_page()
    login(vetting, live_server, "vetting", DEMO_PASSWORD)
    vetting.goto(f"{url}/office/")
    vetting.locator(".sidebar").get_by_role("link", name="Vetting", exact=True).click()
    vetting.get_by_role("link", name="Discipline inspection").first.click()
    looker.look("vetting-worklist", vetting.url.removeprefix(url), "vetting")
    vetting.locator("tr", has_text=person_n.reference).get_by_role("button", name="Approve").click()
    expect(vetting.locator(".messages")).to_have_text(f"{person_n.reference} approved for Discipline inspection.")
    row = vetting.locator("tr", has_text=team_n.reference)
    row.locator("summary", has_text="Veto…").click()
    row.get_by_label("Reason for the veto").fill("An open quality case")
    row.get_by_role("button", name="Veto this candidate").click()
    expect(vetting.locator(".messages")).to_have_text(f"{team_n.reference} vetoed for Discipline inspection.")
    looker.look("vetting-matrix", f"/office/programmes/{programme.pk}/vetting-matrix/", "office")
    office.goto(f"{url}/office/programmes/{programme.pk}/vetting-matrix/")
    expect(office.locator(".verdict-missing")).to_have_count(1)

    hr: Page = new_page()
    login(hr, live_server, "vetting2", DEMO_PASSWORD)
    hr.goto(f"{url}/office/programmes/{programme.pk}/vetting-worklist/")
    hr.locator("tr", has_text=person_n.reference).get_by_role("button", name="Approve").click()
    expect(hr.locator(".messages")).to_have_text(f"{person_n.reference} approved for Human resources.")
    office.reload()
    expect(office.locator(".verdict-missing")).to_have_count(0)
    expect(office.locator("tbody tr", has_text=person_n.reference).locator(".status").first).to_have_text(
        "Cleared by vetting"
    )
    person_n.refresh_from_db()
    team_n.refresh_from_db()
    veto = VettingDecision.objects.get(nomination=team_n, verdict=VettingVerdict.VETOED)
    assert (person_n.state, team_n.state, veto.reason) == (
        NominationState.APPROVED,
        NominationState.VETOED,
        "An open quality case",
    )

    # The nominee reads the dossier in the portal.
    looker.look("portal-dossier", f"/me/dossiers/{person_n.pk}/", "nominee", NOMINEE_PASSWORD)
    assert looker.problems == []
    if looker.minor:
        print("Moderate and minor findings:\n" + "\n".join(looker.minor))
