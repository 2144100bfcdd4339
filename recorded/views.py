"""The managers' upload page of police records: choose a CSV, see what was imported and every rejected row
explained (line, crime reference, reason). The import itself is ``recorded.services.import_police_records``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from recorded import layout
from recorded.forms import ImportForm
from recorded.models import ImportRun
from recorded.permissions import may_import
from recorded.services import import_police_records


@login_required
@require_http_methods(["GET", "POST"])
def import_records(request):
    if not may_import(request.user):
        raise PermissionDenied("Only RJ managers import police records.")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = layout.read_csv(upload.read())
        except layout.LayoutError as error:
            form.add_error("file", f"{error} Nothing was imported")
        else:
            report = import_police_records(
                rows,
                user=request.user,
                via=ImportRun.Via.UPLOAD,
                name=upload.name,
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
    runs = ImportRun.objects.select_related("by").order_by("-at", "-id")[:10]
    return render(
        request,
        "recorded/import.html",
        {
            "page_title": "Import police records",
            "form": form,
            "report": report,
            "runs": runs,
            "columns": layout.COLUMNS,
        },
    )
