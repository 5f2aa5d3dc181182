"""Handing an attachment to someone allowed to read it: always as a download, never rendered by the browser."""

from __future__ import annotations

from django.http import FileResponse

from exemplar.nominations.models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """Stream the stored file with the type found at upload, as an attachment the browser must not sniff."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
