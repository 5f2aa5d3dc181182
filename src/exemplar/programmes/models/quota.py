from django.db import models
from django.utils.translation import gettext_lazy as _

from exemplar.people.models import OrgUnit
from exemplar.programmes.models.programme import Programme


class UnitQuota(models.Model):
    """How many nominations a unit may send up in a programme.

    A unit with no quota row is not limited by itself (its parent's quota
    still limits what goes further up). ``used`` is the count of
    nominations the unit has sent up and that still stand; it only changes
    under a row lock (see ``nominations.domain.quota``).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="quotas")
    allocated = models.PositiveIntegerField(_("allocated"))
    used = models.PositiveIntegerField(_("used"), default=0)
    is_manual = models.BooleanField(_("set by hand"), default=False)

    class Meta:
        verbose_name = _("unit quota")
        verbose_name_plural = _("unit quotas")
        ordering = ["programme", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit"], name="unique_unit_quota"),
            models.CheckConstraint(condition=models.Q(used__lte=models.F("allocated")), name="quota_not_exceeded"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.used}/{self.allocated}"

    @property
    def remaining(self) -> int:
        return max(0, self.allocated - self.used)
