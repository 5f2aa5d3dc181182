from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNDISCLOSED = "undisclosed", _("Not stated")


class StaffCategory(models.TextChoices):
    FRONT_LINE = "front_line", _("Front-line worker")
    TECHNICAL = "technical", _("Technical staff")
    MANAGEMENT = "management", _("Management")
    RESEARCH = "research", _("Research")
    SUPPORT = "support", _("Support staff")


class ManagementLevel(models.TextChoices):
    NONE = "none", _("None")
    JUNIOR = "junior", _("Junior management")
    MIDDLE = "middle", _("Middle management")
    SENIOR = "senior", _("Senior management")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left")


class Role(models.TextChoices):
    PROGRAMME_OFFICE = "programme_office", _("Programme office")
    UNIT_COORDINATOR = "unit_coordinator", _("Unit coordinator")
    REVIEWER = "reviewer", _("Reviewer")
    COMMITTEE = "committee", _("Committee member")
    VETTING = "vetting", _("Vetting department")
    AUDITOR = "auditor", _("Auditor")
    EMPLOYEE = "employee", _("Employee")


# Roles that may browse the personnel directory of their subtree. Reviewers
# and committee members judge dossiers, not personnel files.
DIRECTORY_ROLES = frozenset({Role.PROGRAMME_OFFICE, Role.UNIT_COORDINATOR, Role.VETTING, Role.AUDITOR})
# Roles that open the backoffice at all.
STAFF_ROLES = frozenset(set(Role) - {Role.EMPLOYEE})
# Roles that read the audit trail.
AUDIT_ROLES = frozenset({Role.PROGRAMME_OFFICE, Role.AUDITOR})


class ImportState(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    VALIDATING = "validating", _("Checking rows")
    APPLYING = "applying", _("Writing changes")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected: nothing changed")
    FAILED = "failed", _("Failed: nothing changed")
