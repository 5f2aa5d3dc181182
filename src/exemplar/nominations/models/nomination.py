from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from exemplar.nominations.enums import AttachmentKind, NominationState, StepAction, VettingVerdict
from exemplar.people.models import OrgUnit, Person, Team
from exemplar.programmes.models import Category, Programme, VettingDepartment


class Nomination(models.Model):
    """A dossier nominating one person or one team in one category.

    ``unit`` is the nominating unit (it owns the draft); ``at_unit`` is the
    unit whose coordinator must act next (None once the office has it).
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="nominations")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="nominations"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    person = models.ForeignKey(
        Person, verbose_name=_("nominee"), null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("nominating unit"), on_delete=models.PROTECT, related_name="nominations"
    )
    at_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("waiting at"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=NominationState.choices, default=NominationState.DRAFT)
    title = models.CharField(_("headline"), max_length=200, help_text=_("One line that sums up the deeds."))
    deeds = models.TextField(_("deeds"), help_text=_("The story of what the nominee did. Basic formatting is kept."))
    achievements = models.TextField(_("achievements"), blank=True, help_text=_("One achievement per line."))
    is_joint = models.BooleanField(_("joint nomination by employees"), default=False)
    eligibility = models.JSONField(_("eligibility findings"), default=list, blank=True)
    duplicates = models.JSONField(_("possible duplicates"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, team__isnull=True)
                    | models.Q(person__isnull=True, team__isnull=False)
                ),
                name="nomination_person_xor_team",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "state"]),
            models.Index(fields=["programme", "at_unit", "state"]),
            models.Index(fields=["programme", "unit"]),
            # Covers the office dashboard's counts, filters and search: SQLite answers them from this
            # index instead of reading every dossier's wide row (docs/benchmarks.md, "Nominations at 10,000").
            models.Index(
                fields=["programme", "state", "unit", "category", "person", "team", "reference"],
                name="nomination_office_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.nominee_name}"

    def get_absolute_url(self) -> str:
        return reverse("backoffice:nomination", args=[self.pk])

    @property
    def nominee_name(self) -> str:
        nominee = self.person if self.person_id else self.team
        return nominee.display_name if nominee else ""


class NominationStep(models.Model):
    """One step of a nomination's way up the tree and through screening, shown in its dossier."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=12, choices=StepAction.choices)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("nomination step")
        verbose_name_plural = _("nomination steps")
        ordering = ["nomination", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.action}"


class QuotaUse(models.Model):
    """A nomination counted against a unit's quota (one row per unit it passed through)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="quota_uses")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("quota use")
        verbose_name_plural = _("quota uses")
        constraints = [models.UniqueConstraint(fields=["nomination", "unit"], name="unique_quota_use")]

    def __str__(self) -> str:
        return f"{self.nomination_id}@{self.unit_id}"


class Attachment(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="nominations/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["nomination", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class JointSupporter(models.Model):
    """An employee who signs a joint nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="supporters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("joint supporter")
        verbose_name_plural = _("joint supporters")
        constraints = [models.UniqueConstraint(fields=["nomination", "person"], name="unique_joint_supporter")]

    def __str__(self) -> str:
        return f"{self.person} → {self.nomination_id}"


class VettingDecision(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="vetting_decisions")
    department = models.ForeignKey(VettingDepartment, on_delete=models.PROTECT, related_name="decisions")
    verdict = models.CharField(_("verdict"), max_length=10, choices=VettingVerdict.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("vetting decision")
        verbose_name_plural = _("vetting decisions")
        constraints = [models.UniqueConstraint(fields=["nomination", "department"], name="unique_vetting_decision")]

    def __str__(self) -> str:
        return f"{self.department}: {self.verdict}"
