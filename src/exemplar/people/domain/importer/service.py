"""The verbs of the directory import: start one from an upload, run one to its end.

Phases and where progress goes: the file is read and every row checked
outside any transaction, writing ``processed_rows`` every few thousand rows
so the page's progress bar moves; then the state turns to ``applying`` and
the whole change is written in one transaction. Progress inside that
transaction is not reported: other connections cannot see uncommitted rows,
and on SQLite they cannot write while it runs, so the page shows an
indeterminate bar for that phase (docs/directory-import.md).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.domain.bulk import roomy_cache
from exemplar.core.errors import DomainError
from exemplar.people.domain.importer.apply import AuditWriter, apply_plan
from exemplar.people.domain.importer.messages import describe
from exemplar.people.domain.importer.plan import Snapshot
from exemplar.people.domain.importer.read import FileRefusedError, Progress, detect_format, read_tables
from exemplar.people.domain.importer.snapshot import take_snapshot
from exemplar.people.domain.importer.validate import Outcome, validate
from exemplar.people.enums import ImportState
from exemplar.people.models import DirectoryImport, User

logger = logging.getLogger(__name__)

# A rejected import keeps this many problems to show (the count keeps them all).
MAX_STORED_ERRORS = 1000
# Files up to this size are imported during the upload request; larger ones by the task worker.
DEFAULT_INLINE_MAX_BYTES = 200 * 1024


def inline_max_bytes() -> int:
    return int(getattr(settings, "DIRECTORY_IMPORT_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES))


def start_directory_import(*, file: UploadedFile[bytes], actor: User, at: datetime | None = None) -> DirectoryImport:
    """Store an uploaded directory file and import it.

    Precondition: ``actor`` holds ``people.import_directory`` (the view checks).
    Refuses with ``DomainError``, storing nothing, a file over
    ``DIRECTORY_IMPORT_MAX_BYTES`` or one that is neither an XLSX workbook
    nor UTF-8 text. Otherwise creates a ``DirectoryImport`` and runs it at
    once when the file is small, or enqueues ``task_run_directory_import``
    on commit when it is large. Audit: none for the upload itself (the
    ``DirectoryImport`` row is its record); ``run_directory_import`` logs
    the change.
    """
    size = file.size or 0
    try:
        detect_format(file, size=size, max_bytes=settings.DIRECTORY_IMPORT_MAX_BYTES)  # type: ignore[arg-type]
    except FileRefusedError as exc:
        raise DomainError(describe(exc.code, exc.params), code=exc.code) from exc
    background = size > inline_max_bytes()
    with transaction.atomic():
        record = DirectoryImport.objects.create(
            uploaded_by=actor, uploaded_at=at or clock.now(), file=file, original_name=(file.name or "")[:255]
        )
        if background:
            transaction.on_commit(lambda: _enqueue(record.pk))
    if not background:
        return run_directory_import(import_id=record.pk)
    return record


def _enqueue(import_id: int) -> None:
    from exemplar.people.tasks import task_run_directory_import  # the task module imports this one

    task_run_directory_import.enqueue(import_id)


def run_directory_import(*, import_id: int) -> DirectoryImport:
    """Read, check and apply one uploaded file; all of it or none of it.

    Runs only an import still ``pending`` (a task delivered twice runs once).
    Ends ``rejected`` with every row problem stored (nothing written) when
    any row is bad, ``done`` with a summary when all rows are good, or
    ``failed`` (nothing written) on an unexpected error. Audit, only when
    the directory changed: one entry per created or changed unit, person,
    team and membership (``exemplar.people.person_created`` ...), then
    ``exemplar.people.directory_imported`` on the import with the counts,
    all in the transaction that writes the change; the actor is the
    uploader.
    """
    claimed = DirectoryImport.objects.filter(pk=import_id, state=ImportState.PENDING).update(
        state=ImportState.VALIDATING
    )
    record = DirectoryImport.objects.select_related("uploaded_by").get(pk=import_id)
    if not claimed:
        return record
    try:
        _run(record)
    except FileRefusedError as exc:
        _finish(record, ImportState.REJECTED, errors=[_file_error(exc.code, exc.params)])
    except Exception:  # the worker must record the failure, whatever it was
        logger.exception("Directory import %s failed", import_id)
        _finish(record, ImportState.FAILED, errors=[_file_error("failed")])
    record.refresh_from_db()
    return record


def _file_error(code: str, params: dict[str, str] | None = None) -> dict[str, Any]:
    return {"sheet": "", "row": 0, "column": "", "code": code, "params": params or {}}


def _progress(import_id: int) -> Progress:
    def report(done: int) -> None:
        DirectoryImport.objects.filter(pk=import_id).update(processed_rows=done)

    return report


class Stopwatch:
    """Seconds per phase, logged at the end of each import (and read by bench/bench_import.py)."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(now - self._last, 3)
        self._last = now


def _run(record: DirectoryImport) -> None:
    watch = Stopwatch()
    try:
        _read_check_apply(record, watch)
    finally:
        logger.info(
            "Directory import %s: %s", record.pk, watch.phases, extra={"import_id": record.pk, "phases": watch.phases}
        )


def _read_check_apply(record: DirectoryImport, watch: Stopwatch) -> None:
    with record.file.open("rb") as stream:
        tables = read_tables(
            stream,  # type: ignore[arg-type]
            size=record.file.size,
            max_bytes=settings.DIRECTORY_IMPORT_MAX_BYTES,
            progress=_progress(record.pk),
        )
    total = sum(len(t.rows) for t in tables)
    DirectoryImport.objects.filter(pk=record.pk).update(total_rows=total, processed_rows=0)
    watch.lap("read")
    snapshot = take_snapshot()
    watch.lap("snapshot")
    outcome = validate(tables, snapshot, progress=_progress(record.pk))
    del tables
    watch.lap("validate")
    if outcome.errors:
        errors = [e.as_dict() for e in outcome.errors[:MAX_STORED_ERRORS]]
        _finish(record, ImportState.REJECTED, errors=errors, error_count=len(outcome.errors))
        return
    DirectoryImport.objects.filter(pk=record.pk).update(state=ImportState.APPLYING, processed_rows=total)
    try:
        _apply(record, outcome, snapshot)
    except IntegrityError:
        logger.warning("Directory import %s conflicted with a concurrent change", record.pk, exc_info=True)
        _finish(record, ImportState.FAILED, errors=[_file_error("conflict")])
    watch.lap("apply")


def _apply(record: DirectoryImport, outcome: Outcome, snapshot: Snapshot) -> None:
    plan = outcome.plan
    assert plan is not None
    actor = record.uploaded_by
    with roomy_cache(), transaction.atomic():
        audit = AuditWriter(actor)
        apply_plan(plan, snapshot, audit=audit)
        summary = plan.summary()
        if not plan.is_empty:
            log_action(
                actor,
                "exemplar.people.directory_imported",
                record,
                {"file": record.original_name, "rows": outcome.rows, "summary": summary, "entries": audit.written},
            )
        _finish(record, ImportState.DONE, summary=summary, total=outcome.rows)


def _finish(
    record: DirectoryImport,
    state: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    error_count: int | None = None,
    summary: dict[str, Any] | None = None,
    total: int | None = None,
) -> None:
    errors = errors or []
    values: dict[str, Any] = {
        "state": state,
        "errors": errors,
        "error_count": len(errors) if error_count is None else error_count,
        "summary": summary or {},
        "finished_at": clock.now(),
    }
    if total is not None:
        values.update(total_rows=total, processed_rows=total)
    DirectoryImport.objects.filter(pk=record.pk).update(**values)
