"""The directory import pages: upload, outcome with every bad row, progress polling, templates, guards."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exemplar.people.domain.importer.columns import COLUMNS, KINDS
from exemplar.people.domain.importer.read import read_tables
from exemplar.people.enums import ImportState
from exemplar.people.models import DirectoryImport, OrgUnit, Person
from tests.factories.directory_files import PERSON_HEADER, UNIT_HEADER, csv_bytes, person_row, upload

pytestmark = pytest.mark.integration

LIST = reverse("backoffice:import_list")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_file(client, content: bytes, name: str):
    return client.post(LIST, {"file": upload(content, name)}, follow=True)


def make_import(user, name: str, state: str = ImportState.DONE) -> DirectoryImport:
    return DirectoryImport.objects.create(
        uploaded_by=user, uploaded_at=timezone.now(), file=f"directory-imports/{name}", original_name=name, state=state
    )


def test_office_uploads_a_good_file_and_sees_the_summary(client, org, office_user):
    client.force_login(office_user)
    response = post_file(client, csv_bytes(UNIT_HEADER, ["C", "丙分部", "Branch C", "ROOT"]), "units.csv")
    record = DirectoryImport.objects.get()
    assert response.redirect_chain == [(reverse("backoffice:import_detail", args=[record.pk]), 302)]
    assert response.context["summary"] == [
        {"kind": "units", "label": "Units", "created": 1, "updated": 0, "moved": 0, "unchanged": 0}
    ]
    assert 'hx-trigger="every 1s"' not in response.content.decode()
    assert OrgUnit.objects.filter(code="C", parent=org.root).exists()


def test_office_sees_every_bad_row_and_nothing_changes(client, org, office_user):
    client.force_login(office_user)
    people_before = Person.objects.count()
    content = csv_bytes(
        PERSON_HEADER,
        person_row("E1", "A1"),
        person_row("E2", "NOPE", birth_date="2001-02-30"),
        person_row("E1", "A1"),
    )
    response = post_file(client, content, "people.csv")
    page = response.content.decode()
    assert response.context["record"].state == ImportState.REJECTED
    assert response.context["errors"] == [
        {
            "sheet": "people",
            "row": 3,
            "column": "birth_date",
            "message": "“2001-02-30” is not a date: write it as YYYY-MM-DD (for example 2024-03-31) or use a date cell.",
        },
        {
            "sheet": "people",
            "row": 3,
            "column": "unit_code",
            "message": "Unit NOPE is neither in this file nor in the directory.",
        },
        {
            "sheet": "people",
            "row": 4,
            "column": "staff_number",
            "message": "Staff number E1 is given twice: first on row 2.",
        },
    ]
    assert "3 problems were found, so nothing was imported." in page
    assert "Unit NOPE is neither in this file nor in the directory." in page
    assert Person.objects.count() == people_before


def test_errors_are_stored_as_codes_so_each_reader_gets_their_language(client, org, office_user):
    client.force_login(office_user)
    post_file(client, csv_bytes(PERSON_HEADER, person_row("E2", "NOPE")), "people.csv")
    record = DirectoryImport.objects.get()
    assert record.errors == [
        {"sheet": "people", "row": 2, "column": "unit_code", "code": "unknown_unit", "params": {"code": "NOPE"}}
    ]


def test_a_disguised_file_is_refused_in_the_form(client, org, office_user):
    client.force_login(office_user)
    response = post_file(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "people.xlsx")
    assert response.redirect_chain == []
    assert response.context["form"].errors == {"file": ["The file is neither an XLSX workbook nor a CSV text file."]}
    assert 'role="alert"' in response.content.decode()
    assert DirectoryImport.objects.count() == 0


def test_an_empty_form_names_the_missing_file(client, org, office_user):
    client.force_login(office_user)
    response = client.post(LIST, {})
    assert response.context["form"].errors == {"file": ["This field is required."]}


def test_progress_panel_polls_only_while_the_import_runs(client, org, office_user):
    client.force_login(office_user)
    running = make_import(office_user, "big.xlsx", ImportState.VALIDATING)
    DirectoryImport.objects.filter(pk=running.pk).update(total_rows=200, processed_rows=50)
    response = client.get(reverse("backoffice:import_progress", args=[running.pk]))
    page = response.content.decode()
    progress_url = reverse("backoffice:import_progress", args=[running.pk])
    assert f'hx-get="{progress_url}" hx-trigger="every 1s"' in page
    assert '<progress class="progress" max="200" value="50"' in page
    assert "<html" not in page  # the partial alone
    DirectoryImport.objects.filter(pk=running.pk).update(state=ImportState.APPLYING, processed_rows=200)
    page = client.get(progress_url).content.decode()
    assert ('hx-trigger="every 1s"' in page, '<progress class="progress" aria-labelledby' in page) == (True, True)
    DirectoryImport.objects.filter(pk=running.pk).update(state=ImportState.DONE, summary={})
    assert "hx-trigger" not in client.get(progress_url).content.decode()


def test_list_shows_past_imports_and_the_sidebar_link(client, org, office_user):
    client.force_login(office_user)
    first, second = make_import(office_user, "a.xlsx"), make_import(office_user, "b.csv", ImportState.REJECTED)
    response = client.get(LIST)
    assert response.context["imports"] == [second, first]
    assert f'<a href="{LIST}" aria-current="page">' in response.content.decode()


def test_list_query_count_is_the_same_for_1_and_3_imports(client, org, office_user, django_assert_num_queries):
    client.force_login(office_user)
    make_import(office_user, "file0.csv")
    client.get(LIST)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    make_import(office_user, "file1.csv")
    make_import(office_user, "file2.csv")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert [i.original_name for i in response.context["imports"]] == ["file2.csv", "file1.csv", "file0.csv"]


def test_coordinator_gets_403_everywhere(client, org, office_user, coordinator_a):
    record = make_import(office_user, "a.csv")
    client.force_login(coordinator_a)
    urls = [
        LIST,
        reverse("backoffice:import_detail", args=[record.pk]),
        reverse("backoffice:import_progress", args=[record.pk]),
        reverse("backoffice:import_template", args=["directory-template.xlsx"]),
    ]
    assert [client.get(url).status_code for url in urls] == [403, 403, 403, 403]
    response = client.post(LIST, {"file": upload(csv_bytes(UNIT_HEADER, ["C", "丙", "", "ROOT"]), "units.csv")})
    assert (response.status_code, DirectoryImport.objects.count()) == (403, 1)


def test_workbook_template_is_a_valid_xlsx_with_every_sheet(client, org, office_user):
    import openpyxl

    client.force_login(office_user)
    response = client.get(reverse("backoffice:import_template", args=["directory-template.xlsx"]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="directory-template.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["readme", *KINDS]
    headers = {kind: [c.value for c in next(workbook[kind].iter_rows(max_row=1))] for kind in KINDS}
    assert headers == {kind: [c.name for c in COLUMNS[kind]] for kind in KINDS}
    readme_columns = [row[1] for row in workbook["readme"].iter_rows(min_row=2, values_only=True)]
    assert readme_columns == [c.name for kind in KINDS for c in COLUMNS[kind]]
    tables = read_tables(io.BytesIO(response.content), size=len(response.content), max_bytes=10**6)
    assert [(t.kind, len(t.rows)) for t in tables] == [(kind, 1) for kind in KINDS]


@pytest.mark.parametrize("kind", KINDS)
def test_csv_templates_have_the_header_and_an_example(client, org, office_user, kind):
    client.force_login(office_user)
    response = client.get(reverse("backoffice:import_template", args=[f"{kind}.csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    tables = read_tables(io.BytesIO(response.content), size=len(response.content), max_bytes=10**6)
    assert [(t.kind, list(t.header), len(t.rows)) for t in tables] == [(kind, [c.name for c in COLUMNS[kind]], 1)]


def test_unknown_template_is_404(client, org, office_user):
    client.force_login(office_user)
    assert client.get(reverse("backoffice:import_template", args=["passwords.csv"])).status_code == 404
