"""The signed-in user's in-app notifications: newest first, marked read on request."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from exemplar.core.domain.notifications import mark_all_notifications_read, mark_notification_read
from exemplar.core.models import Notification
from exemplar.core.views import PermissionRequiredMixin

PAGE_SIZE = 50


class NotificationListView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.enter"
    template_name = "portal/notifications/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        mine = Notification.objects.filter(user_id=self.request.user.pk).order_by("-created_at", "-pk")
        ctx["page_obj"] = Paginator(mine, PAGE_SIZE).get_page(self.request.GET.get("page"))
        ctx["querystring_base"] = ""
        return ctx


class NotificationReadView(PermissionRequiredMixin, View):
    """Mark one notification read; with ``open`` set, go on to what it is about."""

    permission_required = "portal.enter"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, notification: int) -> HttpResponse:
        # Someone else's notification answers 404, exactly like a missing one.
        note = get_object_or_404(Notification, pk=notification, user_id=request.user.pk)
        mark_notification_read(note, actor=request.user)
        safe = note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()})
        if request.POST.get("open") and safe:
            return HttpResponseRedirect(note.url)
        return HttpResponseRedirect(reverse("portal:notifications"))


class NotificationReadAllView(PermissionRequiredMixin, View):
    permission_required = "portal.enter"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        mark_all_notifications_read(actor=request.user)
        return HttpResponseRedirect(reverse("portal:notifications"))
