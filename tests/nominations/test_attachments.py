"""Attachments: accepted by content (never by name), size and count limits, images stripped of metadata."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exemplar.core.domain.audit import verify_chain
from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry
from exemplar.nominations import validators
from exemplar.nominations.domain.attachments import add_attachment, remove_attachment
from exemplar.nominations.domain.nominations import create_nomination, submit_nomination
from exemplar.nominations.models import Attachment
from exemplar.people.enums import Role
from tests.factories.people import PersonFactory, grant, make_user
from tests.factories.programmes import make_programme

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
OLE_HEADER = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504


# --- sample files ---------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (40, 20), mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color=(200, 30, 30) if mode == "RGB" else 0).save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_gps_and_rotation() -> bytes:
    """A 40x20 photo whose EXIF says: taken at 39.9N 116.4E, display rotated 90 degrees (orientation 6)."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 CW to display
    exif[0x010F] = "SpyCam Inc."  # make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 24.0, 0.0)}  # GPS IFD
    return image_bytes("JPEG", exif=exif.tobytes())


def ooxml(folder: str, *, extra: dict[str, bytes] | None = None, content_types: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            content_types
            or b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        zf.writestr("_rels/.rels", b"<Relationships/>")
        main = {"word/": "word/document.xml", "xl/": "xl/workbook.xml", "ppt/": "ppt/presentation.xml"}[folder]
        zf.writestr(main, b"<doc/>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def ole(stream: str) -> bytes:
    return OLE_HEADER + stream.encode("utf-16-le") + b"\x00" * 64


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- fixtures -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def programme(office_user):
    return make_programme(office_user)


@pytest.fixture
def coordinator_a1(org):
    user = make_user("coord_a1", person=PersonFactory(unit=org.a1))
    grant(user, Role.UNIT_COORDINATOR, org.a1)
    return user


@pytest.fixture
def draft(org, programme, coordinator_a1):
    return create_nomination(
        programme=programme,
        category=programme.categories.get(code="individual"),
        unit=org.a1,
        person=PersonFactory(unit=org.a1),
        title="Zero defects",
        deeds="<p>Ten years without a defect</p>",
        actor=coordinator_a1,
    )


def stored_files(media) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


# --- accepted types -------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ("citation.pdf", PDF, "pdf", "application/pdf", "citation.pdf"),
        ("photo.png", image_bytes("PNG"), "image", "image/png", "photo.png"),
        ("photo.jpeg", image_bytes("JPEG"), "image", "image/jpeg", "photo.jpeg"),
        ("anim.gif", image_bytes("GIF", mode="P"), "image", "image/png", "anim.png"),
        ("shot.webp", image_bytes("WEBP"), "image", "image/png", "shot.png"),
        (
            "report.docx",
            ooxml("word/"),
            "office",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "report.docx",
        ),
        (
            "figures.xlsx",
            ooxml("xl/"),
            "office",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "figures.xlsx",
        ),
        (
            "talk.pptx",
            ooxml("ppt/"),
            "office",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "talk.pptx",
        ),
        ("old.doc", ole("WordDocument"), "office", "application/msword", "old.doc"),
        ("old.xls", ole("Workbook"), "office", "application/vnd.ms-excel", "old.xls"),
        ("old.ppt", ole("PowerPoint Document"), "office", "application/vnd.ms-powerpoint", "old.ppt"),
        # The content decides, whatever the name says: a real PDF called .png is kept as a PDF.
        ("scan.png", PDF, "pdf", "application/pdf", "scan.pdf"),
    ],
)
def test_each_accepted_type_is_recognised_by_content(draft, coordinator_a1, media, case):
    name, data, kind, content_type, shown_as = case
    attachment = add_attachment(draft, upload=upload(name, data, "text/html"), actor=coordinator_a1)
    attachment.refresh_from_db()
    assert (attachment.kind, attachment.content_type, attachment.original_name) == (kind, content_type, shown_as)
    assert attachment.size == attachment.file.size
    # The stored name is random, not the client's.
    assert name.rsplit(".", 1)[0] not in attachment.file.name
    assert len(stored_files(media)) == 1
    entry = AuditEntry.objects.get(action="exemplar.nominations.attachment_added")
    assert (entry.object_id, entry.data["name"], entry.data["kind"]) == (str(draft.pk), shown_as, kind)
    assert verify_chain().ok


