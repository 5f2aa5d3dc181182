from exemplar.programmes.models.programme import (
    Category,
    CompositionRule,
    Criterion,
    CriterionLevel,
    Phase,
    Programme,
    VettingDepartment,
)
from exemplar.programmes.models.quota import UnitQuota

__all__ = [
    "Category",
    "CompositionRule",
    "Criterion",
    "CriterionLevel",
    "Phase",
    "Programme",
    "UnitQuota",
    "VettingDepartment",
]
