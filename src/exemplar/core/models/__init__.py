from exemplar.core.models.audit import AuditEntry, AuditHead
from exemplar.core.models.notification import Notification

__all__ = ["AuditEntry", "AuditHead", "Notification"]
