"""The directory import through a real browser: a file with a bad row is refused with the row, column and reason, then the corrected file goes in."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from exemplar.people.models import Person
from tests.browser.conftest import login, set_language, shot
from tests.conftest import Org
from tests.factories.directory_files import PERSON_HEADER, csv_bytes

pytestmark = pytest.mark.browser


def _people_csv(hire_date_of_second: str) -> bytes:
    return csv_bytes(
        PERSON_HEADER,
        [
            "N-0001",
            "林航",
            "Lin Hang",
            "male",
            "1985-04-02",
            "2010-07-01",
            "装配钳工",
            "front_line",
            "none",
            "A1",
            "active",
            "",
            "lin@example.org",
        ],
        [
            "N-0002",
            "周星",
            "Zhou Xing",
            "female",
            "1990-11-20",
            hire_date_of_second,
            "设计师",
            "technical",
            "none",
            "B1",
            "active",
            "",
            "zhou@example.org",
        ],
    )


def _upload(page: Page, live_server: Any, name: str, content: bytes) -> None:
    page.goto(live_server.url + reverse("backoffice:import_list"))
    page.set_input_files("input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state("networkidle")


def test_bad_row_is_reported_then_the_corrected_file_imports(
    page: Page, live_server: Any, org: Org, office_user: Any
) -> None:
    login(page, live_server, "office", "correct-horse-battery")

    _upload(page, live_server, "people-bad.csv", _people_csv("2019-13-45"))
    errors = page.locator("table.error-table tbody tr")
    expect(errors).to_have_count(1)
    assert errors.first.locator("td").all_inner_texts() == [
        "people",
        "3",
        "hire_date",
        "“2019-13-45” is not a date: write it as YYYY-MM-DD (for example 2024-03-31) or use a date cell.",
    ]
    expect(page.locator("[role=alert]").first).to_be_visible()
    shot(page, "import-rejected-en")
    assert list(Person.objects.filter(staff_number__startswith="N-").values_list("staff_number", flat=True)) == []

    set_language(page, "简体中文")
    shot(page, "import-rejected-zh")
    expect(page.locator("table.error-table tbody tr td").nth(2)).to_have_text("hire_date")
    set_language(page, "English")

    _upload(page, live_server, "people-fixed.csv", _people_csv("2019-03-15"))
    expect(page.locator("table.error-table")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("All 2 rows were imported.")
    shot(page, "import-done-en")
    imported = Person.objects.filter(staff_number__startswith="N-").order_by("staff_number")
    assert [(p.staff_number, p.unit.code, str(p.hire_date)) for p in imported] == [
        ("N-0001", "A1", "2010-07-01"),
        ("N-0002", "B1", "2019-03-15"),
    ]
