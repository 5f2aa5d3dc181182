from exemplar.nominations.models.nomination import (
    Attachment,
    JointSupporter,
    Nomination,
    NominationStep,
    QuotaUse,
    VettingDecision,
)

__all__ = ["Attachment", "JointSupporter", "Nomination", "NominationStep", "QuotaUse", "VettingDecision"]
