from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective (team)")


class PhaseKind(models.TextChoices):
    """The stages of a programme, in their usual order."""

    SETUP = "setup", _("Set-up")
    NOMINATION = "nomination", _("Nomination and endorsement")
    SCREENING = "screening", _("Screening")
    VETTING = "vetting", _("Vetting")
    REVIEW = "review", _("Expert review")
    ELECTION = "election", _("Employee election")
    DECISION = "decision", _("Committee decision")
    NOTICE = "notice", _("Public notice")
    COMMENDATION = "commendation", _("Commendation")
    CLOSED = "closed", _("Closed")


class CompositionKind(models.TextChoices):
    AT_MOST_SHARE = "at_most_share", _("at most this share")
    AT_LEAST_SHARE = "at_least_share", _("at least this share")
    AT_MOST_COUNT = "at_most_count", _("at most this many")
    AT_LEAST_COUNT = "at_least_count", _("at least this many")


class CompositionAttribute(models.TextChoices):
    STAFF_CATEGORY = "staff_category", _("Staff category")
    MANAGEMENT_LEVEL = "management_level", _("Management level")
    GENDER = "gender", _("Gender")