@pytest.mark.parametrize(
    "case",
    [
        ("invoice.pdf", EXE, "is not an accepted type"),
        ("photo.png", HTML, "is not an accepted type"),
        ("notes.txt", b"plain words", "is not an accepted type"),
        ("tool.docx", b"PK\x03\x04" + b"\x00" * 40, "not a Word, Excel or PowerPoint"),  # a broken zip
        ("app.docx", b"", "is not an accepted type"),
        ("setup.doc", ole("SummaryInformation"), "not a Word, Excel or PowerPoint"),  # e.g. an .msi installer
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "damaged or not really an image"),
    ],
)
def test_disguised_or_broken_files_are_refused_and_nothing_is_stored(draft, coordinator_a1, media, case):
    name, data, message = case
    with pytest.raises(DomainError, match=message):
        add_attachment(draft, upload=upload(name, data, "application/pdf"), actor=coordinator_a1)
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])
    assert not AuditEntry.objects.filter(action="exemplar.nominations.attachment_added").exists()


def test_a_zip_that_is_not_an_office_document_is_refused(draft, coordinator_a1, media):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("META-INF/MANIFEST.MF", b"Main-Class: Evil")  # a Java archive
    with pytest.raises(DomainError, match="not a Word, Excel or PowerPoint"):
        add_attachment(draft, upload=upload("cv.docx", out.getvalue()), actor=coordinator_a1)
    assert stored_files(media) == []


def test_macro_enabled_documents_are_refused(draft, coordinator_a1, media):
    docm = ooxml(
        "word/",
        extra={"word/vbaProject.bin": b"\x00" * 10},
        content_types=b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
    )
    with pytest.raises(DomainError, match="macros are not accepted"):
        add_attachment(draft, upload=upload("letter.docx", docm), actor=coordinator_a1)
    assert stored_files(media) == []


