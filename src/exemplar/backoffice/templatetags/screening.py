"""Screening on the dossier page: findings in words and the office's decision forms.

The dossier view belongs to the nominating feature; these tags let its
template show screening without that view knowing about it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from exemplar.nominations.domain import office
from exemplar.nominations.domain.eligibility import Severity
from exemplar.nominations.domain.queries import VETTING_STATES
from exemplar.nominations.interfaces.screening import (
    ConfirmForm,
    RejectForm,
    duplicate_in_words,
    findings_by_candidate,
    vetting_in_words,
)
from exemplar.nominations.models import Nomination

register = template.Library()


def _user(context: template.Context) -> Any:
    return getattr(context.get("request"), "user", None)


@register.simple_tag(takes_context=True)
def findings_panel(context: template.Context, nomination: Nomination) -> dict[str, Any]:
    """The eligibility findings per candidate, and the possible duplicates, as far as the user may read them."""
    user = _user(context)
    if user is None or not user.has_perm("nominations.view_findings", nomination):
        return {"show": False}
    candidates = findings_by_candidate(nomination)
    return {
        "show": True,
        "candidates": candidates,
        "has_findings": any(c.blockers or c.warnings for c in candidates),
        "show_duplicates": user.has_perm("nominations.view_duplicates"),
        "duplicates": [
            (duplicate_in_words(d), reverse("backoffice:nomination", args=[d["other"]]))
            for d in nomination.duplicates or []
            if "other" in d
        ],
    }


@register.simple_tag(takes_context=True)
def office_panel(context: template.Context, nomination: Nomination) -> dict[str, Any]:
    """The office's screening forms when a decision is due, and the vetting state for the office and auditors."""
    user = _user(context)
    if user is None:
        return {}
    panel: dict[str, Any] = {"can_screen": user.has_perm("nominations.screen_nomination", nomination)}
    if panel["can_screen"]:
        panel["confirm_form"] = ConfirmForm(prefix="confirm")
        panel["reject_form"] = RejectForm(prefix="reject")
    if nomination.state in VETTING_STATES and user.has_perm("nominations.view_vetting_matrix", nomination.programme):
        panel["vetting"] = vetting_in_words(
            office.vetting_summaries(nomination.programme, [nomination]).get(nomination.pk)
        )
    return panel


@register.filter
def blocker_count(nomination: Nomination) -> int:
    return sum(1 for f in nomination.eligibility or [] if f.get("severity") == Severity.BLOCKER)


@register.filter
def warning_count(nomination: Nomination) -> int:
    return sum(1 for f in nomination.eligibility or [] if f.get("severity") == Severity.WARNING)
