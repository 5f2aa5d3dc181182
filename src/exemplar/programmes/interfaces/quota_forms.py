"""Forms of the quota page: they validate input and hand plain values to ``programmes.domain.quotas``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def level_label(depth: int) -> str:
    """How the office names a level of the unit tree."""
    if depth == 1:
        return gettext("secondary units (depth 1)")
    if depth == 2:
        return gettext("tertiary units (depth 2)")
    return gettext("units at depth %(depth)d") % {"depth": depth}


class ApportionForm(forms.Form):
    depth = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        help_text=_("The units that receive a quota; each gets a share of the total by the people in its subtree."),
    )
    total = forms.IntegerField(
        label=_("Total nominations"),
        min_value=0,
        max_value=100_000,
        help_text=_("Shared among the units of the level. Quotas set by hand are kept and count towards it."),
    )

    def __init__(self, *args: Any, levels: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["depth"].choices = [(d, level_label(d)) for d in levels]


class QuotaEditForm(forms.Form):
    allocated = forms.IntegerField(label=_("Allocated"), min_value=0, max_value=100_000)
