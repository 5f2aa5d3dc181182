"""Screening and vetting for people: findings in words, and the forms the office and departments fill in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from exemplar.nominations.domain.eligibility import Code, DuplicateCode, Severity
from exemplar.nominations.domain.office import (
    ELIGIBILITY_ANY,
    ELIGIBILITY_BLOCKING,
    ELIGIBILITY_CLEAN,
    DossierFilters,
    VettingSummary,
)
from exemplar.nominations.domain.queries import UNIT_PRIVATE_STATES
from exemplar.nominations.enums import NominationState, VettingVerdict
from exemplar.nominations.models import Nomination
from exemplar.people.enums import PersonStatus
from exemplar.people.models import OrgUnit
from exemplar.programmes.models import Category


def _name(params: dict[str, Any], key: str) -> str:
    if (get_language() or "").startswith("en") and params.get(f"{key}_en"):
        return str(params[f"{key}_en"])
    return str(params.get(key, ""))


def _status_label(value: str) -> str:
    try:
        return str(PersonStatus(value).label)
    except ValueError:
        return value


FINDING_TEXTS = {
    Code.SERVICE_UNKNOWN: _("Hire date unknown: %(required)d years of service are required."),
    Code.SERVICE_TOO_SHORT: _("%(years)d years of service; %(required)d are required."),
    Code.NOT_ACTIVE: _("Not an active employee (%(status)s)."),
    Code.DISCIPLINARY_RECORD: _("Disciplinary record dated %(date)s, within the last %(window)d years."),
    Code.HONOURED_RECENTLY: _("Already honoured in this category in %(year)d (within %(window)d years)."),
    Code.NO_MEMBERS: _("The team has no members on record."),
}


def finding_in_words(finding: dict[str, Any]) -> str:
    """One stored eligibility finding as a sentence (without the member's name)."""
    code, params = finding.get("code", ""), dict(finding.get("params", {}))
    text = FINDING_TEXTS.get(code)
    if text is None:
        return str(code)
    if "status" in params:
        params["status"] = _status_label(params["status"])
    return str(text) % params if "%(" in str(text) else str(text)


def duplicate_in_words(duplicate: dict[str, Any]) -> str:
    code = duplicate.get("code", "")
    values = {"ref": duplicate.get("reference", ""), "name": _name(duplicate, "name")}
    if code == DuplicateCode.SAME_PERSON:
        return gettext("The same person is also nominated in %(ref)s.") % values
    if code == DuplicateCode.SAME_TEAM:
        return gettext("The same team is also nominated in %(ref)s.") % values
    if code == DuplicateCode.PERSON_IN_TEAM:
        return gettext("Also a member of the team %(name)s, nominated in %(ref)s.") % values
    if code == DuplicateCode.MEMBER_NOMINATED_ALONE:
        return gettext("Team member %(name)s is also nominated alone in %(ref)s.") % values
    return code


@dataclass
class CandidateFindings:
    """The findings about one candidate: the nominee, or one member of a nominated team."""

    name: str
    is_member: bool
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def findings_by_candidate(nomination: Nomination) -> list[CandidateFindings]:
    """The nomination's stored findings grouped per candidate, in words; members in staff order."""
    nominee = CandidateFindings(nomination.nominee_name, is_member=False)
    members: dict[int, CandidateFindings] = {}
    for finding in nomination.eligibility or []:
        params = finding.get("params", {})
        if "member_id" in params:
            target = members.setdefault(params["member_id"], CandidateFindings(_name(params, "member"), is_member=True))
        else:
            target = nominee
        bucket = target.blockers if finding.get("severity") == Severity.BLOCKER else target.warnings
        bucket.append(finding_in_words(finding))
    return [nominee, *members.values()]


def findings_summary(nomination: Nomination) -> str:
    """All findings on one line, for a spreadsheet cell."""
    parts = []
    for candidate in findings_by_candidate(nomination):
        for text in candidate.blockers + candidate.warnings:
            parts.append(f"{candidate.name}: {text}" if candidate.is_member else text)
    return "\n".join(parts)


def vetting_in_words(summary: VettingSummary | None) -> str:
    if summary is None:
        return ""
    if summary.vetoed:
        return "\n".join(
            gettext("Vetoed by %(department)s: %(reason)s") % {"department": d, "reason": r} for d, r in summary.vetoed
        )
    text = gettext("Approved by %(n)d of %(total)d departments") % {"n": len(summary.approved), "total": summary.total}
    if summary.missing:
        sep = pgettext("list separator", ", ")
        text += "; " + gettext("missing: %(departments)s") % {"departments": sep.join(summary.missing)}
    return text


# --- forms ----------------------------------------------------------------------------------------


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when you confirm despite findings or possible duplicates."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,  # the domain refuses an empty reason, with its own message
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The nominating unit will read this."),
    )


class VettingForm(forms.Form):
    department = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=VettingVerdict.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the veto"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


OFFICE_STATES = [(v, label) for v, label in NominationState.choices if v not in UNIT_PRIVATE_STATES]


class DossierFilterForm(forms.Form):
    """The dashboard's filters; invalid values are dropped rather than refused."""

    q = forms.CharField(label=_("Reference or nominee"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any")), *OFFICE_STATES])
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[
            ("", _("Any")),
            (ELIGIBILITY_BLOCKING, _("Failing a rule")),
            (ELIGIBILITY_ANY, _("Any finding")),
            (ELIGIBILITY_CLEAN, _("No finding")),
        ],
    )
    duplicates = forms.BooleanField(label=_("Possible duplicates only"), required=False)

    def __init__(self, *args: Any, categories: list[Category], units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any")), *((c.pk, c.display_name) for c in categories)]
        self.fields["unit"].choices = [("", _("Any")), *((u.pk, u.display_name) for u in units)]
        self._units = {u.pk: u for u in units}

    def filters(self) -> DossierFilters:
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()  # keeps the valid fields in cleaned_data, drops the rest
            data = self.cleaned_data
        return DossierFilters(
            state=data.get("state") or "",
            category_id=data.get("category"),
            unit=self._units.get(data.get("unit") or 0),
            eligibility=data.get("eligibility") or "",
            duplicates=bool(data.get("duplicates")),
            search=data.get("q") or "",
        )
