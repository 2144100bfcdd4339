"""The Victims' Code pages of one case, under /cases/<reference>/victims-code/ (names in the ``rjcases`` namespace)."""

from django.urls import path

from rjcases.victims_code import views

urlpatterns = [
    path("report/", views.report, name="code_report"),
    path("enhanced-rights/", views.enhanced_rights, name="code_enhanced_rights"),
    path("complaints/add/", views.complaint_add, name="complaint_add"),
    path("complaints/<int:complaint_id>/acknowledge/", views.complaint_acknowledge, name="complaint_acknowledge"),
    path("complaints/<int:complaint_id>/respond/", views.complaint_respond, name="complaint_respond"),
]
