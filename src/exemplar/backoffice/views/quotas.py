"""The nomination quota table of a programme: apportion by headcount, edit a unit's quota inline, export."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from exemplar.backoffice.views.programmes.base import ProgrammePage, ProgrammePageMixin
from exemplar.core.errors import DomainError
from exemplar.core.views import is_htmx
from exemplar.programmes.domain.quotas import (
    QuotaRow,
    apportion_quotas,
    nominating_has_opened,
    quota_levels,
    quota_table_visible_to,
    quota_totals,
    quotas_for_units,
    set_quota,
    unpin_quota,
)
from exemplar.programmes.interfaces.quota_export import XLSX_CONTENT_TYPE, quota_filename, quota_workbook
from exemplar.programmes.interfaces.quota_forms import ApportionForm, QuotaEditForm, level_label
from exemplar.programmes.models import UnitQuota

TEMPLATE = "backoffice/quotas/table.html"


class QuotaTableView(ProgrammePage):
    """The quota table: every unit the viewer's roles cover, with headcount, allocated, used and remaining."""

    permission_required = "programmes.view_programme"
    template_name = TEMPLATE
    section = "quotas"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        rows = quota_table_visible_to(self.request.user, self.programme)
        ctx.update(rows=rows, totals=quota_totals(rows), level=level_label(self.programme.quota_depth))
        if ctx["can_manage"]:
            ctx["nominating_opened"] = nominating_has_opened(self.programme)
            if "form" not in ctx:
                initial = {"depth": self.programme.quota_depth, "total": self.programme.quota_total}
                ctx["form"] = ApportionForm(initial=initial, levels=quota_levels())
        return ctx


class ApportionView(QuotaTableView):
    """Share the total among the units of the chosen level (POST); a refusal shows on the form."""

    permission_required = "programmes.manage_programme"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ApportionForm(request.POST, levels=quota_levels())
        if form.is_valid():
            try:
                quotas = apportion_quotas(self.programme, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Quotas apportioned: %(total)d nominations among %(units)d units.")
                    % {"total": form.cleaned_data["total"], "units": len(quotas)},
                )
                return HttpResponseRedirect(reverse("backoffice:quotas", args=[self.programme.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class _QuotaRowAction(ProgrammePageMixin, View):
    """A change to one unit's quota (POST). htmx gets the table row back, a plain form a redirect."""

    permission_required = "programmes.manage_programme"
    http_method_names = ["post"]

    @cached_property
    def quota(self) -> UnitQuota:
        return get_object_or_404(
            UnitQuota.objects.select_related("unit", "programme"), programme=self.programme, unit_id=self.kwargs["unit"]
        )

    def respond(self, request: HttpRequest, *, error: str = "", value: Any = None) -> HttpResponse:
        if not is_htmx(request):
            if error:
                messages.error(request, error)
            return HttpResponseRedirect(reverse("backoffice:quotas", args=[self.programme.pk]))
        row: QuotaRow = quotas_for_units(self.programme, [self.quota.unit_id])[0]
        ctx = {"programme": self.programme, "row": row, "can_manage": True, "error": error, "value": value}
        return render(request, f"{TEMPLATE}#quota_row", ctx)


class QuotaEditView(_QuotaRowAction):
    """Set one unit's allocation by hand."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = QuotaEditForm(request.POST)
        if not form.is_valid():
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return self.respond(request, error=error, value=request.POST.get("allocated", ""))
        try:
            set_quota(self.quota, allocated=form.cleaned_data["allocated"], actor=request.user)
        except DomainError as exc:
            return self.respond(request, error=str(exc), value=form.cleaned_data["allocated"])
        if not is_htmx(request):
            messages.success(request, _("Quota of %(unit)s saved.") % {"unit": self.quota.unit.display_name})
        return self.respond(request)


class QuotaUnpinView(_QuotaRowAction):
    """Let the next apportionment set this unit's quota again."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unpin_quota(self.quota, actor=request.user)
        return self.respond(request)


class QuotaExportView(ProgrammePageMixin, View):
    """The rows the viewer may see, as XLSX."""

    permission_required = "programmes.view_programme"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = quota_table_visible_to(request.user, self.programme)
        response = HttpResponse(quota_workbook(self.programme, rows), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{quota_filename(self.programme)}"'
        return response
