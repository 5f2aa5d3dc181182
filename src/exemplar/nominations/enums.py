from django.db import models
from django.utils.translation import gettext_lazy as _


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting endorsement")
    RETURNED = "returned", _("Returned for changes")
    RECEIVED = "received", _("Received by the office")
    CONFIRMED = "confirmed", _("Confirmed by screening")
    REJECTED = "rejected", _("Rejected by screening")
    APPROVED = "approved", _("Cleared by vetting")
    VETOED = "vetoed", _("Vetoed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which a nomination still stands (and holds quota).
STANDING_STATES = frozenset(
    {NominationState.SUBMITTED, NominationState.RECEIVED, NominationState.CONFIRMED, NominationState.APPROVED}
)


class StepAction(models.TextChoices):
    CREATED = "created", _("created the draft")
    SUBMITTED = "submitted", _("submitted")
    ENDORSED = "endorsed", _("endorsed")
    FORWARDED = "forwarded", _("forwarded to the programme office")
    RETURNED = "returned", _("returned")
    WITHDRAWN = "withdrawn", _("withdrew")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")
    APPROVED = "approved", _("cleared")
    VETOED = "vetoed", _("vetoed")


class VettingVerdict(models.TextChoices):
    APPROVED = "approved", _("Approved")
    VETOED = "vetoed", _("Vetoed")


class AttachmentKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    IMAGE = "image", _("Image")
    OFFICE = "office", _("Office document")
