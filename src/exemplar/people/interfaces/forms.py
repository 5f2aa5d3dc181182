from django import forms
from django.utils.translation import gettext_lazy as _

from exemplar.people.enums import Role
from exemplar.people.models import OrgUnit


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit_code = forms.CharField(
        label=_("Unit code"),
        max_length=40,
        help_text=_("The role applies to this unit and every unit below it. The group's code gives the whole group."),
    )

    def clean_unit_code(self) -> OrgUnit:
        code = self.cleaned_data["unit_code"].strip()
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No unit has the code %(code)s."), params={"code": code})
        return unit
