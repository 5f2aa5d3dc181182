"""The directory import: upload a file, follow its progress, read its outcome, download templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import DetailView, TemplateView, View

from exemplar.core.errors import DomainError
from exemplar.core.views import PermissionRequiredMixin
from exemplar.people.domain.importer.queries import import_errors, import_summary, recent_imports
from exemplar.people.domain.importer.service import start_directory_import
from exemplar.people.interfaces.directory import CSV_NAMES, WORKBOOK_NAME, DirectoryUploadForm, template_file
from exemplar.people.models import DirectoryImport


class ImportListView(PermissionRequiredMixin, TemplateView):
    """Past imports, newest first, and the upload form."""

    permission_required = "people.import_directory"
    template_name = "backoffice/directory/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", DirectoryUploadForm())
        ctx["imports"] = list(recent_imports())
        ctx["workbook_name"] = WORKBOOK_NAME
        ctx["csv_names"] = list(CSV_NAMES)
        ctx["max_bytes"] = settings.DIRECTORY_IMPORT_MAX_BYTES
        return ctx

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DirectoryUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = start_directory_import(file=form.cleaned_data["file"], actor=request.user)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error("file", str(exc.message))
            else:
                return redirect("backoffice:import_detail", import_id=record.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ImportDetailView(PermissionRequiredMixin, DetailView):
    """One import: state and progress while it runs, then its summary or every bad row."""

    permission_required = "people.import_directory"
    model = DirectoryImport
    pk_url_kwarg = "import_id"
    template_name = "backoffice/directory/detail.html"
    context_object_name = "record"

    def get_queryset(self) -> QuerySet[DirectoryImport]:
        return DirectoryImport.objects.select_related("uploaded_by", "uploaded_by__person")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["errors"] = import_errors(self.object)
        ctx["summary"] = import_summary(self.object)
        return ctx


class ImportProgressView(ImportDetailView):
    """The status panel alone: what the detail page polls while the import runs."""

    template_name = "backoffice/directory/detail.html#status"


class ImportTemplateView(PermissionRequiredMixin, View):
    """A template file to fill in: the XLSX workbook or a CSV file of one kind."""

    permission_required = "people.import_directory"

    def get(self, request: HttpRequest, filename: str) -> HttpResponse:
        found = template_file(filename)
        if found is None:
            raise Http404
        content, content_type = found
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
