from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from exemplar.core.preferences import COOKIE_AGE, FONT_SIZE_COOKIE, FONT_SIZES


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


@require_POST
def set_font_size(request: HttpRequest) -> HttpResponse:
    """Remember the chosen text size in a cookie and go back to the page."""
    size = request.POST.get("size", "")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if size in FONT_SIZES:
        response.set_cookie(
            FONT_SIZE_COOKIE, size, max_age=COOKIE_AGE, samesite="Lax", secure=request.is_secure(), httponly=True
        )
    return response
