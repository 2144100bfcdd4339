from django.urls import path

from privacy import views
from privacy.views import requests

app_name = "privacy"

urlpatterns = [
    path("retention/", views.review_queue, name="reviews"),
    path("retention/<int:pk>/", views.decide, name="decide"),
    path("cases/<str:reference>/non-crime-record/", views.non_crime_record, name="non_crime_record"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/find-again/", requests.find_again, name="request_find_again"),
    path("requests/<int:pk>/matches/<int:match_pk>/", requests.match_decide, name="request_match"),
    path("requests/<int:pk>/matches/<int:match_pk>/erase/", requests.erase, name="request_erase"),
    path("requests/<int:pk>/passages/", requests.approve_passage, name="request_passage"),
    path("requests/<int:pk>/extend/", requests.extend, name="request_extend"),
    path("requests/<int:pk>/complete/", requests.complete, name="request_complete"),
    path("requests/<int:pk>/export.json", requests.export_json, name="request_export_json"),
    path("requests/<int:pk>/export.pdf", requests.export_pdf, name="request_export_pdf"),
]
