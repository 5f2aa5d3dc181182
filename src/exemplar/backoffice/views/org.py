"""Browsing the organisation: the unit tree, unit, person and team pages, search."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.generic import DetailView, TemplateView

from exemplar.core.views import PermissionRequiredMixin
from exemplar.people.domain.queries import (
    ancestors,
    browse_roots,
    children_with_headcounts,
    people_visible_to,
    search_people,
    subtree_headcount,
)
from exemplar.people.enums import PersonStatus
from exemplar.people.interfaces.forms import GrantRoleForm
from exemplar.people.models import OrgUnit, Person, Team, TeamMembership, User

PAGE_SIZE = 50


class TreeView(PermissionRequiredMixin, TemplateView):
    """The top of the tree in the user's scope; deeper levels load on demand."""

    permission_required = "people.browse_directory"
    template_name = "backoffice/org/tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        roots = list(browse_roots(self.request.user))
        nodes = []
        for root in roots:
            nodes.append((root, subtree_headcount(root), children_with_headcounts(root)))
        ctx["nodes"] = nodes
        return ctx


class UnitChildrenView(PermissionRequiredMixin, DetailView):
    """The children of one unit with headcounts: the htmx partial the tree expands with."""

    permission_required = "people.view_unit"
    model = OrgUnit
    pk_url_kwarg = "unit"
    template_name = "backoffice/org/_children.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["children"] = children_with_headcounts(self.object)
        return ctx


class UnitView(PermissionRequiredMixin, DetailView):
    permission_required = "people.view_unit"
    model = OrgUnit
    pk_url_kwarg = "unit"
    template_name = "backoffice/org/unit.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        unit = self.object
        ctx["breadcrumbs"] = list(ancestors(unit))
        ctx["children"] = children_with_headcounts(unit)
        ctx["headcount"] = subtree_headcount(unit)
        people = Person.objects.filter(unit=unit).order_by("staff_number")
        page = Paginator(people, PAGE_SIZE).get_page(self.request.GET.get("page"))
        ctx["page_obj"] = page
        ctx["teams"] = list(
            Team.objects.filter(unit=unit)
            .select_related("lead")
            .annotate(n_members=Count("memberships"))
            .order_by("code")
        )
        return ctx


class PersonView(PermissionRequiredMixin, DetailView):
    permission_required = "people.view_person"
    model = Person
    pk_url_kwarg = "person"
    template_name = "backoffice/org/person.html"
    context_object_name = "person"

    def get_queryset(self) -> QuerySet[Person]:
        return Person.objects.select_related("unit")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        person = self.object
        ctx["breadcrumbs"] = [*ancestors(person.unit), person.unit]
        ctx["memberships"] = list(
            TeamMembership.objects.filter(person=person).select_related("team", "team__unit").order_by("team__code")
        )
        if self.request.user.has_perm("people.manage_grants"):
            account = User.objects.filter(person=person).first()
            ctx["show_account"] = True
            ctx["account"] = account
            ctx["account_grants"] = (
                list(account.grants.select_related("unit").order_by("role", "unit__path")) if account else []
            )
            ctx["grant_form"] = GrantRoleForm(initial={"unit_code": person.unit.code})
        return ctx


class TeamView(PermissionRequiredMixin, DetailView):
    permission_required = "people.view_team"
    model = Team
    pk_url_kwarg = "team"
    template_name = "backoffice/org/team.html"
    context_object_name = "team"

    def get_queryset(self) -> QuerySet[Team]:
        return Team.objects.select_related("unit", "lead")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["breadcrumbs"] = [*ancestors(self.object.unit), self.object.unit]
        ctx["memberships"] = list(
            TeamMembership.objects.filter(team=self.object)
            .select_related("person", "person__unit")
            .order_by("person__staff_number")
        )
        return ctx


class PeopleSearchView(PermissionRequiredMixin, TemplateView):
    """Search people in scope by name or staff number."""

    permission_required = "people.browse_directory"
    template_name = "backoffice/org/search.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["backoffice/org/search.html#results"]
        return [self.template_name]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        # The live results and the whole page share a URL (hx-push-url): without this,
        # Back after a search shows the bare results fragment from the browser's cache.
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        term = self.request.GET.get("q", "").strip()[:100]
        status = self.request.GET.get("status", "")
        qs = search_people(people_visible_to(self.request.user), term).select_related("unit").order_by("staff_number")
        if status in PersonStatus.values:
            qs = qs.filter(status=status)
        ctx["term"] = term
        ctx["status"] = status
        ctx["statuses"] = PersonStatus.choices
        ctx["page_obj"] = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page")) if term else None
        ctx["querystring_base"] = urlencode({"q": term, "status": status}) + "&"
        return ctx
