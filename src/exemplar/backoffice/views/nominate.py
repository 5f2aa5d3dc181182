"""The coordinator's nominating work: new nomination, draft editing, attachments, and each step up the tree."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from exemplar.core.errors import DomainError
from exemplar.core.views import PermissionRequiredMixin
from exemplar.nominations.domain.attachments import add_attachment, remove_attachment
from exemplar.nominations.domain.joint import mark_joint, unmark_joint
from exemplar.nominations.domain.nominations import (
    create_nomination,
    endorse_nomination,
    return_nomination,
    submit_nomination,
    update_nomination,
    withdraw_nomination,
)
from exemplar.nominations.interfaces.downloads import attachment_response
from exemplar.nominations.interfaces.forms import (
    AttachmentForm,
    NominationCreateForm,
    NominationEditForm,
    ReasonForm,
    subtree_people,
)
from exemplar.nominations.models import Attachment, Nomination
from exemplar.people.domain.grants import units_where
from exemplar.people.domain.queries import search_people
from exemplar.people.enums import Role
from exemplar.people.models import OrgUnit
from exemplar.programmes.domain.capabilities import Capability, phase_allows
from exemplar.programmes.models import Programme

SEARCH_LIMIT = 20


def _search_results(unit: OrgUnit, term: str) -> list[Any]:
    term = term.strip()[:100]
    if not term:
        return []
    qs = search_people(subtree_people(unit), term).select_related("unit").order_by("staff_number")
    return list(qs[:SEARCH_LIMIT])


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


class NominateChooseUnitView(PermissionRequiredMixin, TemplateView):
    """Which of the coordinator's units nominates: straight to the form when there is only one."""

    permission_required = "nominations.add_nomination"
    template_name = "backoffice/nominate/choose_unit.html"

    def get_permission_object(self) -> Programme:
        if not hasattr(self, "programme"):
            self.programme = get_object_or_404(Programme, pk=self.kwargs["programme"])
        return self.programme

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        units = list(OrgUnit.objects.filter(pk__in=units_where(request.user, Role.UNIT_COORDINATOR)).order_by("path"))
        if len(units) == 1:
            return redirect("backoffice:nominate", programme=self.programme.pk, unit=units[0].pk)
        return self.render_to_response(self.get_context_data(units=units, programme=self.programme))


