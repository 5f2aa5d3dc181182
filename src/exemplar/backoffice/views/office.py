"""The programme office's screening: the dashboard of dossiers, its export, checks on demand, confirm or reject."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from exemplar.backoffice.views.nominate import NominationActionView
from exemplar.core.errors import DomainError
from exemplar.core.views import PermissionRequiredMixin
from exemplar.nominations.domain import office
from exemplar.nominations.domain.queries import office_programmes
from exemplar.nominations.domain.screening import check_programme, confirm_nomination, reject_nomination
from exemplar.nominations.enums import NominationState
from exemplar.nominations.interfaces.exports import XLSX_CONTENT_TYPE, dossiers_xlsx
from exemplar.nominations.interfaces.screening import ConfirmForm, DossierFilterForm, RejectForm
from exemplar.nominations.models import Nomination
from exemplar.programmes.models import Programme

PAGE_SIZE = 50


class ProgrammeMixin(PermissionRequiredMixin):
    """A page about the programme named by the ``programme`` URL argument, which is the permission object."""

    kwargs: dict[str, Any]
    request: HttpRequest

    @cached_property
    def programme(self) -> Programme:
        return get_object_or_404(Programme.objects.select_related("current_phase"), pk=self.kwargs["programme"])

    def get_permission_object(self) -> Programme:
        return self.programme


class ScreeningHomeView(PermissionRequiredMixin, TemplateView):
    """The programmes the office screens: each links to its dashboard and vetting matrix."""

    permission_required = "nominations.view_office_dashboard"
    template_name = "backoffice/office/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["programmes"] = list(office_programmes(self.request.user).select_related("current_phase"))
        return ctx


class DossierListMixin(ProgrammeMixin):
    """The filter form and the filtered list shared by the dashboard and its export."""

    @cached_property
    def categories(self) -> list[Any]:
        return list(self.programme.categories.order_by("order", "pk"))

    @cached_property
    def branches(self) -> dict[str, Any]:
        return office.branches()

    @cached_property
    def form(self) -> DossierFilterForm:
        return DossierFilterForm(
            self.request.GET or None, categories=self.categories, units=list(self.branches.values())
        )

    def dossiers(self) -> Any:
        return office.office_dossiers(self.programme, self.form.filters())

    def querystring(self) -> str:
        form = self.form
        if not form.is_bound:
            return ""
        keep = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
        return urlencode({k: int(v) if isinstance(v, bool) else v for k, v in keep.items()})


class OfficeDashboardView(DossierListMixin, TemplateView):
    """Counts by unit and category and by state; the filtered, searchable list of dossiers."""

    permission_required = "nominations.view_office_dashboard"
    template_name = "backoffice/office/dashboard.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])  # the live results and the page share a URL
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        programme, user = self.programme, self.request.user
        page = office.dossier_page(self.dossiers(), self.request.GET.get("page"), PAGE_SIZE)
        by_state = office.counts_by_state(programme)
        vetting = office.vetting_summaries(programme, page.object_list)
        querystring = self.querystring()
        ctx.update(
            programme=programme,
            form=self.form,
            page_obj=page,
            rows=[(n, office.branch_of(n.unit.path, self.branches), vetting.get(n.pk)) for n in page.object_list],
            querystring=querystring,
            querystring_base=f"{querystring}&" if querystring else "",
            states=[(v, label, by_state.get(v, 0)) for v, label in NominationState.choices if v in by_state],
            total=sum(by_state.values()),
            counts=office.counts_by_branch(programme, self.categories, self.branches),
            can_run_checks=user.has_perm("nominations.run_eligibility_checks", programme),
        )
        return ctx


class OfficeExportView(DossierListMixin, View):
    """The filtered dossiers list as an XLSX file."""

    permission_required = "nominations.view_office_dashboard"

    def get(self, request: HttpRequest, programme: int) -> HttpResponse:
        nominations = list(self.dossiers().order_by("reference"))
        content = dossiers_xlsx(
            nominations,
            branches=self.branches,
            vetting=office.vetting_summaries(self.programme, nominations),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="dossiers-{self.programme.year}-{stamp}.xlsx"'
        return response


class RunChecksView(ProgrammeMixin, View):
    """Re-run the eligibility and duplicate checks on every standing nomination of the programme."""

    permission_required = "nominations.run_eligibility_checks"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, programme: int) -> HttpResponse:
        try:
            counts = check_programme(self.programme, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Checked %(checked)d nominations: %(with_blockers)d fail a rule, "
                    "%(with_duplicates)d may be duplicates."
                )
                % counts,
            )
        return HttpResponseRedirect(reverse("backoffice:office_dashboard", args=[self.programme.pk]))


class ScreeningActionView(NominationActionView):
    """A screening decision on one dossier; the domain refuses what the state or phase does not allow."""

    permission_required = ("nominations.view_nomination", "nominations.take_screening_decisions")


class ConfirmNominationView(ScreeningActionView):
    def act(self, nomination: Nomination) -> str:
        form = ConfirmForm(self.request.POST, prefix="confirm")
        note = form.cleaned_data["note"] if form.is_valid() else ""
        confirm_nomination(nomination, note=note, actor=self.request.user)  # type: ignore[arg-type]
        return _("Nomination %(ref)s confirmed: it goes on to vetting.") % {"ref": nomination.reference}


class RejectNominationView(ScreeningActionView):
    def act(self, nomination: Nomination) -> str:
        form = RejectForm(self.request.POST, prefix="reject")
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        reject_nomination(nomination, reason=reason, actor=self.request.user)  # type: ignore[arg-type]
        return _("Nomination %(ref)s rejected; the nominating unit has been told why.") % {"ref": nomination.reference}
