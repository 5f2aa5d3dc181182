"""Set-up pages of a programme: categories, rubric, composition rules, phases, vetting departments.

Each section has a page anyone who may view the programme can read, and
add / edit / delete views for the programme office. Views only pass form
values to the writers in ``programmes.domain``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from exemplar.backoffice.views.programmes.base import ItemDeleteView, ItemFormView, ProgrammePage, ProgrammePageMixin
from exemplar.core.errors import DomainError
from exemplar.programmes.domain.lifecycle import REQUIRED_PHASES
from exemplar.programmes.domain.programmes import (
    add_category,
    add_composition_rule,
    add_criterion,
    add_phase,
    add_vetting_department,
    delete_category,
    delete_composition_rule,
    delete_criterion,
    delete_phase,
    delete_vetting_department,
    update_category,
    update_composition_rule,
    update_criterion,
    update_phase,
    update_vetting_department,
)
from exemplar.programmes.domain.queries import (
    addable_phase_kinds,
    departments_of,
    phase_window_problems,
    phases_of,
    rubric_of,
)
from exemplar.programmes.enums import PhaseKind
from exemplar.programmes.interfaces.forms import (
    AddPhaseForm,
    CategoryForm,
    CompositionRuleForm,
    CriterionForm,
    LevelFormSet,
    PhaseForm,
    VettingDepartmentForm,
    level_specs,
    new_levels_initial,
    threshold_label,
    value_labels,
)
from exemplar.programmes.models import Category, CompositionRule, Criterion, Phase, VettingDepartment

# Categories ------------------------------------------------------------------


class CategoriesView(ProgrammePage):
    template_name = "backoffice/programmes/categories.html"
    section = "categories"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["categories"] = list(Category.objects.filter(programme=self.programme).order_by("order", "pk"))
        return ctx


class CategoryFormView(ItemFormView):
    model = Category
    form_class = CategoryForm
    item_kwarg = "category"
    list_url_name = "programme_categories"
    section = "categories"
    template_name = "backoffice/programmes/category_form.html"
    added_message = _("Category added.")
    saved_message = _("Category saved.")

    def write(self, form: CategoryForm, item: Category | None) -> None:
        if item is None:
            add_category(self.programme, spec=form.spec(), actor=self.request.user)
        else:
            update_category(item, spec=form.spec(), actor=self.request.user)


class CategoryDeleteView(ItemDeleteView):
    model = Category
    item_kwarg = "category"
    list_url_name = "programme_categories"
    deleted_message = _("Category removed.")
    deleter = staticmethod(delete_category)


# Rubric ----------------------------------------------------------------------


class RubricView(ProgrammePage):
    template_name = "backoffice/programmes/rubric.html"
    section = "rubric"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["rubric"] = rubric_of(self.programme)
        return ctx


class CriterionFormView(ItemFormView):
    model = Criterion
    form_class = CriterionForm
    item_kwarg = "criterion"
    list_url_name = "programme_rubric"
    section = "rubric"
    template_name = "backoffice/programmes/criterion_form.html"
    added_message = _("Criterion added.")
    saved_message = _("Criterion saved.")

    def make_form(self, data: Any = None) -> Any:
        form = super().make_form(data)
        if data is not None:
            # Bound: the management form says which rows were shown; initial values would only make
            # an untouched spare row look changed (and so required).
            form.levels = LevelFormSet(data, prefix="levels")
            return form
        if self.item is None:
            initial = new_levels_initial()
        else:
            initial = [
                {"score": lv.score, "descriptor": lv.descriptor, "descriptor_en": lv.descriptor_en}
                for lv in self.item.levels.order_by("-score")
            ]
        form.levels = LevelFormSet(initial=initial, prefix="levels")
        return form

    def is_valid(self, form: Any) -> bool:
        return bool(form.is_valid() and form.levels.is_valid())

    def write(self, form: CriterionForm, item: Criterion | None) -> None:
        spec = form.spec(level_specs(form.levels))  # type: ignore[attr-defined]
        if item is None:
            add_criterion(self.programme, spec=spec, actor=self.request.user)
        else:
            update_criterion(item, spec=spec, actor=self.request.user)


class CriterionDeleteView(ItemDeleteView):
    model = Criterion
    item_kwarg = "criterion"
    list_url_name = "programme_rubric"
    deleted_message = _("Criterion removed.")
    deleter = staticmethod(delete_criterion)


# Composition rules -----------------------------------------------------------


class CompositionView(ProgrammePage):
    template_name = "backoffice/programmes/composition.html"
    section = "composition"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        labels = value_labels()
        rules = (
            CompositionRule.objects.filter(programme=self.programme)
            .select_related("category")
            .order_by("category__order", "pk")
        )
        ctx["rules"] = [(rule, labels.get(rule.value, rule.value), threshold_label(rule)) for rule in rules]
        return ctx


class RuleFormView(ItemFormView):
    model = CompositionRule
    form_class = CompositionRuleForm
    item_kwarg = "rule"
    list_url_name = "programme_composition"
    section = "composition"
    template_name = "backoffice/programmes/rule_form.html"
    added_message = _("Rule added.")
    saved_message = _("Rule saved.")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "programme": self.programme}

    def write(self, form: CompositionRuleForm, item: CompositionRule | None) -> None:
        if item is None:
            add_composition_rule(self.programme, spec=form.spec(), actor=self.request.user)
        else:
            update_composition_rule(item, spec=form.spec(), actor=self.request.user)


class RuleDeleteView(ItemDeleteView):
    model = CompositionRule
    item_kwarg = "rule"
    list_url_name = "programme_composition"
    deleted_message = _("Rule removed.")
    deleter = staticmethod(delete_composition_rule)


# Phases ----------------------------------------------------------------------


class PhasesView(ProgrammePage):
    template_name = "backoffice/programmes/phases.html"
    section = "phases"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        phases = phases_of(self.programme)
        current = self.programme.current_phase
        ctx["phases"] = phases
        ctx["current_order"] = current.order if current else -1
        ctx["optional_kinds"] = [k for k in PhaseKind.values if k not in REQUIRED_PHASES]
        ctx["problems"] = [
            (PhaseKind(p.kind).label, p.code, PhaseKind(p.other).label if p.other else "")
            for p in phase_window_problems(phases)
        ]
        addable = addable_phase_kinds(self.programme, phases)
        ctx["add_form"] = AddPhaseForm(missing=addable) if addable else None
        return ctx


class PhaseAddView(ProgrammePageMixin, View):
    permission_required = "programmes.manage_programme"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AddPhaseForm(request.POST, missing=list(PhaseKind.values))
        if form.is_valid():
            try:
                add_phase(self.programme, kind=form.cleaned_data["kind"], actor=request.user)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Phase added. Set its window next."))
        return HttpResponseRedirect(reverse("backoffice:programme_phases", args=[self.programme.pk]))


class PhaseFormView(ItemFormView):
    model = Phase
    form_class = PhaseForm
    item_kwarg = "phase"
    list_url_name = "programme_phases"
    section = "phases"
    template_name = "backoffice/programmes/phase_form.html"
    added_message = _("Phase added.")
    saved_message = _("Phase saved.")

    def write(self, form: PhaseForm, item: Phase | None) -> None:
        assert item is not None  # phases are added by kind (PhaseAddView), then edited here
        update_phase(item, capabilities=form.capabilities(), actor=self.request.user, **form.window())


class PhaseDeleteView(ItemDeleteView):
    model = Phase
    item_kwarg = "phase"
    list_url_name = "programme_phases"
    deleted_message = _("Phase removed from the programme.")
    deleter = staticmethod(delete_phase)


# Vetting departments ---------------------------------------------------------


class VettingView(ProgrammePage):
    template_name = "backoffice/programmes/vetting.html"
    section = "vetting"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["departments"] = departments_of(self.programme)
        return ctx


class DepartmentFormView(ItemFormView):
    model = VettingDepartment
    form_class = VettingDepartmentForm
    item_kwarg = "department"
    list_url_name = "programme_vetting"
    section = "vetting"
    template_name = "backoffice/programmes/department_form.html"
    added_message = _("Department added.")
    saved_message = _("Department saved.")

    def write(self, form: VettingDepartmentForm, item: VettingDepartment | None) -> None:
        if item is None:
            add_vetting_department(self.programme, spec=form.spec(), actor=self.request.user)
        else:
            update_vetting_department(item, spec=form.spec(), actor=self.request.user)


class DepartmentDeleteView(ItemDeleteView):
    model = VettingDepartment
    item_kwarg = "department"
    list_url_name = "programme_vetting"
    deleted_message = _("Department removed.")
    deleter = staticmethod(delete_vetting_department)
