from typing import Any

from django.views.generic import TemplateView

from exemplar.core.views import PermissionRequiredMixin
from exemplar.people.domain.grants import grants_of
from exemplar.people.domain.queries import ancestors
from exemplar.people.enums import Role
from exemplar.people.models import OrgUnit, TeamMembership


class PortalHomeView(PermissionRequiredMixin, TemplateView):
    """The signed-in employee's own page: their record, unit, teams and roles."""

    permission_required = "portal.enter"
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        person = getattr(user, "person", None)
        ctx["person"] = person
        if person is not None:
            ctx["unit_chain"] = [*ancestors(person.unit), person.unit]
            ctx["memberships"] = list(
                TeamMembership.objects.filter(person=person).select_related("team", "team__unit", "team__lead")
            )
        grants = grants_of(user)
        units = OrgUnit.objects.in_bulk([g.unit_id for g in grants])
        ctx["grants"] = [(Role(g.role).label, units.get(g.unit_id)) for g in grants]
        return ctx
