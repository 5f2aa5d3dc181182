"""Nomination dossiers in the backoffice."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.views.generic import DetailView

from exemplar.core.views import PermissionRequiredMixin
from exemplar.nominations.models import Nomination


class NominationView(PermissionRequiredMixin, DetailView):
    """The dossier: nominee, deeds, attachments, the way it has come, and what the viewer may do next."""

    permission_required = "nominations.view_nomination"
    model = Nomination
    pk_url_kwarg = "nomination"
    template_name = "backoffice/nominations/detail.html"
    context_object_name = "nomination"

    def get_queryset(self) -> QuerySet[Nomination]:
        return Nomination.objects.select_related(
            "programme", "category", "person", "person__unit", "team", "team__unit", "team__lead", "unit", "at_unit"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        nomination = self.object
        ctx["steps"] = list(nomination.steps.select_related("unit", "actor", "actor__person"))
        ctx["attachments"] = list(nomination.attachments.all())
        ctx["achievements"] = [line for line in nomination.achievements.splitlines() if line.strip()]
        if nomination.team_id:
            ctx["members"] = list(nomination.team.memberships.select_related("person").order_by("person__staff_number"))
        return ctx
