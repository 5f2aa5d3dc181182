"""Forms for programme set-up. They validate input and hand plain values to the domain writers; they never save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from exemplar.people.enums import Gender, ManagementLevel, StaffCategory
from exemplar.people.models import User
from exemplar.programmes.domain.phases import CAPABILITY_FIELDS
from exemplar.programmes.domain.queries import signatory_choices
from exemplar.programmes.domain.setup import (
    ATTRIBUTE_VALUES,
    SHARE_KINDS,
    CategorySpec,
    CriterionSpec,
    DepartmentSpec,
    LevelSpec,
    RuleSpec,
)
from exemplar.programmes.enums import CompositionAttribute, PhaseKind
from exemplar.programmes.models import Category, CompositionRule, Criterion, Phase, Programme, VettingDepartment

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LayoutMixin:
    """Rows of fields for the template: fields in one row sit side by side (Chinese and English together)."""

    rows: tuple[tuple[str, ...], ...] = ()

    def layout(self) -> list[list[forms.BoundField]]:
        form: Any = self
        return [[form[name] for name in row] for row in self.rows]


class ProgrammeForm(LayoutMixin, forms.ModelForm):
    rows = (
        ("name", "name_en"),
        ("year",),
        ("description", "description_en"),
        ("allow_joint_nomination", "joint_nomination_size"),
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "name_en",
            "year",
            "description",
            "description_en",
            "allow_joint_nomination",
            "joint_nomination_size",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }


class CopyProgrammeForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new programme"), min_value=2000, max_value=2100)


class CategoryForm(LayoutMixin, forms.ModelForm):
    rows = (
        ("name", "name_en"),
        ("code", "kind"),
        ("seats", "reviewers_per_nomination", "order"),
    )
    eligibility_rows = (
        ("min_service_years", "require_active"),
        ("disciplinary_window_years", "honour_window_years"),
    )

    def eligibility_layout(self) -> list[list[forms.BoundField]]:
        return [[self[name] for name in row] for row in self.eligibility_rows]

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "seats",
            "order",
            "reviewers_per_nomination",
            "min_service_years",
            "require_active",
            "disciplinary_window_years",
            "honour_window_years",
        ]

    def spec(self) -> CategorySpec:
        return CategorySpec(**self.cleaned_data)


class CriterionForm(LayoutMixin, forms.ModelForm):
    rows = (("name", "name_en"), ("weight", "order"))

    class Meta:
        model = Criterion
        fields = ["name", "name_en", "weight", "order"]

    def spec(self, levels: tuple[LevelSpec, ...]) -> CriterionSpec:
        return CriterionSpec(levels=levels, **self.cleaned_data)


class LevelForm(forms.Form):
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100)
    descriptor = forms.CharField(label=_("Descriptor"), max_length=300)
    descriptor_en = forms.CharField(label=_("English descriptor"), max_length=300, required=False)


LevelFormSet = forms.formset_factory(LevelForm, extra=1, can_delete=True, max_num=10, absolute_max=10)


def level_specs(formset: forms.BaseFormSet[LevelForm]) -> tuple[LevelSpec, ...]:
    """The levels the office kept (filled in and not marked for deletion)."""
    return tuple(
        LevelSpec(f.cleaned_data["score"], f.cleaned_data["descriptor"], f.cleaned_data.get("descriptor_en", ""))
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    )


def new_levels_initial() -> list[dict[str, Any]]:
    return [{"score": score} for score in range(5, 0, -1)]


def value_labels() -> dict[str, str]:
    """Readable names of the values composition rules test (staff categories, management levels, genders)."""
    return {
        **{str(k): str(v) for k, v in StaffCategory.choices},
        **{str(k): str(v) for k, v in ManagementLevel.choices},
        **{str(k): str(v) for k, v in Gender.choices},
    }


def threshold_label(rule: CompositionRule) -> str:
    """``20 %`` for a share, ``1`` for a count."""
    if rule.kind in SHARE_KINDS:
        return f"{rule.threshold.normalize():f} %"
    return f"{rule.threshold.to_integral_value():f}"


class CompositionRuleForm(LayoutMixin, forms.ModelForm):
    value = forms.ChoiceField(label=_("value"))
    rows = (("category",), ("kind", "threshold"), ("attribute", "value"))

    class Meta:
        model = CompositionRule
        fields = ["category", "kind", "threshold", "attribute", "value"]
        help_texts = {"threshold": _("A share in per cent (20 = 20 %), or a number of honourees.")}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.filter(programme=programme)
        category.empty_label = str(_("The whole list"))
        labels = dict(CompositionAttribute.choices)
        names = value_labels()
        self.fields["value"].choices = [  # type: ignore[attr-defined]
            (labels[attr], [(v, names.get(v, v)) for v in values]) for attr, values in ATTRIBUTE_VALUES.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        attribute, value = data.get("attribute"), data.get("value")
        if attribute and value and value not in ATTRIBUTE_VALUES.get(attribute, []):
            self.add_error("value", _("That value does not belong to the chosen attribute."))
        return data

    def spec(self) -> RuleSpec:
        return RuleSpec(**self.cleaned_data)


class PhaseForm(LayoutMixin, forms.ModelForm):
    rows = (("starts_at", "ends_at"), ("min_candidates_per_seat",))

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CAPABILITY_FIELDS]

    class Meta:
        model = Phase
        fields = ["starts_at", "ends_at", "min_candidates_per_seat", *CAPABILITY_FIELDS]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def capabilities(self) -> frozenset[str]:
        return frozenset(f for f in CAPABILITY_FIELDS if self.cleaned_data.get(f))

    def window(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in ("starts_at", "ends_at", "min_candidates_per_seat")}


class AddPhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Phase"))

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, PhaseKind(k).label) for k in missing]  # type: ignore[attr-defined]


class SignatoryField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        person = getattr(obj, "person", None)
        return f"{obj.get_username()} — {person.display_name}" if person else obj.get_username()


class VettingDepartmentForm(LayoutMixin, forms.ModelForm):
    rows = (("name", "name_en"), ("order",))
    members = SignatoryField(
        label=_("Signatories"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Accounts holding the vetting role. Grant the role on the account's page first."),
    )

    class Meta:
        model = VettingDepartment
        fields = ["name", "name_en", "order", "members"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = signatory_choices()  # type: ignore[attr-defined]

    def spec(self) -> DepartmentSpec:
        data = self.cleaned_data
        return DepartmentSpec(
            name=data["name"], name_en=data.get("name_en", ""), order=data["order"], members=tuple(data["members"])
        )


class AdvanceForm(forms.Form):
    from_kind = forms.ChoiceField(choices=PhaseKind.choices, widget=forms.HiddenInput)


class StepBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why go back?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the audit log."),
    )
