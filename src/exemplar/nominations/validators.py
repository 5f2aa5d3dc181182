"""What an attachment really is, read from its bytes, and images made safe to keep.

Neither the file name nor the browser's content type is trusted: the type
comes from the file's first bytes (and, for Office files, from the parts
inside the zip or compound document). Images are decoded and written anew
by Pillow, which drops EXIF (GPS position, camera serial) and every other
metadata chunk, after turning the picture the way its EXIF orientation
says.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from exemplar.core.errors import DomainError
from exemplar.nominations.enums import AttachmentKind

# Inside an Office zip, this much unpacked content at most: a small zip that
# unpacks to gigabytes is a "zip bomb" meant to exhaust whoever opens it.
OOXML_MAX_UNCOMPRESSED = 200 * 1024 * 1024
OOXML_MAX_ENTRIES = 5000
CONTENT_TYPES_MAX = 1024 * 1024
JPEG_QUALITY = 90

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
GIF_MAGICS = (b"GIF87a", b"GIF89a")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

# Office Open XML: the folder of the main part decides the kind of document.
OOXML_KINDS = {
    "word/": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": (".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
# Legacy Office (OLE compound documents): the name of the main stream, as it
# is stored in the directory (UTF-16LE). An OLE file without one of these
# (an .msi installer, say) is refused.
OLE_KINDS = (
    ("WordDocument".encode("utf-16-le"), ".doc", "application/msword"),
    ("Workbook".encode("utf-16-le"), ".xls", "application/vnd.ms-excel"),
    ("Book".encode("utf-16-le"), ".xls", "application/vnd.ms-excel"),
    ("PowerPoint Document".encode("utf-16-le"), ".ppt", "application/vnd.ms-powerpoint"),
)
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


class UploadRefusedError(DomainError):
    """An upload that is not an accepted type, too big, damaged or dangerous."""


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: what it is and the bytes to store."""

    kind: str
    content_type: str
    extension: str
    content: bytes
    name: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return int(settings.ATTACHMENT_MAX_BYTES)


def check_size(size: int | None) -> None:
    """Refuse before reading anything when the declared size is over the limit."""
    if size is not None and size > max_bytes():
        raise UploadRefusedError(
            _("The file is %(size)s; attachments may be at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes())},
            code="too_large",
        )


def clean_name(name: str) -> str:
    """The last path component of a client-supplied name, without control characters, at most 200 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return base[-200:] or "file"


def display_name(name: str, extension: str) -> str:
    """``name`` with the extension that matches the content (a PNG called x.pdf becomes x.png)."""
    base = clean_name(name)
    if base.lower().endswith(extension) or (extension == ".jpg" and base.lower().endswith(".jpeg")):
        return base
    stem, dot, suffix = base.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,5}", suffix):
        base = stem
    return base + extension


def check_upload(content: bytes, name: str) -> CheckedFile:
    """Identify ``content`` by its bytes and return what may be stored; refuse anything else.

    PDF is kept as it is, Office documents too once their structure is
    checked; images are re-encoded without metadata. Raises
    ``UploadRefusedError`` with a message naming the problem.
    """
    check_size(len(content))
    head = content[:16]
    if head.startswith(PDF_MAGIC):
        return CheckedFile(AttachmentKind.PDF, "application/pdf", ".pdf", content, display_name(name, ".pdf"))
    if head.startswith((PNG_MAGIC, JPEG_MAGIC, *GIF_MAGICS)) or (head[:4] == b"RIFF" and content[8:12] == b"WEBP"):
        return reencode_image(content, name)
    if head.startswith(ZIP_MAGIC):
        extension, content_type = _ooxml_kind(content)
        return CheckedFile(AttachmentKind.OFFICE, content_type, extension, content, display_name(name, extension))
    if head.startswith(OLE_MAGIC):
        extension, content_type = _ole_kind(content)
        return CheckedFile(AttachmentKind.OFFICE, content_type, extension, content, display_name(name, extension))
    raise UploadRefusedError(
        _(
            "%(name)s is not an accepted type (its content, not its name, is checked): "
            "upload a PDF, an image (PNG, JPEG, GIF, WebP) or a Word, Excel or PowerPoint document."
        )
        % {"name": clean_name(name)},
        code="type_refused",
    )


def _not_office() -> UploadRefusedError:
    return UploadRefusedError(
        _("The file is not a Word, Excel or PowerPoint document, or it is damaged."), code="not_office"
    )


def _ooxml_kind(content: bytes) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > OOXML_MAX_ENTRIES or sum(i.file_size for i in infos) > OOXML_MAX_UNCOMPRESSED:
                raise UploadRefusedError(
                    _("The document unpacks to far more than its size (a zip bomb?): it is refused."),
                    code="zip_bomb",
                )
            names = {i.filename for i in infos}
            types = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if types is None or types.file_size > CONTENT_TYPES_MAX:
                raise _not_office()
            declared = archive.read(types).decode("utf-8", errors="replace").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError) as exc:
        raise _not_office() from exc
    if "macroenabled" in declared or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRefusedError(
            _("Documents with macros are not accepted: save it as a plain .docx, .xlsx or .pptx."), code="macros"
        )
    for folder, kind in OOXML_KINDS.items():
        if any(n.startswith(folder) for n in names):
            return kind
    raise _not_office()


def _ole_kind(content: bytes) -> tuple[str, str]:
    for stream, extension, content_type in OLE_KINDS:
        if stream in content:
            return extension, content_type
    raise _not_office()


def _bomb_refusal() -> UploadRefusedError:
    return UploadRefusedError(
        _("The image is too large: at most %(n)s million pixels are accepted.")
        % {"n": f"{(Image.MAX_IMAGE_PIXELS or 0) / 1_000_000:.0f}"},
        code="image_too_large",
    )


def reencode_image(content: bytes, name: str) -> CheckedFile:
    """Decode the image and write it anew (JPEG stays JPEG, the rest becomes PNG) with no metadata."""
    try:
        with warnings.catch_warnings():
            # Past MAX_IMAGE_PIXELS Pillow only warns (it refuses at twice that): refuse at once.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=sorted(IMAGE_FORMATS)) as source:
                source_format = source.format
                source.load()
                image = ImageOps.exif_transpose(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb_refusal() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UploadRefusedError(_("The image is damaged or not really an image."), code="bad_image") from exc
    as_jpeg = source_format == "JPEG"
    if as_jpeg:
        image = image.convert("L" if image.mode in {"1", "L"} else "RGB")
    elif image.mode not in {"1", "L", "RGB", "RGBA"}:
        has_alpha = image.mode in {"LA", "PA", "RGBa", "La"} or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha or image.mode == "P" else "RGB")
    # Nothing of the source's metadata (EXIF, XMP, ICC, comments, text chunks) goes along.
    image.info = {}
    out = io.BytesIO()
    if as_jpeg:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension, content_type = ".jpg", "image/jpeg"
    else:
        image.save(out, format="PNG", optimize=True)
        extension, content_type = ".png", "image/png"
    data = out.getvalue()
    check_size(len(data))
    return CheckedFile(AttachmentKind.IMAGE, content_type, extension, data, display_name(name, extension))
