"""Selectors for the import pages: past imports, and one import's outcome in the reader's language."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from exemplar.people.domain.importer.columns import KINDS
from exemplar.people.domain.importer.messages import KIND_LABELS, describe
from exemplar.people.models import DirectoryImport

RECENT = 50


def recent_imports(limit: int = RECENT) -> QuerySet[DirectoryImport]:
    """The latest imports, newest first, with their uploaders: one query."""
    return DirectoryImport.objects.select_related("uploaded_by", "uploaded_by__person").order_by("-uploaded_at", "-pk")[
        :limit
    ]


def import_errors(record: DirectoryImport) -> list[dict[str, Any]]:
    """The stored problems, each with its message in the current language."""
    return [
        {
            "sheet": e.get("sheet", ""),
            "row": e.get("row") or None,
            "column": e.get("column", ""),
            "message": describe(e.get("code", ""), e.get("params")),
        }
        for e in record.errors
    ]


def import_summary(record: DirectoryImport) -> list[dict[str, Any]]:
    """Created / updated / unchanged counts per kind of row, in the file format's order."""
    lines = []
    for kind in KINDS:
        counts = record.summary.get(kind)
        if counts is None:
            continue
        lines.append(
            {
                "kind": kind,
                "label": KIND_LABELS[kind],
                "created": counts.get("created", 0),
                "updated": counts.get("updated", 0),
                "moved": counts.get("moved"),
                "unchanged": counts.get("unchanged", 0),
            }
        )
    return lines
