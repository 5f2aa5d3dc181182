import pytest
from django.core import mail

from exemplar.core.errors import DomainError
from exemplar.core.models import AuditEntry
from exemplar.people.domain.accounts import create_account, grant_role, revoke_role
from exemplar.people.enums import PersonStatus, Role
from exemplar.people.models import RoleGrant, User
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.integration


def test_create_account_sends_set_password_mail(org, office_user, django_capture_on_commit_callbacks):
    person = PersonFactory(unit=org.a1, staff_number="A1-0001", email="li@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        user = create_account(person=person, actor=office_user, site_url="https://exemplar.example.org")
    assert (user.username, user.has_usable_password(), user.person) == ("A1-0001", False, person)
    assert list(user.grants.values_list("role", "unit__code")) == [(Role.EMPLOYEE, "A1")]
    assert [m.to for m in mail.outbox] == [["li@example.org"]]
    assert "https://exemplar.example.org/accounts/password/reset/" in mail.outbox[0].body
    assert "A1-0001" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="exemplar.people.account_created", object_id=str(user.pk)).count() == 1


@pytest.mark.parametrize(
    ("status", "email", "message"),
    [
        (PersonStatus.RETIRED, "x@example.org", "Only active employees"),
        (PersonStatus.ACTIVE, "", "An e-mail address is needed"),
    ],
)
def test_create_account_refusals_change_nothing(org, office_user, status, email, message):
    person = PersonFactory(unit=org.a1, status=status, email=email)
    before = (User.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError, match=message):
        create_account(person=person, actor=office_user, site_url="http://x")
    assert (User.objects.count(), AuditEntry.objects.count()) == before


def test_second_account_refused(org, office_user):
    person = PersonFactory(unit=org.a1)
    create_account(person=person, actor=office_user, site_url="http://x")
    with pytest.raises(DomainError, match="already has an account"):
        create_account(person=person, actor=office_user, site_url="http://x")


def test_grant_and_revoke_are_audited(org, office_user, employee_user):
    grant = grant_role(user=employee_user, role=Role.UNIT_COORDINATOR, unit=org.b, actor=office_user)
    with pytest.raises(DomainError, match="already holds"):
        grant_role(user=employee_user, role=Role.UNIT_COORDINATOR, unit=org.b, actor=office_user)
    revoke_role(grant, actor=office_user)
    actions = list(
        AuditEntry.objects.filter(object_id=str(employee_user.pk)).order_by("seq").values_list("action", "data")
    )
    assert actions == [
        ("exemplar.people.role_granted", {"role": "unit_coordinator", "unit": "B"}),
        ("exemplar.people.role_revoked", {"role": "unit_coordinator", "unit": "B"}),
    ]
    assert list(RoleGrant.objects.filter(user=employee_user).values_list("role", flat=True)) == [Role.EMPLOYEE]
