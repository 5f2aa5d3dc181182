"""The nominee's read-only view of their own dossiers, and the joint nominations an employee may sign."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from exemplar.core.errors import DomainError
from exemplar.core.views import PermissionRequiredMixin
from exemplar.nominations.domain.joint import sign_joint_nomination
from exemplar.nominations.domain.queries import joint_nominations_open_to, own_nominations
from exemplar.nominations.interfaces.downloads import attachment_response
from exemplar.nominations.models import Attachment, JointSupporter, Nomination
from exemplar.people.models import Person


class DossierListView(PermissionRequiredMixin, TemplateView):
    """Dossiers naming me (or a team of mine), once my unit has sent them up."""

    permission_required = "portal.view_own_record"
    template_name = "portal/dossiers/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["dossiers"] = list(
            own_nominations(self.request.user.person_id)  # type: ignore[union-attr]
            .select_related("programme", "category", "person", "team", "unit")
            .order_by("-programme__year", "-submitted_at", "-pk")
        )
        return ctx


class DossierDetailView(PermissionRequiredMixin, DetailView):
    """One dossier, read-only: what was written, its state and its way up, without anyone's reasons or notes."""

    permission_required = "nominations.view_own_dossier"
    model = Nomination
    pk_url_kwarg = "nomination"
    template_name = "portal/dossiers/detail.html"
    context_object_name = "nomination"

    def get_queryset(self) -> QuerySet[Nomination]:
        return Nomination.objects.select_related("programme", "category", "person", "team", "unit")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        nomination = self.object
        ctx["steps"] = list(nomination.steps.select_related("unit"))
        ctx["attachments"] = list(nomination.attachments.all())
        ctx["achievements"] = [line for line in nomination.achievements.splitlines() if line.strip()]
        return ctx


class DossierAttachmentView(PermissionRequiredMixin, SingleObjectMixin, View):
    permission_required = "nominations.view_own_dossier"
    model = Nomination
    pk_url_kwarg = "nomination"

    def get_object(self, queryset: QuerySet[Nomination] | None = None) -> Nomination:
        if not hasattr(self, "_object"):
            self._object = super().get_object(queryset)
        return self._object

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attachment = get_object_or_404(Attachment, pk=self.kwargs["attachment"], nomination=self.get_object())
        return attachment_response(attachment)


class JointListView(PermissionRequiredMixin, TemplateView):
    """Joint nominations of my unit (or a unit above it) gathering signatures, and whether I signed."""

    permission_required = "portal.view_own_record"
    template_name = "portal/dossiers/joint.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        person = Person.objects.select_related("unit").filter(pk=self.request.user.person_id).first()  # type: ignore[union-attr]
        signed = JointSupporter.objects.filter(nomination=OuterRef("pk"), person=person)
        ctx["open"] = list(
            joint_nominations_open_to(person)
            .select_related("programme", "category", "person", "team", "unit")
            .annotate(n_supporters=Count("supporters"), signed_by_me=Exists(signed))
            .order_by("-updated_at", "-pk")
        )
        return ctx


class JointSignView(PermissionRequiredMixin, SingleObjectMixin, View):
    permission_required = "nominations.sign_joint"
    model = Nomination
    pk_url_kwarg = "nomination"
    http_method_names = ["post"]

    def get_object(self, queryset: QuerySet[Nomination] | None = None) -> Nomination:
        if not hasattr(self, "_object"):
            self._object = super().get_object(
                Nomination.objects.select_related("programme__current_phase", "unit", "team")
            )
        return self._object

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        nomination = self.get_object()
        try:
            sign_joint_nomination(nomination, actor=request.user)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("You have signed %(ref)s.") % {"ref": nomination.reference})
        return redirect("portal:joint")
