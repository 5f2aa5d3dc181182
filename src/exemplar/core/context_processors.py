from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from exemplar.core.models import Notification
from exemplar.core.preferences import DEFAULT_FONT_SIZE, FONT_SIZES


def preferences(request: HttpRequest) -> dict[str, object]:
    return {
        "font_size": getattr(request, "font_size", DEFAULT_FONT_SIZE),
        "font_sizes": FONT_SIZES,
    }


def notifications(request: HttpRequest) -> dict[str, object]:
    """The signed-in user's unread notification count for the header.

    Lazy: the one COUNT query runs only when a template shows the number
    (full pages do, htmx fragments do not), and at most once per render.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    user_id = user.pk

    @cache
    def unread() -> int:
        return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()

    counter: Callable[[], int] = unread
    return {"unread_notifications": counter}
