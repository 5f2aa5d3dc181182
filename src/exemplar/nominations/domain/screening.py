"""Screening by the programme office: eligibility and duplicate checks, confirmation or rejection.

Checks run on submission (``submit_nomination`` calls ``check_nomination``)
and on demand for a whole programme (``check_programme``). Findings are
stored on the nomination (``eligibility``, ``duplicates``, ``checked_at``)
as JSON the pages turn into words; the rules themselves live in the pure
module ``domain.eligibility``.

Neither rejection here nor a veto in vetting gives quota back: a unit's
quota counts what it sent up, and refunding a screened-out candidate would
let a unit hold a place with a placeholder and swap it after the office's
review. Withdrawal and return (before screening) do release it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exemplar.commendations.models import Honour
from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.domain.notifications import notify
from exemplar.core.errors import DomainError
from exemplar.nominations.domain.eligibility import (
    EligibilityRules,
    HonourRecord,
    NomineeFacts,
    NomineeRef,
    PersonFacts,
    Severity,
    check_eligibility,
    find_duplicates,
)
from exemplar.nominations.enums import STANDING_STATES, NominationState, StepAction
from exemplar.nominations.models import Nomination, NominationStep
from exemplar.people.domain.grants import holds_at_root
from exemplar.people.domain.roles import holders_at
from exemplar.people.enums import Role
from exemplar.people.models import TeamMembership, User
from exemplar.programmes.domain.capabilities import Capability, phase_allows
from exemplar.programmes.models import Programme

BULK_BATCH = 500
_PERSON_FIELDS = ("id", "name", "name_en", "hire_date", "status", "disciplinary_date")


# --- gathering facts in bulk --------------------------------------------------------------------


def _honours(
    person_ids: Iterable[int], team_ids: Iterable[int], codes: Iterable[str]
) -> dict[str, dict[int, list[HonourRecord]]]:
    """One query: the register entries of these people and teams in these category codes."""
    by: dict[str, dict[int, list[HonourRecord]]] = {"person": defaultdict(list), "team": defaultdict(list)}
    person_ids, team_ids = set(person_ids), set(team_ids)
    if not person_ids and not team_ids:
        return by
    rows = Honour.objects.filter(
        Q(person_id__in=person_ids) | Q(team_id__in=team_ids), category_code__in=set(codes)
    ).values_list("person_id", "team_id", "category_code", "year", "revoked_on")
    for person_id, team_id, code, year, revoked_on in rows:
        record = HonourRecord(code, year, revoked_on is not None)
        if person_id is not None:
            by["person"][person_id].append(record)
        else:
            by["team"][team_id].append(record)
    return by


def _members(team_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """One query: each team's members with the facts the person rules read."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    team_ids = set(team_ids)
    if not team_ids:
        return out
    fields = [f"person__{f}" for f in _PERSON_FIELDS]
    for row in TeamMembership.objects.filter(team_id__in=team_ids).values("team_id", *fields):
        out[row["team_id"]].append({f: row[f"person__{f}"] for f in _PERSON_FIELDS})
    return out


def _person_facts(row: dict[str, Any], honours: list[HonourRecord] | None = None) -> PersonFacts:
    return PersonFacts(
        person_id=row["id"],
        name=row["name"],
        name_en=row["name_en"],
        hire_date=row["hire_date"],
        status=row["status"],
        disciplinary_date=row["disciplinary_date"],
        honours=tuple(honours or ()),
    )


def _rules(nomination: Nomination, programme: Programme) -> EligibilityRules:
    c = nomination.category
    return EligibilityRules(
        category_code=c.code,
        programme_year=programme.year,
        min_service_years=c.min_service_years,
        require_active=c.require_active,
        disciplinary_window_years=c.disciplinary_window_years,
        honour_window_years=c.honour_window_years,
    )


