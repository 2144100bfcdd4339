from django.urls import path

from insights import compliance, incident_views, survey_views, views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("hotspots/", incident_views.hotspots, name="hotspots"),
    path("hotspots/open-data/", incident_views.open_data_file, name="open_data"),
    path("performance/", views.performance, name="performance"),
    path("quarterly-return/", views.quarterly_return, name="quarterly_return"),
    path("victims-code-return/", compliance.compliance, name="compliance_return"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("comparison/", views.comparison, name="comparison"),
    path("centres/", views.centre_list, name="centres"),
    path("centres/new/", views.centre_create, name="centre_create"),
    path("centres/<int:pk>/", views.centre_detail, name="centre"),
    path("centres/<int:pk>/change/", views.centre_edit, name="centre_edit"),
    path("centres/<int:pk>/staff/new/", views.staff_create, name="staff_create"),
    path("centres/staff/<int:pk>/change/", views.staff_edit, name="staff_edit"),
    path("centres/<int:pk>/survey/", views.survey_record, name="survey_record"),
    path("centres/survey-slip/", survey_views.survey_slip_start, name="survey_slip"),
    path("centres/<int:pk>/survey-links/", survey_views.survey_link_create, name="survey_link_create"),
    path("survey/thanks/", views.survey_thanks, name="survey_thanks"),
    path("survey/<str:token>/", views.survey_public, name="survey"),
]
