from django import template
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

register = template.Library()


@register.simple_tag(takes_context=True)
def current_path(context: template.Context) -> str:
    """The path of the page being shown, for forms that come back to it."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return "/"
    path = request.get_full_path()
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else "/"


@register.simple_tag
def history_url(obj: object) -> str:
    """Link to the audit history of ``obj`` in the backoffice."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    ct = ContentType.objects.get_for_model(obj)  # type: ignore[arg-type]
    return reverse("backoffice:history", args=[f"{ct.app_label}.{ct.model}", str(obj.pk)])  # type: ignore[attr-defined]
