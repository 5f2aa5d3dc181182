from django.http import HttpRequest

from exemplar.core.preferences import DEFAULT_FONT_SIZE, FONT_SIZES


def preferences(request: HttpRequest) -> dict[str, object]:
    return {
        "font_size": getattr(request, "font_size", DEFAULT_FONT_SIZE),
        "font_sizes": FONT_SIZES,
    }