def _eligibility(
    nominations: list[Nomination], programme: Programme, members: dict[int, list[dict[str, Any]]], on: date
) -> dict[int, list[dict[str, Any]]]:
    """Findings per nomination id, as stored JSON (nominations come with ``person`` and ``category``)."""
    honours = _honours(
        (n.person_id for n in nominations if n.person_id),
        (n.team_id for n in nominations if n.team_id),
        {n.category.code for n in nominations},
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for n in nominations:
        if n.person_id:
            row = {f: getattr(n.person, f) for f in _PERSON_FIELDS}
            facts = NomineeFacts(person=_person_facts(row, honours["person"].get(n.person_id)))
        else:
            facts = NomineeFacts(
                team_honours=tuple(honours["team"].get(n.team_id or 0, ())),
                members=tuple(_person_facts(m) for m in members.get(n.team_id or 0, ())),
            )
        out[n.pk] = [f.as_json() for f in check_eligibility(facts, _rules(n, programme), on=on)]
    return out


# --- duplicates -----------------------------------------------------------------------------------

_REF_FIELDS = (
    "id",
    "reference",
    "person_id",
    "team_id",
    "person__name",
    "person__name_en",
    "team__name",
    "team__name_en",
)


def _ref_rows(q: Q, programme_id: int) -> dict[int, dict[str, Any]]:
    """Standing nominations matching ``q``, with their team members: two queries."""
    rows = {
        r["id"]: r
        for r in Nomination.objects.filter(q, programme_id=programme_id, state__in=STANDING_STATES)
        .values(*_REF_FIELDS)
        .distinct()
    }
    members: dict[int, set[int]] = defaultdict(set)
    team_ids = {r["team_id"] for r in rows.values() if r["team_id"]}
    if team_ids:
        for team_id, person_id in TeamMembership.objects.filter(team_id__in=team_ids).values_list(
            "team_id", "person_id"
        ):
            members[team_id].add(person_id)
    for r in rows.values():
        r["member_ids"] = frozenset(members.get(r["team_id"], ())) if r["team_id"] else frozenset()
    return rows


def _ref(row: dict[str, Any]) -> NomineeRef:
    return NomineeRef(row["id"], row["reference"], row["person_id"], row["team_id"], row["member_ids"])


def _duplicates_json(rows: dict[int, dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Duplicates per nomination id among ``rows``, as stored JSON naming the other nomination."""
    found = find_duplicates([_ref(r) for r in rows.values()])
    out: dict[int, list[dict[str, Any]]] = {}
    for nid, items in found.items():
        out[nid] = []
        for d in items:
            other = rows[d.other_id]
            kind = "person" if other["person_id"] else "team"
            out[nid].append(
                {
                    "code": d.code,
                    "other": d.other_id,
                    "reference": d.other_reference,
                    "name": other[f"{kind}__name"],
                    "name_en": other[f"{kind}__name_en"],
                }
            )
    return out


def _keys_q(rows: Iterable[dict[str, Any]]) -> Q:
    """Nominations that could duplicate any of ``rows``: same person, same team, person in team."""
    alone = {r["person_id"] for r in rows if r["person_id"]}
    teams = {r["team_id"] for r in rows if r["team_id"]}
    members: set[int] = set().union(*(r["member_ids"] for r in rows))
    q = Q(pk__in=[])
    if alone or members:
        q |= Q(person_id__in=alone | members)
    if teams:
        q |= Q(team_id__in=teams)
    if alone:
        q |= Q(team__memberships__person_id__in=alone)
    return q


def refresh_duplicates_around(nomination: Nomination) -> None:
    """Recompute the duplicates of ``nomination`` and of every standing nomination sharing a nominee with it.

    Only those lists can change when ``nomination`` is submitted or leaves the
    running; their own neighbours are fetched so each list is complete.
    """
    own = _ref_rows(Q(pk=nomination.pk), nomination.programme_id)
    if not own:  # not standing (rejected, vetoed, withdrawn...): describe it as itself, link nobody to it
        own = {nomination.pk: {"id": nomination.pk, "person_id": nomination.person_id, "team_id": nomination.team_id}}
        own[nomination.pk]["member_ids"] = frozenset(
            TeamMembership.objects.filter(team_id=nomination.team_id).values_list("person_id", flat=True)
            if nomination.team_id
            else ()
        )
    first = _ref_rows(_keys_q(own.values()), nomination.programme_id)
    affected = set(first) | {nomination.pk}
    around = _ref_rows(_keys_q(list(first.values())), nomination.programme_id) if first else {}
    universe = {**around, **first}
    if nomination.state in STANDING_STATES:
        universe.update(own)
    found = _duplicates_json(universe)
    current = dict(Nomination.objects.filter(pk__in=affected).values_list("pk", "duplicates"))
    changed = []
    for pk in affected:
        new = found.get(pk, []) if pk in universe else []
        if current.get(pk) != new:
            changed.append(Nomination(pk=pk, duplicates=new))
    if changed:
        Nomination.objects.bulk_update(changed, ["duplicates"], batch_size=BULK_BATCH)


# --- checks -------------------------------------------------------------------------------------


def _on(at: datetime) -> date:
    return timezone.localdate(at)


def check_nomination(nomination: Nomination, *, at: datetime | None = None) -> Nomination:
    """Run the eligibility checks on one nomination and refresh the duplicates around it.

    Called inside ``submit_nomination``'s transaction; writes derived data only
    (no state change, so no audit entry of its own).
    """
    at = at or clock.now()
    with transaction.atomic():
        fresh = Nomination.objects.select_related("person", "category", "programme").get(pk=nomination.pk)
        members = _members([fresh.team_id] if fresh.team_id else [])
        fresh.eligibility = _eligibility([fresh], fresh.programme, members, _on(at))[fresh.pk]
        fresh.checked_at = at
        fresh.save(update_fields=["eligibility", "checked_at"])
        refresh_duplicates_around(fresh)
        fresh.refresh_from_db(fields=["duplicates"])
    nomination.eligibility, nomination.duplicates, nomination.checked_at = (
        fresh.eligibility,
        fresh.duplicates,
        fresh.checked_at,
    )
    return nomination


def _require_office(actor: User) -> None:
    if not holds_at_root(actor, {Role.PROGRAMME_OFFICE}):
        raise DomainError(_("Only the group's programme office can do this."), code="not_office")


def check_programme(programme: Programme, *, actor: User, at: datetime | None = None) -> dict[str, int]:
    """Re-run eligibility and duplicate checks on every standing nomination of ``programme``.

    Bulk: one query for the nominations, one for team members, one for the
    honours, then batched updates of the rows whose findings changed.
    Group office only. Logs ``exemplar.nominations.checks_run`` with the counts.
    """
    at = at or clock.now()
    _require_office(actor)
    with transaction.atomic():
        nominations = list(
            Nomination.objects.filter(programme=programme, state__in=STANDING_STATES).select_related(
                "person", "category", "team"
            )
        )
        team_members = _members(n.team_id for n in nominations if n.team_id)
        eligibility = _eligibility(nominations, programme, team_members, _on(at))
        rows: dict[int, dict[str, Any]] = {}
        for n in nominations:
            nominee = n.person or n.team
            assert nominee is not None  # a database constraint: person xor team
            kind = "person" if n.person_id else "team"
            rows[n.pk] = {
                "id": n.pk,
                "reference": n.reference,
                "person_id": n.person_id,
                "team_id": n.team_id,
                f"{kind}__name": nominee.name,
                f"{kind}__name_en": nominee.name_en,
                "member_ids": frozenset(m["id"] for m in team_members.get(n.team_id or 0, ())),
            }
        duplicates = _duplicates_json(rows)
        changed = []
        for n in nominations:
            new_e, new_d = eligibility[n.pk], duplicates.get(n.pk, [])
            if n.eligibility != new_e or n.duplicates != new_d:
                n.eligibility, n.duplicates = new_e, new_d
                changed.append(n)
        if changed:
            Nomination.objects.bulk_update(changed, ["eligibility", "duplicates"], batch_size=BULK_BATCH)
        Nomination.objects.filter(programme=programme, state__in=STANDING_STATES).update(checked_at=at)
        counts = {
            "checked": len(nominations),
            "changed": len(changed),
            "with_blockers": sum(1 for e in eligibility.values() if e and e[0]["severity"] == Severity.BLOCKER),
            "with_duplicates": len(duplicates),
        }
        log_action(actor, "exemplar.nominations.checks_run", programme, counts, at=at)
    return counts


# --- the office's decision ------------------------------------------------------------------------


def _locked_received(nomination: Nomination) -> Nomination:
    locked = Nomination.objects.select_for_update().select_related("programme", "unit").get(pk=nomination.pk)
    if locked.state != NominationState.RECEIVED:
        raise DomainError(_("This nomination is not waiting for screening."), code="not_received")
    if not phase_allows(locked.programme, Capability.SCREEN):
        raise DomainError(_("The programme's current phase does not allow this."), code="phase_closed")
    return locked


def has_blockers(nomination: Nomination) -> bool:
    return any(f.get("severity") == Severity.BLOCKER for f in nomination.eligibility or [])


def confirm_nomination(
    nomination: Nomination, *, note: str = "", actor: User, at: datetime | None = None
) -> Nomination:
    """The office confirms a received nomination: it goes on to vetting.

    Confirming despite a blocking eligibility finding or a possible duplicate
    needs a ``note`` saying why (kept as the decision's reason). Group office
    only, while the phase allows screening. Logs ``exemplar.nominations.confirmed``;
    tells the nominating unit's coordinators.
    """
    at = at or clock.now()
    note = note.strip()
    _require_office(actor)
    with transaction.atomic():
        nomination = _locked_received(nomination)
        if (has_blockers(nomination) or nomination.duplicates) and not note:
            raise DomainError(
                _("This nomination has eligibility findings or possible duplicates: say why you confirm it anyway."),
                code="note_required",
            )
        nomination.state, nomination.decision_reason, nomination.updated_at = NominationState.CONFIRMED, note, at
        nomination.save(update_fields=["state", "decision_reason", "updated_at"])
        NominationStep.objects.create(
            nomination=nomination, action=StepAction.CONFIRMED, unit=None, actor=actor, at=at, reason=note
        )
        log_action(
            actor,
            "exemplar.nominations.confirmed",
            nomination,
            {
                "note": note,
                "findings": [f["code"] for f in nomination.eligibility or []],
                "duplicates": [d["reference"] for d in nomination.duplicates or []],
            },
            at=at,
        )
        notify(
            holders_at(nomination.unit, Role.UNIT_COORDINATOR),
            _("Nomination %(ref)s was confirmed by the programme office.") % {"ref": nomination.reference},
            url=nomination.get_absolute_url(),
            at=at,
        )
    return nomination


def reject_nomination(nomination: Nomination, *, reason: str, actor: User, at: datetime | None = None) -> Nomination:
    """The office rejects a received nomination with a reason the nominating unit reads.

    No quota is given back (see the module's docstring). Possible-duplicate
    flags on other nominations that pointed at this one are cleared. Logs
    ``exemplar.nominations.rejected``; tells the nominating unit's coordinators.
    """
    at = at or clock.now()
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why the nomination is rejected: the nominating unit will read it."), code="reason_required"
        )
    _require_office(actor)
    with transaction.atomic():
        nomination = _locked_received(nomination)
        nomination.state, nomination.decision_reason, nomination.updated_at = NominationState.REJECTED, reason, at
        nomination.save(update_fields=["state", "decision_reason", "updated_at"])
        NominationStep.objects.create(
            nomination=nomination, action=StepAction.REJECTED, unit=None, actor=actor, at=at, reason=reason
        )
        refresh_duplicates_around(nomination)
        log_action(actor, "exemplar.nominations.rejected", nomination, {"reason": reason}, at=at)
        notify(
            holders_at(nomination.unit, Role.UNIT_COORDINATOR),
            _("Nomination %(ref)s was rejected by the programme office: %(reason)s")
            % {"ref": nomination.reference, "reason": reason},
            url=nomination.get_absolute_url(),
            at=at,
        )
    return nomination
