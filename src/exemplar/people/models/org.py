from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from exemplar.core.bilingual import Bilingual
from exemplar.people.enums import Gender, ManagementLevel, PersonStatus, StaffCategory


class OrgUnit(Bilingual, models.Model):
    """A unit of the organisation; the group itself is the root."""

    code = models.CharField(_("unit code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("backoffice:unit", args=[self.pk])

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path (no query)."""
        parts = [p for p in self.path.split("/") if p]
        return [int(p) for p in parts[:-1]]


class Person(Bilingual, models.Model):
    """An employee record, as the directory knows it."""

    staff_number = models.CharField(_("staff number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    staff_category = models.CharField(_("staff category"), max_length=20, choices=StaffCategory.choices)
    management_level = models.CharField(
        _("management level"), max_length=12, choices=ManagementLevel.choices, default=ManagementLevel.NONE
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    status = models.CharField(_("status"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)
    disciplinary_date = models.DateField(
        _("disciplinary record dated"),
        null=True,
        blank=True,
        help_text=_("Date of the latest disciplinary action; empty when there is none."),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["staff_number"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.staff_number})"

    def get_absolute_url(self) -> str:
        return reverse("backoffice:person", args=[self.pk])

    @property
    def has_disciplinary_record(self) -> bool:
        return self.disciplinary_date is not None


class Team(Bilingual, models.Model):
    """A collective that can be honoured as a whole."""

    code = models.CharField(_("team code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="teams")
    lead = models.ForeignKey(
        Person, verbose_name=_("lead"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(Person, through="TeamMembership", related_name="teams")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role in the team"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.team}"
