from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exemplar.people.enums import ImportState


class DirectoryImport(models.Model):
    """One upload of the directory file and what became of it.

    Progress lives here (not in a process's memory) so any app server can
    show it while a worker runs the import.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    file = models.FileField(_("file"), upload_to="directory-imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    state = models.CharField(_("state"), max_length=12, choices=ImportState.choices, default=ImportState.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("directory import")
        verbose_name_plural = _("directory imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_finished(self) -> bool:
        return self.state in {ImportState.DONE, ImportState.REJECTED, ImportState.FAILED}
