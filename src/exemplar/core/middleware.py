from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from exemplar.core.preferences import FONT_SIZE_COOKIE, font_size_from_cookie


class PreferencesMiddleware:
    """Reads the font-size cookie once per request (no database access)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.font_size = font_size_from_cookie(request.COOKIES.get(FONT_SIZE_COOKIE))  # type: ignore[attr-defined]
        return self.get_response(request)
