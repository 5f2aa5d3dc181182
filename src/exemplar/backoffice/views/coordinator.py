"""The unit coordinator's dashboard: quota used and left, nominations by state, what waits for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from exemplar.core.views import PermissionRequiredMixin
from exemplar.nominations.domain.queries import (
    nominations_awaiting,
    programmes_open_to_coordinators,
    state_counts,
    unit_nominations,
)
from exemplar.nominations.enums import NominationState
from exemplar.people.domain.grants import units_where
from exemplar.people.enums import Role
from exemplar.people.models import OrgUnit
from exemplar.programmes.domain.capabilities import Capability, phase_allows
from exemplar.programmes.domain.quotas import QuotaRow, quotas_for_units
from exemplar.programmes.models import Programme


@dataclass(frozen=True)
class UnitPanel:
    unit: OrgUnit
    quota: QuotaRow | None
    states: list[tuple[str, str, int]]  # (state, label, count) for the states with any
    total: int


class CoordinatorHomeView(PermissionRequiredMixin, TemplateView):
    """Programmes in which units nominate or endorse now; straight to the dashboard when there is one."""

    permission_required = "nominations.coordinate"
    template_name = "backoffice/coordinator/home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        programmes = list(programmes_open_to_coordinators())
        if len(programmes) == 1:
            return redirect("backoffice:coordinator_dashboard", programme=programmes[0].pk)
        return self.render_to_response(self.get_context_data(programmes=programmes))


class CoordinatorDashboardView(PermissionRequiredMixin, TemplateView):
    permission_required = "nominations.coordinate"
    template_name = "backoffice/coordinator/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        programme = get_object_or_404(Programme.objects.select_related("current_phase"), pk=self.kwargs["programme"])
        unit_ids = units_where(user, Role.UNIT_COORDINATOR)
        units = list(OrgUnit.objects.filter(pk__in=unit_ids).order_by("path"))
        quotas = {row.quota.unit_id: row for row in quotas_for_units(programme, unit_ids)}
        counts = state_counts(programme, unit_ids)
        labels = dict(NominationState.choices)
        ctx["panels"] = [
            UnitPanel(
                unit=u,
                quota=quotas.get(u.pk),
                states=[(s, labels[s], counts[u.pk][s]) for s in NominationState.values if counts[u.pk].get(s)],
                total=sum(counts[u.pk].values()),
            )
            for u in units
        ]
        ctx["programme"] = programme
        ctx["awaiting"] = list(
            nominations_awaiting(user, programme)
            .select_related("category", "person", "team", "unit", "at_unit")
            .order_by("submitted_at", "pk")
        )
        ctx["mine"] = list(unit_nominations(programme, unit_ids))
        ctx["nominating_open"] = phase_allows(programme, Capability.NOMINATE)
        ctx["endorsing_open"] = phase_allows(programme, Capability.ENDORSE)
        return ctx
