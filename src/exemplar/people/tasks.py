"""Background tasks of the people app (django-tasks; run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from exemplar.people.domain.importer.service import run_directory_import


@task()
def task_run_directory_import(import_id: int) -> str:
    """Run one uploaded directory import; returns its final state."""
    return str(run_directory_import(import_id=import_id).state)
