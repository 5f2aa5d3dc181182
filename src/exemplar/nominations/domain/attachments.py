"""Evidence attached to a dossier: added and removed by the nominating unit's coordinator while it is theirs."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.errors import DomainError
from exemplar.nominations.enums import NominationState
from exemplar.nominations.models import Attachment, Nomination
from exemplar.nominations.validators import CheckedFile, check_size, check_upload
from exemplar.people.domain.grants import holds_at
from exemplar.people.enums import Role
from exemplar.people.models import User
from exemplar.programmes.domain.capabilities import Capability, phase_allows

EDITABLE_STATES = frozenset({NominationState.DRAFT, NominationState.RETURNED})


class Upload(Protocol):
    """What a view hands over: Django's UploadedFile fits, so does a ContentFile."""

    name: str | None
    size: int | None

    def seek(self, offset: int) -> object: ...  # pragma: no cover - protocol

    def read(self, size: int = ...) -> bytes: ...  # pragma: no cover - protocol


def max_count() -> int:
    return int(settings.ATTACHMENT_MAX_COUNT)


def _require_editable_by(nomination: Nomination, actor: User) -> None:
    if nomination.state not in EDITABLE_STATES:
        raise DomainError(
            _("Attachments can only change while the nomination is a draft or has been returned."),
            code="not_editable",
        )
    if not phase_allows(nomination.programme, Capability.NOMINATE):
        raise DomainError(_("The programme's current phase does not allow this."), code="phase_closed")
    if not holds_at(actor, Role.UNIT_COORDINATOR, nomination.unit_id):
        raise DomainError(
            _("Only the coordinator of %(unit)s can do this.") % {"unit": nomination.unit.display_name},
            code="not_coordinator",
        )


def _read(upload: Upload) -> bytes:
    check_size(upload.size)
    # Read one byte past the limit, so a file whose declared size lied is still refused.
    upload.seek(0)
    data = upload.read(int(settings.ATTACHMENT_MAX_BYTES) + 1)
    check_size(len(data))
    return bytes(data)


def add_attachment(nomination: Nomination, *, upload: Upload, actor: User, at: datetime | None = None) -> Attachment:
    """Check ``upload`` by its content and attach it to a draft or returned dossier.

    Preconditions: the actor coordinates the nominating unit, the phase
    allows nominating, the dossier has fewer than ``ATTACHMENT_MAX_COUNT``
    attachments, the file is under ``ATTACHMENT_MAX_BYTES`` and really is a
    PDF, image or Office document (images are re-encoded without metadata).
    On refusal nothing is stored. Logs ``exemplar.nominations.attachment_added``.
    """
    at = at or clock.now()
    nomination = Nomination.objects.select_related("programme__current_phase", "unit").get(pk=nomination.pk)
    _require_editable_by(nomination, actor)
    checked: CheckedFile = check_upload(_read(upload), upload.name or "")
    stored_name = ""
    try:
        with transaction.atomic():
            locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
            if locked.state not in EDITABLE_STATES:
                _require_editable_by(locked, actor)
            if Attachment.objects.filter(nomination=locked).count() >= max_count():
                raise DomainError(
                    _("A dossier can carry at most %(n)d attachments; remove one first.") % {"n": max_count()},
                    code="too_many",
                )
            attachment = Attachment(
                nomination=locked,
                original_name=checked.name,
                kind=checked.kind,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=actor,
                uploaded_at=at,
            )
            # A random stored name: the client's name never reaches the file system.
            attachment.file.save(f"{uuid.uuid4().hex}{checked.extension}", ContentFile(checked.content), save=False)
            stored_name = attachment.file.name or ""
            attachment.save()
            log_action(
                actor,
                "exemplar.nominations.attachment_added",
                locked,
                {
                    "attachment": attachment.pk,
                    "name": checked.name,
                    "kind": checked.kind,
                    "size": checked.size,
                    "sha256": hashlib.sha256(checked.content).hexdigest(),
                },
                at=at,
            )
    except BaseException:
        if stored_name:
            Attachment.file.field.storage.delete(stored_name)
        raise
    return attachment


def remove_attachment(attachment: Attachment, *, actor: User, at: datetime | None = None) -> None:
    """Remove an attachment from a draft or returned dossier; the file goes once the change commits.

    Logs ``exemplar.nominations.attachment_removed``.
    """
    at = at or clock.now()
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("programme__current_phase", "unit")
            .get(pk=attachment.nomination_id)
        )
        _require_editable_by(nomination, actor)
        attachment = Attachment.objects.get(pk=attachment.pk, nomination=nomination)
        stored_name, storage = attachment.file.name, attachment.file.storage
        log_action(
            actor,
            "exemplar.nominations.attachment_removed",
            nomination,
            {"attachment": attachment.pk, "name": attachment.original_name, "kind": attachment.kind},
            at=at,
        )
        attachment.delete()
        if stored_name:
            transaction.on_commit(lambda: storage.delete(stored_name))
