"""Vetting: each department of the programme signs off every confirmed candidate.

A department approves, or vetoes with a reason; one veto removes the
candidate (state ``vetoed``), and when every department has approved the
candidate is cleared (state ``approved``).

A department decides once per candidate (a database constraint), but while
the candidate is still being vetted it may turn its approval into a veto:
a department that learns of a disciplinary matter after signing must be able
to stop the candidate before the others finish. A veto is final, and so is
clearing: both end vetting for that candidate, and the office and the unit
have been told.

A veto gives no quota back (see ``domain.screening``). The office is told
of every veto with its reason; the nominating unit sees only that the
candidate was vetoed (the reason is kept on the department's decision and
in the audit trail), because a discipline-inspection reason is not always
fit to pass on as is: the office decides what to tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.domain.notifications import notify
from exemplar.core.errors import DomainError
from exemplar.nominations.domain.screening import refresh_duplicates_around
from exemplar.nominations.enums import NominationState, StepAction, VettingVerdict
from exemplar.nominations.models import Nomination, NominationStep, VettingDecision
from exemplar.people.domain.roles import group_office
from exemplar.people.models import User
from exemplar.programmes.domain.capabilities import Capability, phase_allows
from exemplar.programmes.models import Programme, VettingDepartment


def _check(nomination: Nomination, department: VettingDepartment, actor: User) -> None:
    if department.programme_id != nomination.programme_id:
        raise DomainError(_("This department does not vet this programme."), code="wrong_department")
    if not department.members.filter(pk=actor.pk).exists():
        raise DomainError(
            _("Only the signatories of %(department)s can record its decision.")
            % {"department": department.display_name},
            code="not_signatory",
        )
    if nomination.state != NominationState.CONFIRMED:
        raise DomainError(_("This candidate is not waiting for vetting."), code="not_confirmed")
    if not phase_allows(nomination.programme, Capability.VET):
        raise DomainError(_("The programme's current phase does not allow this."), code="phase_closed")


def record_vetting(
    nomination: Nomination,
    *,
    department: VettingDepartment,
    verdict: str,
    reason: str = "",
    actor: User,
    at: datetime | None = None,
) -> VettingDecision:
    """Record ``department``'s verdict on a confirmed candidate.

    Preconditions: ``actor`` is a signatory of ``department``, which vets the
    nomination's programme; the nomination is confirmed; the phase allows
    vetting; a veto carries a reason; an approval is not recorded twice.
    A veto moves the nomination to ``vetoed`` and tells the office; the last
    approval moves it to ``approved``. Logs ``exemplar.nominations.vetting_approved``
    or ``exemplar.nominations.vetoed`` (and ``exemplar.nominations.cleared``).
    """
    at = at or clock.now()
    reason = reason.strip()
    if verdict not in VettingVerdict.values:
        raise DomainError(_("Choose approve or veto."), code="bad_verdict")
    if verdict == VettingVerdict.VETOED and not reason:
        raise DomainError(_("Say why the candidate is vetoed: the reason is recorded."), code="reason_required")
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().select_related("programme").get(pk=nomination.pk)
        _check(nomination, department, actor)
        decision = VettingDecision.objects.filter(nomination=nomination, department=department).first()
        previous = decision.verdict if decision else ""
        if previous == verdict:
            raise DomainError(
                _("%(department)s has already approved this candidate.") % {"department": department.display_name},
                code="already_decided",
            )
        if decision is None:
            decision = VettingDecision(nomination=nomination, department=department)
        decision.verdict, decision.reason, decision.decided_by, decision.decided_at = verdict, reason, actor, at
        decision.save()
        data = {"department": department.display_name, "department_id": department.pk, "previous": previous}
        if verdict == VettingVerdict.VETOED:
            _veto(nomination, department, reason=reason, actor=actor, at=at, data=data)
        else:
            log_action(actor, "exemplar.nominations.vetting_approved", nomination, data, at=at)
            _clear_if_all_approved(nomination, actor, at)
    return decision


def _veto(
    nomination: Nomination,
    department: VettingDepartment,
    *,
    reason: str,
    actor: User,
    at: datetime,
    data: dict[str, object],
) -> None:
    # The reason stays with the department's decision (the office's matrix) and the audit trail: the
    # dossier's history and "reason given", which the nominating unit reads, show the veto only.
    nomination.state, nomination.updated_at = NominationState.VETOED, at
    nomination.save(update_fields=["state", "updated_at"])
    NominationStep.objects.create(nomination=nomination, action=StepAction.VETOED, unit=None, actor=actor, at=at)
    refresh_duplicates_around(nomination)
    log_action(actor, "exemplar.nominations.vetoed", nomination, {**data, "reason": reason}, at=at)
    notify(
        group_office(),
        _("%(department)s vetoed candidate %(ref)s: %(reason)s")
        % {"department": department.display_name, "ref": nomination.reference, "reason": reason},
        url=nomination.get_absolute_url(),
        at=at,
    )


def _clear_if_all_approved(nomination: Nomination, actor: User, at: datetime) -> None:
    departments = set(
        VettingDepartment.objects.filter(programme_id=nomination.programme_id).values_list("pk", flat=True)
    )
    approved = set(
        VettingDecision.objects.filter(nomination=nomination, verdict=VettingVerdict.APPROVED).values_list(
            "department_id", flat=True
        )
    )
    if departments and departments <= approved:
        nomination.state, nomination.updated_at = NominationState.APPROVED, at
        nomination.save(update_fields=["state", "updated_at"])
        NominationStep.objects.create(nomination=nomination, action=StepAction.APPROVED, unit=None, actor=actor, at=at)
        log_action(actor, "exemplar.nominations.cleared", nomination, {"departments": len(departments)}, at=at)


# --- the office's view: candidates by departments ---------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    nomination: Nomination
    cells: tuple[VettingDecision | None, ...]  # one per department, in the matrix's order

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells if c is None)


@dataclass(frozen=True)
class VettingMatrix:
    departments: tuple[VettingDepartment, ...]
    rows: tuple[MatrixRow, ...]


def vetting_candidates(programme: Programme) -> QuerySet[Nomination]:
    """Every nomination that has reached vetting, in order of arrival, ready for a matrix row.

    Id order lets the database walk the (programme, state) index and stop
    after one page, rather than sort every candidate's wide row.
    """
    return (
        Nomination.objects.filter(
            programme=programme,
            state__in=[NominationState.CONFIRMED, NominationState.APPROVED, NominationState.VETOED],
        )
        .select_related("category", "person", "team", "unit")
        .order_by("pk")
    )


def vetting_matrix(programme: Programme, nominations: Sequence[Nomination] | None = None) -> VettingMatrix:
    """Candidates by departments with each verdict, or ``None`` where it is missing.

    ``nominations`` is a page of ``vetting_candidates``; all of them when
    omitted. Three queries whatever the size: departments, candidates
    (none when a page is given), decisions.
    """
    departments = tuple(VettingDepartment.objects.filter(programme=programme).order_by("order", "pk"))
    candidates = list(vetting_candidates(programme) if nominations is None else nominations)
    decisions: dict[tuple[int, int], VettingDecision] = {
        (d.nomination_id, d.department_id): d
        for d in VettingDecision.objects.filter(nomination__in=[n.pk for n in candidates]).select_related(
            "decided_by", "decided_by__person"
        )
    }
    rows = tuple(MatrixRow(n, tuple(decisions.get((n.pk, dep.pk)) for dep in departments)) for n in candidates)
    return VettingMatrix(departments, rows)


def departments_signed_by(user: User, programme: Programme | None = None) -> QuerySet[VettingDepartment]:
    """The vetting departments ``user`` signs for (in one programme, or in all)."""
    qs = VettingDepartment.objects.filter(members=user).select_related("programme")
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("-programme__year", "programme__name", "order", "pk")


def awaiting_department(department: VettingDepartment) -> QuerySet[Nomination]:
    """Confirmed candidates of the department's programme that it has not decided on yet, oldest first."""
    decided = VettingDecision.objects.filter(nomination=OuterRef("pk"), department=department)
    return (
        Nomination.objects.filter(programme_id=department.programme_id, state=NominationState.CONFIRMED)
        .filter(~Exists(decided))
        .select_related("category", "person", "person__unit", "team", "team__unit", "unit")
        .order_by("pk")
    )


def decided_by_department(department: VettingDepartment, *, limit: int = 20) -> QuerySet[VettingDecision]:
    """The department's latest decisions, newest first (a confirmed candidate's approval may still become a veto).

    The latest ids are picked from the narrow decisions table first, so only
    ``limit`` nominations are joined.
    """
    latest = VettingDecision.objects.filter(department=department).order_by("-decided_at", "-pk").values("pk")[:limit]
    return (
        VettingDecision.objects.filter(pk__in=latest)
        .select_related(
            "nomination",
            "nomination__category",
            "nomination__person",
            "nomination__team",
            "decided_by",
            "decided_by__person",
        )
        .order_by("-decided_at", "-pk")
    )
