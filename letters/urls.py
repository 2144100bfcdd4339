from django.urls import path

from letters import views

app_name = "letters"

urlpatterns = [
    path("case/<int:case_id>/", views.case_letters, name="case"),
    path("case/<int:case_id>/new/", views.generate, name="generate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.download, name="pdf"),
    path("<int:pk>/accessible/", views.accessible, name="accessible"),
    path("<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("wording/", views.template_list, name="templates"),
    path("wording/<int:pk>/", views.template_edit, name="template_edit"),
    path("wording/<int:pk>/history/", views.template_history, name="template_history"),
    path("wording/<int:pk>/preview.pdf", views.template_preview, name="template_preview"),
    path("print-run/", views.print_run, name="print_run"),
    path("print-run/letters.pdf", views.print_run_pdf, name="print_run_pdf"),
]
