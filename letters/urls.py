"""Letter pages, addressed by the case's reference like every case page. The old addresses by database id
(``case/<id>/``, ``<id>/``) redirect permanently, for a user who may see the letter; fixed and numeric paths
come before ``case/<reference>/`` (a reference is never all digits)."""

from django.urls import path

from letters import views

app_name = "letters"

CASE = "case/<str:reference>/"

urlpatterns = [
    path("wording/", views.template_list, name="templates"),
    path("wording/<int:pk>/", views.template_edit, name="template_edit"),
    path("wording/<int:pk>/history/", views.template_history, name="template_history"),
    path("wording/<int:pk>/other-language/", views.template_add_language, name="template_add_language"),
    path("wording/<int:pk>/preview.pdf", views.template_preview, name="template_preview"),
    path("bsl-videos/", views.bsl_videos, name="bsl_videos"),
    path("bsl-videos/<str:subject>/", views.bsl_video_edit, name="bsl_video_edit"),
    path("print-run/", views.print_run, name="print_run"),
    path("print-run/letters.pdf", views.print_run_pdf, name="print_run_pdf"),
    # Old addresses by database id.
    path("case/<int:case_id>/", views.old_case_address, name="old_case"),
    path("case/<int:case_id>/new/", views.old_case_address, {"view": "generate"}, name="old_generate"),
    path("<int:pk>/", views.old_letter_address, name="old_detail"),
    path("<int:pk>/pdf/", views.old_letter_address, {"view": "pdf"}, name="old_pdf"),
    path("<int:pk>/accessible/", views.old_letter_address, {"view": "accessible"}, name="old_accessible"),
    # A case's letters.
    path(CASE, views.case_letters, name="case"),
    path(CASE + "new/", views.generate, name="generate"),
    path(CASE + "<int:pk>/", views.detail, name="detail"),
    path(CASE + "<int:pk>/pdf/", views.download, name="pdf"),
    path(CASE + "<int:pk>/accessible/", views.accessible, name="accessible"),
    path(CASE + "<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path(CASE + "<int:pk>/write-file/", views.write_file, name="write_file"),
    path(CASE + "<int:pk>/translation/", views.resolve_translation, name="translation"),
]
