"""Accounts for people of the directory, and their role grants."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from exemplar.core import clock
from exemplar.core.domain.audit import log_action
from exemplar.core.errors import DomainError
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import OrgUnit, Person, RoleGrant, User


def _send_set_password_mail(user: User, *, site_url: str) -> None:
    # Django's reset form skips accounts without a usable password, which is
    # exactly what a new account has; the confirm view accepts them.
    context = {
        "user": user,
        "link": site_url.rstrip("/")
        + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        ),
    }
    subject = render_to_string("registration/account_created_subject.txt", context).strip()
    body = render_to_string("registration/account_created_email.txt", context)
    send_mail(subject, body, None, [user.email])


def create_account(*, person: Person, actor: User | None, site_url: str, at: datetime | None = None) -> User:
    """Open a sign-in account for ``person`` (user name = staff number, no usable password).

    The person receives the password-reset mail to choose a password.
    Refuses people who already have an account, are not active, or have no
    e-mail address. Logs ``exemplar.people.account_created``.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if User.objects.filter(person=person).exists():
            raise DomainError(_("%(name)s already has an account.") % {"name": person.display_name})
        if person.status != PersonStatus.ACTIVE:
            raise DomainError(_("Only active employees can have an account."))
        if not person.email:
            raise DomainError(_("An e-mail address is needed to send the sign-in link; add one in the directory."))
        if User.objects.filter(username=person.staff_number).exists():
            raise DomainError(_("The user name %(name)s is taken.") % {"name": person.staff_number})
        user = User(username=person.staff_number, email=person.email, person=person, date_joined=at or clock.now())
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=Role.EMPLOYEE, unit=person.unit, granted_at=at or clock.now())
        log_action(actor, "exemplar.people.account_created", user, {"staff_number": person.staff_number}, at=at)
        transaction.on_commit(lambda: _send_set_password_mail(user, site_url=site_url))
    return user


def grant_role(*, user: User, role: str, unit: OrgUnit, actor: User | None, at: datetime | None = None) -> RoleGrant:
    """Give ``user`` the ``role`` over ``unit``'s subtree. Logs ``exemplar.people.role_granted``.

    Refuses an unknown role and a grant the user already holds.
    """
    if role not in Role.values:
        raise DomainError(_("Unknown role."))
    with transaction.atomic():
        if RoleGrant.objects.filter(user=user, role=role, unit=unit).exists():
            raise DomainError(_("This account already holds that role over that unit."))
        grant = RoleGrant.objects.create(user=user, role=role, unit=unit, granted_at=at or clock.now())
        log_action(actor, "exemplar.people.role_granted", user, {"role": role, "unit": unit.code}, at=at)
    return grant


def revoke_role(grant: RoleGrant, *, actor: User | None, at: datetime | None = None) -> None:
    """Withdraw a role grant. Logs ``exemplar.people.role_revoked``."""
    with transaction.atomic():
        user, role, unit_code = grant.user, grant.role, grant.unit.code
        grant.delete()
        log_action(actor, "exemplar.people.role_revoked", user, {"role": role, "unit": unit_code}, at=at)