class NominationCreateView(PermissionRequiredMixin, TemplateView):
    """The new-nomination form for one unit; the nominee is searched within the unit's subtree."""

    permission_required = "nominations.nominate_for_unit"
    template_name = "backoffice/nominate/create.html"

    def get_permission_object(self) -> OrgUnit:
        if not hasattr(self, "unit"):
            self.unit = get_object_or_404(OrgUnit, pk=self.kwargs["unit"])
        return self.unit

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        programme = get_object_or_404(Programme.objects.select_related("current_phase"), pk=self.kwargs["programme"])
        form = kwargs.get("form") or NominationCreateForm(programme=programme, unit=self.unit)
        term = self.request.GET.get("person_q", "")
        chosen = form["person"].value() if form.is_bound else None
        ctx.update(
            programme=programme,
            unit=self.unit,
            form=form,
            term=term,
            results=_search_results(self.unit, term),
            chosen=form.fields["person"].queryset.filter(pk=chosen).first() if str(chosen or "").isdigit() else None,
            nominating_open=phase_allows(programme, Capability.NOMINATE),
        )
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        programme = get_object_or_404(Programme, pk=self.kwargs["programme"])
        form = NominationCreateForm(request.POST, programme=programme, unit=self.unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                nomination = create_nomination(
                    programme=programme,
                    category=data["category"],
                    unit=self.unit,
                    person=data["person"],
                    team=data["team"],
                    title=data["title"],
                    deeds=data["deeds"],
                    achievements=data["achievements"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Draft %(ref)s saved. Only your unit sees it.") % {"ref": nomination.reference}
                )
                return redirect("backoffice:nomination_edit", nomination=nomination.pk)
        return self.render_to_response(self.get_context_data(form=form))


class NomineeSearchView(PermissionRequiredMixin, TemplateView):
    """The live search of the nominee chooser (htmx): people of the unit's subtree, as radio options."""

    permission_required = "nominations.nominate_for_unit"
    template_name = "backoffice/nominate/_person_results.html"

    def get_permission_object(self) -> OrgUnit:
        if not hasattr(self, "unit"):
            self.unit = get_object_or_404(OrgUnit, pk=self.kwargs["unit"])
        return self.unit

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        term = self.request.GET.get("person_q", "")
        ctx.update(term=term, results=_search_results(self.unit, term), chosen=None)
        return ctx


class NominationEditView(PermissionRequiredMixin, DetailView):
    """A draft (or returned) dossier's editing page: text, attachments, joint signatures, submit."""

    permission_required = "nominations.change_nomination"
    model = Nomination
    pk_url_kwarg = "nomination"
    template_name = "backoffice/nominate/edit.html"
    context_object_name = "nomination"

    def get_queryset(self) -> QuerySet[Nomination]:
        return Nomination.objects.select_related(
            "programme", "programme__current_phase", "category", "person", "team", "unit"
        )

    def get_object(self, queryset: QuerySet[Nomination] | None = None) -> Nomination:
        if not hasattr(self, "_object"):
            self._object = super().get_object(queryset)
        return self._object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        nomination = self.object
        ctx.setdefault(
            "form",
            NominationEditForm(
                initial={"title": nomination.title, "deeds": nomination.deeds, "achievements": nomination.achievements}
            ),
        )
        ctx["attachment_form"] = AttachmentForm()
        ctx["attachments"] = list(nomination.attachments.all())
        ctx["supporters"] = nomination.supporters.count() if nomination.is_joint else 0
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = nomination = self.get_object()
        form = NominationEditForm(request.POST)
        if form.is_valid():
            try:
                update_nomination(nomination, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Dossier saved."))
                return redirect("backoffice:nomination_edit", nomination=nomination.pk)
        return self.render_to_response(self.get_context_data(form=form))


class NominationActionView(PermissionRequiredMixin, SingleObjectMixin, View):
    """A POST that asks the domain for one step and comes back with its outcome as a message."""

    model = Nomination
    pk_url_kwarg = "nomination"
    http_method_names = ["post"]

    def get_object(self, queryset: QuerySet[Nomination] | None = None) -> Nomination:
        if not hasattr(self, "_object"):
            self._object = super().get_object(Nomination.objects.select_related("programme__current_phase", "unit"))
        return self._object

    def act(self, nomination: Nomination) -> str:
        raise NotImplementedError

    def fallback_url(self, nomination: Nomination) -> str:
        return reverse("backoffice:nomination", args=[nomination.pk])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        nomination = self.get_object()
        try:
            message = self.act(nomination)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return _back(request, self.fallback_url(nomination))


class SubmitView(NominationActionView):
    permission_required = "nominations.submit_nomination"

    def act(self, nomination: Nomination) -> str:
        done = submit_nomination(nomination, actor=self.request.user)  # type: ignore[arg-type]
        if done.at_unit is None:
            return _("Submitted: %(ref)s has reached the programme office.") % {"ref": done.reference}
        return _("Submitted: %(ref)s now waits for %(unit)s.") % {"ref": done.reference, "unit": done.at_unit}


class EndorseView(NominationActionView):
    permission_required = "nominations.endorse_nomination"

    def act(self, nomination: Nomination) -> str:
        done = endorse_nomination(nomination, actor=self.request.user)  # type: ignore[arg-type]
        if done.at_unit is None:
            return _("Endorsed: %(ref)s has gone to the programme office.") % {"ref": done.reference}
        return _("Endorsed: %(ref)s now waits for %(unit)s.") % {"ref": done.reference, "unit": done.at_unit}


class ReturnView(NominationActionView):
    permission_required = "nominations.endorse_nomination"

    def act(self, nomination: Nomination) -> str:
        form = ReasonForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        done = return_nomination(nomination, reason=reason, actor=self.request.user)  # type: ignore[arg-type]
        return _("Returned %(ref)s to %(unit)s with your reason.") % {"ref": done.reference, "unit": done.unit}


class WithdrawView(NominationActionView):
    permission_required = "nominations.withdraw_nomination"

    def act(self, nomination: Nomination) -> str:
        form = ReasonForm(self.request.POST)
        if not form.is_valid():
            raise DomainError(_("Say why the nomination is withdrawn."), code="reason_required")
        done = withdraw_nomination(
            nomination,
            reason=form.cleaned_data["reason"],
            actor=self.request.user,  # type: ignore[arg-type]
        )
        return _("%(ref)s is withdrawn; any quota it held is free again.") % {"ref": done.reference}


class MarkJointView(NominationActionView):
    permission_required = "nominations.mark_joint"

    def act(self, nomination: Nomination) -> str:
        mark_joint(nomination, actor=self.request.user)  # type: ignore[arg-type]
        return _("Employees of %(unit)s and the units below it can now sign this nomination in their portal.") % {
            "unit": nomination.unit
        }

    def fallback_url(self, nomination: Nomination) -> str:
        return reverse("backoffice:nomination_edit", args=[nomination.pk])


class UnmarkJointView(MarkJointView):
    permission_required = "nominations.change_nomination"

    def act(self, nomination: Nomination) -> str:
        unmark_joint(nomination, actor=self.request.user)  # type: ignore[arg-type]
        return _("This is an ordinary nomination again; the signatures gathered were dropped.")


class AttachmentAddView(NominationActionView):
    permission_required = "nominations.change_nomination"

    def act(self, nomination: Nomination) -> str:
        form = AttachmentForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise DomainError(_("Choose a file to attach."), code="no_file")
        attachment = add_attachment(nomination, upload=form.cleaned_data["file"], actor=self.request.user)  # type: ignore[arg-type]
        return _("Attached %(name)s.") % {"name": attachment.original_name}

    def fallback_url(self, nomination: Nomination) -> str:
        return reverse("backoffice:nomination_edit", args=[nomination.pk])


class AttachmentRemoveView(AttachmentAddView):
    def act(self, nomination: Nomination) -> str:
        attachment = get_object_or_404(Attachment, pk=self.kwargs["attachment"], nomination=nomination)
        remove_attachment(attachment, actor=self.request.user)  # type: ignore[arg-type]
        return _("Removed %(name)s.") % {"name": attachment.original_name}


class AttachmentDownloadView(PermissionRequiredMixin, SingleObjectMixin, View):
    """An attachment, to those who may see the dossier, as a download the browser must not render."""

    permission_required = "nominations.view_nomination"
    model = Nomination
    pk_url_kwarg = "nomination"

    def get_object(self, queryset: QuerySet[Nomination] | None = None) -> Nomination:
        if not hasattr(self, "_object"):
            self._object = super().get_object(Nomination.objects.select_related("programme", "unit"))
        return self._object

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attachment = get_object_or_404(Attachment, pk=self.kwargs["attachment"], nomination=self.get_object())
        return attachment_response(attachment)
