"""The programme list, the programme dashboard, editing and copying a programme, and moving between phases."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from exemplar.backoffice.views.programmes.base import ProgrammePage, ProgrammePageMixin
from exemplar.core.errors import DomainError
from exemplar.core.views import PermissionRequiredMixin, is_htmx
from exemplar.nominations.enums import NominationState
from exemplar.programmes.domain.facts import collect_counts
from exemplar.programmes.domain.lifecycle import CANDIDATES_PREFIX, candidates_needed
from exemplar.programmes.domain.programmes import (
    PhaseBlocked,
    advance_programme,
    copy_programme,
    create_programme,
    describe_blocker,
    step_back_programme,
    update_programme,
)
from exemplar.programmes.domain.queries import next_move, phases_of, programme_timeline, programmes_for_list
from exemplar.programmes.interfaces.forms import AdvanceForm, CopyProgrammeForm, ProgrammeForm, StepBackForm

# The nomination states the dashboard counts, in the order a nomination meets them.
DASHBOARD_STATES = [
    NominationState.DRAFT,
    NominationState.RETURNED,
    NominationState.SUBMITTED,
    NominationState.RECEIVED,
    NominationState.CONFIRMED,
    NominationState.APPROVED,
    NominationState.REJECTED,
    NominationState.VETOED,
    NominationState.WITHDRAWN,
]


class ProgrammeListView(PermissionRequiredMixin, TemplateView):
    permission_required = "programmes.view_programme"
    template_name = "backoffice/programmes/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["programmes"] = list(programmes_for_list())
        return ctx


class ProgrammeCreateView(PermissionRequiredMixin, TemplateView):
    permission_required = "programmes.manage_programme"
    template_name = "backoffice/programmes/programme_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=ProgrammeForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            try:
                programme = create_programme(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Programme created. Set up its categories, rubric and phases next."))
                return HttpResponseRedirect(programme.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class ProgrammeDashboardView(ProgrammePage):
    """The programme at a glance: timeline, key counts, and the way to the next phase."""

    template_name = "backoffice/programmes/dashboard.html"
    section = "overview"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        programme = self.programme
        phases = phases_of(programme)
        timeline = programme_timeline(programme, phases=phases)
        counts = collect_counts(programme)
        current = programme.current_phase
        ratio = current.min_candidates_per_seat if current else None
        categories = []
        for c in programme.categories.all():
            categories.append(
                {
                    "category": c,
                    "candidates": counts.get(CANDIDATES_PREFIX + c.code, 0),
                    "needed": candidates_needed(c.seats, ratio) if ratio else None,
                }
            )
        ctx["timeline"] = timeline
        ctx["next_entry"] = next((e for e in timeline if e.stage == "upcoming"), None)
        ctx["categories"] = categories
        ctx["seats"] = sum(c["category"].seats for c in categories)
        # Counts by state include units' private drafts: the office and auditors see them, other staff do not.
        user = self.request.user
        if user.has_perm("programmes.manage_programme", programme) or user.has_perm("core.read_audit"):
            ctx["state_counts"] = [
                (s, s.label, counts.get(f"nominations.state.{s.value}", 0)) for s in DASHBOARD_STATES
            ]
        return ctx


class ProgrammeEditView(ProgrammePageMixin, TemplateView):
    permission_required = "programmes.manage_programme"
    template_name = "backoffice/programmes/programme_form.html"
    section = "details"

    def render_form(self, form: ProgrammeForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, **self.programme_context()))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(ProgrammeForm(instance=copy.copy(self.programme)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ProgrammeForm(request.POST, instance=copy.copy(self.programme))
        if form.is_valid():
            try:
                update_programme(self.programme, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Programme saved."))
                return HttpResponseRedirect(self.programme.get_absolute_url())
        return self.render_form(form)


class ProgrammeCopyView(ProgrammePageMixin, TemplateView):
    """Start next year's programme from this one."""

    permission_required = "programmes.manage_programme"
    template_name = "backoffice/programmes/copy.html"

    def render_form(self, form: CopyProgrammeForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, **self.programme_context()))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(CopyProgrammeForm(initial={"year": self.programme.year + 1}))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CopyProgrammeForm(request.POST)
        if form.is_valid():
            try:
                new = copy_programme(self.programme, year=form.cleaned_data["year"], actor=request.user)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Programme copied. Check the new phase windows and the signatories."))
                return HttpResponseRedirect(new.get_absolute_url())
        return self.render_form(form)


class AdvanceView(ProgrammePageMixin, TemplateView):
    """Shows what stands in the way of the next phase, and moves on when nothing does."""

    permission_required = "programmes.manage_programme"
    template_name = "backoffice/programmes/advance.html"
    section = "overview"

    def get_template_names(self) -> list[str]:
        if is_htmx(self.request):
            return [f"{self.template_name}#panel"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        move = next_move(self.programme)
        ctx.update(self.programme_context())
        ctx["move"] = move
        ctx["blockers"] = [describe_blocker(b) for b in move.blockers]
        if move.current is not None:
            ctx["advance_form"] = AdvanceForm(initial={"from_kind": move.current.kind})
        ctx.setdefault("step_back_form", StepBackForm())
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AdvanceForm(request.POST)
        from_kind = form.cleaned_data["from_kind"] if form.is_valid() else None
        try:
            phase = advance_programme(self.programme, actor=request.user, from_kind=from_kind)
        except PhaseBlocked as exc:
            messages.error(request, str(exc))
            return self.render_to_response(self.get_context_data())
        except DomainError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.programme.get_absolute_url())
        messages.success(request, _("The programme has moved on to “%(phase)s”.") % {"phase": phase.get_kind_display()})
        return HttpResponseRedirect(self.programme.get_absolute_url())


class StepBackView(ProgrammePageMixin, View):
    permission_required = "programmes.manage_programme"
    http_method_names = ["post"]
    refused = gettext_lazy("Say why the programme goes back a phase.")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = StepBackForm(request.POST)
        if not form.is_valid():
            messages.error(request, str(self.refused))
            return HttpResponseRedirect(reverse("backoffice:programme_advance", args=[self.programme.pk]))
        try:
            phase = step_back_programme(self.programme, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("backoffice:programme_advance", args=[self.programme.pk]))
        messages.success(request, _("The programme is back in “%(phase)s”.") % {"phase": phase.get_kind_display()})
        return HttpResponseRedirect(self.programme.get_absolute_url())
