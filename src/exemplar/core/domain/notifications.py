"""In-app notifications, mirrored by e-mail after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from exemplar.core import clock
from exemplar.core.models import Notification


def notify(users: Iterable[Any], message: str, *, url: str = "", at: datetime | None = None) -> int:
    """Leave ``message`` in each user's inbox and mail it to those with an address.

    Mail goes out only once the surrounding transaction commits, so a refused
    change never sends anything. Returns the number of notifications written.
    """
    at = at or clock.now()
    recipients = {u.pk: u for u in users if u is not None and getattr(u, "is_active", True)}
    if not recipients:
        return 0
    Notification.objects.bulk_create(
        [Notification(user_id=pk, message=message[:500], url=url, created_at=at) for pk in recipients]
    )
    link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else ""
    body = f"{message}\n\n{link}".strip()
    subject = message if len(message) <= 120 else message[:117] + "..."
    mails = [(subject, body, None, [u.email]) for u in recipients.values() if u.email]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(tuple(mails), fail_silently=True))
    return len(recipients)


def mark_notification_read(notification: Notification, *, actor: Any, at: datetime | None = None) -> bool:
    """Mark one of ``actor``'s own notifications read; False when it was not theirs or already read.

    Not audited: reading one's inbox changes no programme state, and an
    entry per click would drown the trail.
    """
    at = at or clock.now()
    mine = Notification.objects.filter(pk=notification.pk, user_id=actor.pk, read_at__isnull=True)
    return mine.update(read_at=at) == 1


def mark_all_notifications_read(*, actor: Any, at: datetime | None = None) -> int:
    """Mark every unread notification of ``actor`` read; returns how many. Not audited (see above)."""
    at = at or clock.now()
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=at)