def test_zip_bomb_is_refused_by_its_unpacked_size(draft, coordinator_a1, media, monkeypatch):
    # 8 MB of zeros packs into a few kilobytes; with the ceiling lowered to 4 MB for speed it is a bomb.
    monkeypatch.setattr(validators, "OOXML_MAX_UNCOMPRESSED", 4 * 1024 * 1024)
    bomb = ooxml("word/", extra={"word/media/padding.bin": b"\x00" * (8 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024
    with pytest.raises(DomainError, match="zip bomb"):
        add_attachment(draft, upload=upload("big.docx", bomb), actor=coordinator_a1)
    assert stored_files(media) == []


# --- limits ---------------------------------------------------------------------


def test_oversize_is_refused_and_nothing_is_stored(draft, coordinator_a1, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(DomainError, match=r"attachments may be at most 1\.0.KB"):
        add_attachment(draft, upload=upload("long.pdf", PDF + b"%" * 2000), actor=coordinator_a1)
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])


def test_declared_size_is_not_trusted(draft, coordinator_a1, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    lying = upload("long.pdf", PDF + b"%" * 2000)
    lying.size = 10
    with pytest.raises(DomainError, match="attachments may be at most"):
        add_attachment(draft, upload=lying, actor=coordinator_a1)
    assert stored_files(media) == []


def test_count_limit_per_dossier(draft, coordinator_a1, media, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    add_attachment(draft, upload=upload("a.pdf", PDF), actor=coordinator_a1)
    add_attachment(draft, upload=upload("b.pdf", PDF), actor=coordinator_a1)
    with pytest.raises(DomainError, match="at most 2 attachments"):
        add_attachment(draft, upload=upload("c.pdf", PDF), actor=coordinator_a1)
    assert (Attachment.objects.count(), len(stored_files(media))) == (2, 2)


# --- images ---------------------------------------------------------------------


def test_images_lose_exif_and_are_turned_upright(draft, coordinator_a1):
    original = jpeg_with_gps_and_rotation()
    with Image.open(io.BytesIO(original)) as before:
        assert (before.size, before.getexif()[0x010F]) == ((40, 20), "SpyCam Inc.")
        assert before.getexif().get_ifd(0x8825)[1] == "N"
    attachment = add_attachment(draft, upload=upload("me.jpg", original), actor=coordinator_a1)
    with attachment.file.open("rb") as stored, Image.open(stored) as after:
        assert after.format == "JPEG"
        assert dict(after.getexif()) == {}
        assert after.getexif().get_ifd(0x8825) == {}
        assert "exif" not in after.info
        assert after.size == (20, 40)  # orientation 6 applied, then dropped
    with attachment.file.open("rb") as stored:
        raw = stored.read()
    assert b"Exif" not in raw
    assert b"SpyCam" not in raw


def test_png_text_chunks_are_dropped(draft, coordinator_a1):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Agent")
    attachment = add_attachment(draft, upload=upload("a.png", image_bytes("PNG", pnginfo=info)), actor=coordinator_a1)
    with attachment.file.open("rb") as stored:
        raw = stored.read()
    assert b"Secret Agent" not in raw
    with Image.open(io.BytesIO(raw)) as after:
        assert after.info.get("Author") is None


def test_decompression_bomb_is_refused_with_a_clear_message(draft, coordinator_a1, media):
    # 14,000 x 14,000 one-bit pixels: a few kilobytes of PNG, 196 million pixels once decoded.
    bomb = image_bytes("PNG", size=(14_000, 14_000), mode="1")
    assert len(bomb) < 1024 * 1024
    with pytest.raises(DomainError, match="The image is too large: at most 89 million pixels"):
        add_attachment(draft, upload=upload("bomb.png", bomb), actor=coordinator_a1)
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])


def test_an_image_just_past_the_pixel_limit_is_refused_too(draft, coordinator_a1, media, monkeypatch):
    # Pillow only warns between its limit and twice it; we refuse from the limit on.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 40 * 20 - 1)
    with pytest.raises(DomainError, match="The image is too large"):
        add_attachment(draft, upload=upload("a.png", image_bytes("PNG")), actor=coordinator_a1)
    assert stored_files(media) == []


# --- who and when ---------------------------------------------------------------


def test_only_the_nominating_units_coordinator_while_editable(draft, coordinator_a1, coordinator_a, media):
    with pytest.raises(DomainError, match="Only the coordinator of"):
        add_attachment(draft, upload=upload("a.pdf", PDF), actor=coordinator_a)
    attachment = add_attachment(draft, upload=upload("a.pdf", PDF), actor=coordinator_a1)
    submit_nomination(draft, actor=coordinator_a1)
    with pytest.raises(DomainError, match="only change while the nomination is a draft"):
        add_attachment(draft, upload=upload("b.pdf", PDF), actor=coordinator_a1)
    with pytest.raises(DomainError, match="only change while the nomination is a draft"):
        remove_attachment(attachment, actor=coordinator_a1)
    assert (Attachment.objects.count(), len(stored_files(media))) == (1, 1)


def test_remove_deletes_row_and_file_and_is_audited(draft, coordinator_a1, media, django_capture_on_commit_callbacks):
    attachment = add_attachment(draft, upload=upload("a.pdf", PDF), actor=coordinator_a1)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment, actor=coordinator_a1)
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])
    entry = AuditEntry.objects.get(action="exemplar.nominations.attachment_removed")
    assert (entry.object_id, entry.data["name"]) == (str(draft.pk), "a.pdf")
    assert verify_chain().ok


@pytest.mark.unit
@pytest.mark.parametrize(
    ("given", "extension", "expected"),
    [
        ("../../etc/passwd", ".pdf", "passwd.pdf"),
        ("C:\\Users\\me\\photo.JPEG", ".jpg", "photo.JPEG"),
        ("report.pdf.exe", ".pdf", "report.pdf.pdf"),
        ("bad\x00name\n.pdf", ".pdf", "badname.pdf"),
        ("", ".png", "file.png"),
        ("年度总结.docx", ".docx", "年度总结.docx"),
    ],
)
def test_display_names_are_cleaned(given, extension, expected):
    assert validators.display_name(given, extension) == expected
