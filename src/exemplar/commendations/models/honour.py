from django.db import models
from django.utils.translation import gettext_lazy as _

from exemplar.people.models import Person, Team


class Honour(models.Model):
    """An entry of the honour register: a title conferred on a person or a team.

    Eligibility ("not honoured in the same category within N years") reads
    this register; a revoked honour no longer counts.
    """

    category_code = models.SlugField(_("category code"), max_length=40)
    title = models.CharField(_("title conferred"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="honours")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="honours")
    conferred_on = models.DateField(_("conferred on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "category_code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, team__isnull=True)
                    | models.Q(person__isnull=True, team__isnull=False)
                ),
                name="honour_person_xor_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"
