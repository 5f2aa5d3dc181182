"""The audit trail: the whole log for auditors, and the history of one object."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from exemplar.core.domain.audit import verify_chain
from exemplar.core.models import AuditEntry, AuditHead
from exemplar.core.views import PermissionRequiredMixin

PAGE_SIZE = 50


class AuditLogView(PermissionRequiredMixin, TemplateView):
    permission_required = "core.read_audit"
    template_name = "backoffice/audit/log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        action = self.request.GET.get("action", "").strip()[:100]
        qs = AuditEntry.objects.select_related("content_type").order_by("-seq")
        if action:
            qs = qs.filter(action__startswith=action)
        ctx["action"] = action
        ctx["page_obj"] = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        ctx["querystring_base"] = urlencode({"action": action}) + "&"
        ctx["head"] = AuditHead.objects.filter(id=1).first()
        return ctx


class VerifyChainView(PermissionRequiredMixin, View):
    """Re-check the whole hash chain now and say where it breaks, if it does."""

    permission_required = "core.read_audit"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        report = verify_chain()
        if report.ok:
            messages.success(request, _("Audit chain intact: %(n)d entries checked.") % {"n": report.checked})
        else:
            problem = report.problem
            assert problem is not None
            messages.error(
                request,
                _("Audit chain broken at entry #%(seq)d: it was %(kind)s.")
                % {"seq": problem.seq, "kind": _("edited") if problem.kind == "edited" else _("deleted")},
            )
        return HttpResponseRedirect(reverse("backoffice:audit_log"))


class ObjectHistoryView(PermissionRequiredMixin, TemplateView):
    """Every audit entry about one object, newest first."""

    permission_required = "core.read_audit"
    template_name = "backoffice/audit/history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        app_label, _dot, model = self.kwargs["content_type"].partition(".")
        try:
            ct = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist as exc:
            raise Http404 from exc
        entries = AuditEntry.objects.filter(content_type=ct, object_id=self.kwargs["object_id"]).order_by("-seq")
        ctx["page_obj"] = Paginator(entries, PAGE_SIZE).get_page(self.request.GET.get("page"))
        ctx["model_name"] = ct.name
        ctx["object_repr"] = next((e.object_repr for e in ctx["page_obj"]), self.kwargs["object_id"])
        return ctx
