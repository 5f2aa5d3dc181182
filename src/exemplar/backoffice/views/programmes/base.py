"""What every programme page shares: the programme from the URL, the permission object, the set-up tabs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cached_property
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView, View

from exemplar.core.errors import DomainError
from exemplar.core.views import PermissionRequiredMixin
from exemplar.programmes.models import Programme


class ProgrammePageMixin(PermissionRequiredMixin):
    """A page about the programme named by the ``programme`` URL argument."""

    permission_required = "programmes.view_programme"
    section: ClassVar[str] = ""
    kwargs: dict[str, Any]
    request: HttpRequest

    @cached_property
    def programme(self) -> Programme:
        return get_object_or_404(Programme.objects.select_related("current_phase"), pk=self.kwargs["programme"])

    def get_permission_object(self) -> Programme:
        return self.programme

    def programme_context(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "section": self.section,
            "can_manage": self.request.user.has_perm("programmes.manage_programme", self.programme),
        }


class ProgrammePage(ProgrammePageMixin, TemplateView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.programme_context())
        return ctx


class ItemFormView(ProgrammePageMixin, TemplateView):
    """Add (no item in the URL) or edit (``item_kwarg`` in the URL) one set-up item of the programme.

    Subclasses name the model, the form and ``write(form, item)``, which calls the domain writer.
    """

    permission_required = "programmes.manage_programme"
    model: ClassVar[type[Model]]
    form_class: ClassVar[type[forms.BaseForm]]
    item_kwarg: ClassVar[str]
    list_url_name: ClassVar[str]
    added_message: ClassVar[Any]
    saved_message: ClassVar[Any]

    @cached_property
    def item(self) -> Any:
        if self.item_kwarg not in self.kwargs:
            return None
        queryset: QuerySet[Any] = self.model._default_manager.filter(programme=self.programme)
        return get_object_or_404(queryset, pk=self.kwargs[self.item_kwarg])

    def form_kwargs(self) -> dict[str, Any]:
        # A copy: a bound ModelForm writes the input into its instance, and the page still shows the item as saved.
        return {"instance": copy.copy(self.item)} if self.item is not None else {}

    def make_form(self, data: Any = None) -> Any:
        return self.form_class(data, **self.form_kwargs())

    def render_form(self, form: Any) -> HttpResponse:
        ctx = self.get_context_data(form=form, item=self.item, **self.programme_context())
        return self.render_to_response(ctx)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.make_form())

    def is_valid(self, form: Any) -> bool:
        return bool(form.is_valid())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form(request.POST)
        if self.is_valid(form):
            try:
                self.write(form, self.item)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, self.added_message if self.item is None else self.saved_message)
                return HttpResponseRedirect(self.success_url())
        return self.render_form(form)

    def write(self, form: Any, item: Any) -> None:
        raise NotImplementedError

    def success_url(self) -> str:
        return reverse(f"backoffice:{self.list_url_name}", args=[self.programme.pk])


class ItemDeleteView(ProgrammePageMixin, View):
    """Remove one set-up item (POST only) through the domain writer ``deleter`` (a staticmethod)."""

    permission_required = "programmes.manage_programme"
    http_method_names = ["post"]
    model: ClassVar[type[Model]]
    item_kwarg: ClassVar[str]
    list_url_name: ClassVar[str]
    deleted_message: ClassVar[Any]
    deleter: Callable[..., None]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        queryset: QuerySet[Any] = self.model._default_manager.filter(programme=self.programme)
        item = get_object_or_404(queryset, pk=self.kwargs[self.item_kwarg])
        try:
            self.deleter(item, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, self.deleted_message)
        return HttpResponseRedirect(reverse(f"backoffice:{self.list_url_name}", args=[self.programme.pk]))
