"""Vetting: the office's matrix of candidates by departments, and each department's worklist."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from exemplar.backoffice.views.office import ProgrammeMixin
from exemplar.core.errors import DomainError
from exemplar.core.views import PermissionRequiredMixin
from exemplar.nominations.domain import office
from exemplar.nominations.domain.vetting import (
    awaiting_department,
    decided_by_department,
    departments_signed_by,
    record_vetting,
    vetting_candidates,
    vetting_matrix,
)
from exemplar.nominations.enums import NominationState, VettingVerdict
from exemplar.nominations.interfaces.screening import VettingForm
from exemplar.nominations.models import Nomination
from exemplar.programmes.models import VettingDepartment

PAGE_SIZE = 50
RECENT_DECISIONS = 20


def _with_pending(departments: Any) -> Any:
    """Annotate each department with the confirmed candidates still waiting for it: one query."""
    confirmed = (
        Nomination.objects.filter(programme=OuterRef("programme"), state=NominationState.CONFIRMED)
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    confirmed_ids = Nomination.objects.filter(state=NominationState.CONFIRMED).values("pk")
    return departments.annotate(
        confirmed=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0),
        decided=Count("decisions", filter=Q(decisions__nomination_id__in=confirmed_ids)),
    )


class VettingHomeView(PermissionRequiredMixin, TemplateView):
    """The departments the signed-in user signs for, with how many candidates wait for each."""

    permission_required = "nominations.open_vetting"
    template_name = "backoffice/vetting/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        departments = _with_pending(departments_signed_by(self.request.user))
        ctx["departments"] = [(d, d.confirmed - d.decided) for d in departments]
        return ctx


class VettingMatrixView(ProgrammeMixin, TemplateView):
    """Candidates by departments: who has signed, who vetoed, what is missing."""

    permission_required = "nominations.view_vetting_matrix"
    template_name = "backoffice/vetting/matrix.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        programme = self.programme
        only_missing = self.request.GET.get("missing") == "1"
        candidates = vetting_candidates(programme)
        if only_missing:
            candidates = candidates.filter(state=NominationState.CONFIRMED)
        page = Paginator(candidates, PAGE_SIZE).get_page(self.request.GET.get("page"))
        querystring = urlencode({"missing": 1}) if only_missing else ""
        ctx.update(
            programme=programme,
            page_obj=page,
            matrix=vetting_matrix(programme, page.object_list),
            missing_by_department=office.missing_by_department(programme),
            only_missing=only_missing,
            querystring_base=f"{querystring}&" if querystring else "",
        )
        return ctx


class VettingWorklistView(ProgrammeMixin, TemplateView):
    """One department's worklist: confirmed candidates waiting for its decision, and its recent decisions.

    Signatories act here; the office and auditors may look (read-only).
    """

    permission_required = "nominations.view_vetting_worklist"
    template_name = "backoffice/vetting/worklist.html"

    @cached_property
    def departments(self) -> list[VettingDepartment]:
        mine = list(departments_signed_by(self.request.user, self.programme))
        return mine or list(VettingDepartment.objects.filter(programme=self.programme).order_by("order", "pk"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        wanted = self.request.GET.get("department", "")
        department = next((d for d in self.departments if str(d.pk) == wanted), None)
        if department is None and self.departments:
            department = self.departments[0]
        if department is None:
            raise Http404(_("This programme has no vetting department."))
        page = Paginator(awaiting_department(department), PAGE_SIZE).get_page(self.request.GET.get("page"))
        signs = self.request.user.pk in {m.pk for m in department.members.all()}
        ctx.update(
            programme=self.programme,
            departments=self.departments,
            department=department,
            page_obj=page,
            recent=list(decided_by_department(department, limit=RECENT_DECISIONS)),
            can_sign=signs and bool(self.programme.current_phase and self.programme.current_phase.can_vet),
            querystring_base=urlencode({"department": department.pk}) + "&",
            approve=VettingVerdict.APPROVED,
            veto=VettingVerdict.VETOED,
            confirmed=NominationState.CONFIRMED,
        )
        return ctx


class RecordVettingView(PermissionRequiredMixin, View):
    """A department's approval or veto; the domain checks the signatory, the state and the phase."""

    permission_required = "nominations.view_nomination"
    http_method_names = ["post"]
    kwargs: dict[str, Any]

    @cached_property
    def nomination(self) -> Nomination:
        return get_object_or_404(
            Nomination.objects.select_related("programme", "programme__current_phase", "unit"),
            pk=self.kwargs["nomination"],
        )

    def get_permission_object(self) -> Nomination:
        return self.nomination

    def post(self, request: HttpRequest, nomination: int) -> HttpResponse:
        form = VettingForm(request.POST)
        target = self.nomination
        back = reverse("backoffice:vetting_worklist", args=[target.programme_id])
        if not form.is_valid():
            messages.error(request, _("Choose approve or veto."))
            return HttpResponseRedirect(back)
        department = VettingDepartment.objects.filter(
            pk=form.cleaned_data["department"], programme_id=target.programme_id
        ).first()
        if department is None:
            messages.error(request, _("This department does not vet this programme."))
            return HttpResponseRedirect(back)
        back = f"{back}?{urlencode({'department': department.pk})}"
        verdict = form.cleaned_data["verdict"]
        try:
            record_vetting(
                target, department=department, verdict=verdict, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            text = (
                _("%(ref)s vetoed for %(department)s.")
                if verdict == VettingVerdict.VETOED
                else _("%(ref)s approved for %(department)s.")
            )
            messages.success(request, text % {"ref": target.reference, "department": department.display_name})
        return HttpResponseRedirect(back)
