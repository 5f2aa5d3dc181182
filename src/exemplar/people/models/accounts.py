from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from exemplar.people.enums import Role
from exemplar.people.models.org import OrgUnit, Person


class User(AbstractUser):
    """A sign-in account; most accounts belong to an employee of the directory."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="account"
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        if self.person_id:
            return f"{self.person.display_name} ({self.username})"
        return self.get_full_name() or self.username


class RoleGrant(models.Model):
    """Gives a role to an account over one unit and everything below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="grants")
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_grant")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.unit}"
