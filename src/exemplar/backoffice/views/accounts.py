"""Accounts and role grants, managed by the group's programme office."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from exemplar.core.errors import DomainError
from exemplar.core.views import PermissionRequiredMixin
from exemplar.people.domain.accounts import create_account, grant_role, revoke_role
from exemplar.people.interfaces.forms import GrantRoleForm
from exemplar.people.models import Person, RoleGrant, User

PAGE_SIZE = 50


class AccountListView(PermissionRequiredMixin, TemplateView):
    permission_required = "people.manage_grants"
    template_name = "backoffice/accounts/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        term = self.request.GET.get("q", "").strip()[:100]
        grants = Prefetch("grants", queryset=RoleGrant.objects.select_related("unit").order_by("role", "unit__path"))
        qs = User.objects.select_related("person", "person__unit").prefetch_related(grants).order_by("username")
        if term:
            qs = qs.filter(
                Q(username__istartswith=term) | Q(person__name__icontains=term) | Q(person__name_en__icontains=term)
            )
        ctx["term"] = term
        ctx["page_obj"] = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        ctx["querystring_base"] = urlencode({"q": term}) + "&"
        return ctx


class CreateAccountView(PermissionRequiredMixin, View):
    """Open an account for a person; they get the mail to choose a password."""

    permission_required = "people.manage_grants"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, person: int) -> HttpResponse:
        target = get_object_or_404(Person, pk=person)
        try:
            create_account(person=target, actor=request.user, site_url=settings.SITE_URL)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Account opened. %(email)s has been sent a link to choose a password.") % {"email": target.email},
            )
        return HttpResponseRedirect(target.get_absolute_url())


class GrantRoleView(PermissionRequiredMixin, View):
    permission_required = "people.manage_grants"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, user: int) -> HttpResponse:
        account = get_object_or_404(User.objects.select_related("person"), pk=user)
        form = GrantRoleForm(request.POST)
        if form.is_valid():
            try:
                grant_role(
                    user=account,
                    role=form.cleaned_data["role"],
                    unit=form.cleaned_data["unit_code"],
                    actor=request.user,
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Role granted."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return HttpResponseRedirect(_back(request, account))


class RevokeGrantView(PermissionRequiredMixin, View):
    permission_required = "people.manage_grants"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, user: int, grant: int) -> HttpResponse:
        role_grant = get_object_or_404(RoleGrant.objects.select_related("user", "unit"), pk=grant, user_id=user)
        revoke_role(role_grant, actor=request.user)
        messages.success(request, _("Role withdrawn."))
        return HttpResponseRedirect(_back(request, role_grant.user))


def _back(request: HttpRequest, account: User) -> str:
    from django.urls import reverse

    if account.person_id:
        return account.person.get_absolute_url()  # type: ignore[union-attr]
    return reverse("backoffice:accounts")
