from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exemplar.core.bilingual import Bilingual
from exemplar.programmes.enums import CategoryKind, CompositionAttribute, CompositionKind, PhaseKind


class Programme(Bilingual, models.Model):
    """One year's honours programme: its categories, rules, quotas and phases."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    quota_depth = models.PositiveSmallIntegerField(
        _("quota level"),
        default=1,
        help_text=_("Depth of the units that receive nomination quotas: 1 = secondary units, 2 = tertiary units."),
    )
    quota_total = models.PositiveIntegerField(
        _("total nominations"), default=0, help_text=_("Shared among the units of the quota level by headcount.")
    )
    allow_joint_nomination = models.BooleanField(_("allow joint nomination by employees"), default=False)
    joint_nomination_size = models.PositiveSmallIntegerField(
        _("employees needed for a joint nomination"), default=10, validators=[MinValueValidator(2)]
    )
    current_phase = models.ForeignKey(
        "Phase", verbose_name=_("current phase"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("backoffice:programme", args=[self.pk])

    @property
    def display_description(self) -> str:
        lang = get_language() or ""
        if lang.startswith("en") and self.description_en:
            return self.description_en
        return self.description


class Category(Bilingual, models.Model):
    """An honour a programme confers, with its seats and eligibility rules."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Stable across years: the honour register matches categories by code.")
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CategoryKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    reviewers_per_nomination = models.PositiveSmallIntegerField(_("reviewers per nomination"), default=3)
    # Eligibility (per category). Empty means "not checked".
    min_service_years = models.PositiveSmallIntegerField(_("minimum years of service"), null=True, blank=True)
    require_active = models.BooleanField(_("only active employees"), default=True)
    disciplinary_window_years = models.PositiveSmallIntegerField(
        _("no disciplinary record within (years)"), null=True, blank=True
    )
    honour_window_years = models.PositiveSmallIntegerField(
        _("not honoured in this category within (years)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["programme", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="unique_category_code")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_collective(self) -> bool:
        return self.kind == CategoryKind.COLLECTIVE


class Criterion(Bilingual, models.Model):
    """One line of the weighted rubric."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.display_name


class CriterionLevel(models.Model):
    """What a score level of a criterion means, shown to reviewers on the scoresheet."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField(_("score"))
    descriptor = models.CharField(_("descriptor"), max_length=300)
    descriptor_en = models.CharField(_("English descriptor"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("score level")
        verbose_name_plural = _("score levels")
        ordering = ["criterion", "-score"]
        constraints = [models.UniqueConstraint(fields=["criterion", "score"], name="unique_criterion_level")]

    def __str__(self) -> str:
        return f"{self.score}: {self.descriptor}"


class CompositionRule(models.Model):
    """A constraint on the final list, e.g. at most 20 % management."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="composition_rules")
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="composition_rules",
        help_text=_("Empty: the rule applies to the whole list."),
    )
    attribute = models.CharField(_("attribute"), max_length=20, choices=CompositionAttribute.choices)
    value = models.CharField(_("value"), max_length=20)
    kind = models.CharField(_("rule"), max_length=16, choices=CompositionKind.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("composition rule")
        verbose_name_plural = _("composition rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.threshold} {self.attribute}={self.value}"


class Phase(models.Model):
    """A stage of the programme: ordered, with a time window and what it allows."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=16, choices=PhaseKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    starts_at = models.DateTimeField(_("opens"), null=True, blank=True)
    ends_at = models.DateTimeField(_("closes"), null=True, blank=True)
    min_candidates_per_seat = models.DecimalField(
        _("candidates needed per seat"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leaving this phase needs at least this many candidates per seat in every category."),
    )
    can_nominate = models.BooleanField(_("units may nominate"), default=False)
    can_endorse = models.BooleanField(_("units may endorse"), default=False)
    can_screen = models.BooleanField(_("the office screens"), default=False)
    can_vet = models.BooleanField(_("departments vet"), default=False)
    can_review = models.BooleanField(_("experts score"), default=False)
    can_vote = models.BooleanField(_("employees vote"), default=False)
    can_object = models.BooleanField(_("objections accepted"), default=False)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="unique_phase_order"),
            models.UniqueConstraint(fields=["programme", "kind"], name="unique_phase_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class VettingDepartment(Bilingual, models.Model):
    """A department that must sign off every confirmed candidate (discipline inspection, HR, safety...)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="vetting_departments")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("signatories"), blank=True, related_name="vetting_departments"
    )

    class Meta:
        verbose_name = _("vetting department")
        verbose_name_plural = _("vetting departments")
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.display_name
