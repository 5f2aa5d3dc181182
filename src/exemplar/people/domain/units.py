"""Writers for the unit tree, people and teams outside the bulk import."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from exemplar.core.domain.audit import log_action
from exemplar.core.errors import DomainError
from exemplar.people.domain import tree
from exemplar.people.models import OrgUnit, User


def create_unit(*, code: str, name: str, parent: OrgUnit | None, actor: User | None, name_en: str = "") -> OrgUnit:
    """Create a unit under ``parent`` (or the root when ``parent`` is None).

    Refuses a second root and a duplicate code. Logs ``exemplar.people.unit_created``.
    """
    with transaction.atomic():
        if parent is None and OrgUnit.objects.filter(parent__isnull=True).exists():
            raise DomainError(_("The organisation already has a root unit."))
        if OrgUnit.objects.filter(code=code).exists():
            raise DomainError(_("A unit with code %(code)s already exists.") % {"code": code})
        # A placeholder path keeps the unique constraint satisfied until the id is known.
        unit = OrgUnit.objects.create(code=code, name=name, name_en=name_en, parent=parent, path=f"new:{code}")
        unit.path = tree.child_path(parent.path if parent else "", unit.pk)
        unit.depth = tree.depth_of(unit.path)
        unit.save(update_fields=["path", "depth"])
        log_action(
            actor, "exemplar.people.unit_created", unit, {"code": code, "parent": parent.code if parent else None}
        )
    return unit


def move_unit(unit: OrgUnit, *, new_parent: OrgUnit, actor: User | None) -> OrgUnit:
    """Move a unit and its whole subtree under ``new_parent``, in one UPDATE.

    Refuses moving a unit into its own subtree. Logs ``exemplar.people.unit_moved``.
    """
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        new_parent = OrgUnit.objects.get(pk=new_parent.pk)
        if tree.is_within(new_parent.path, unit.path):
            raise DomainError(_("A unit cannot be moved below itself."))
        old_parent = unit.parent
        old_path = unit.path
        new_path = tree.child_path(new_parent.path, unit.pk)
        delta = tree.depth_of(new_path) - unit.depth
        OrgUnit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + delta,
        )
        OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
        unit.refresh_from_db()
        log_action(
            actor,
            "exemplar.people.unit_moved",
            unit,
            {"from": old_parent.code if old_parent else None, "to": new_parent.code},
        )
    return unit
