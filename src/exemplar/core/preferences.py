"""Per-browser display preferences, kept in a cookie so they work signed out."""

FONT_SIZE_COOKIE = "exemplar_font_size"
FONT_SIZES = ("small", "medium", "large")
DEFAULT_FONT_SIZE = "medium"
COOKIE_AGE = 60 * 60 * 24 * 365


def font_size_from_cookie(value: str | None) -> str:
    return value if value in FONT_SIZES else DEFAULT_FONT_SIZE
