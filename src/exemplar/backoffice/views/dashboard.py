from typing import Any

from django.views.generic import TemplateView

from exemplar.core.views import PermissionRequiredMixin
from exemplar.people.domain.queries import browse_roots, people_visible_to, teams_visible_to, units_visible_to
from exemplar.people.enums import PersonStatus


class DashboardView(PermissionRequiredMixin, TemplateView):
    permission_required = "backoffice.enter"
    template_name = "backoffice/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("people.browse_directory"):
            ctx["stats"] = {
                "units": units_visible_to(user).count(),
                "people": people_visible_to(user).filter(status=PersonStatus.ACTIVE).count(),
                "teams": teams_visible_to(user).count(),
            }
            ctx["roots"] = list(browse_roots(user))
        return ctx
