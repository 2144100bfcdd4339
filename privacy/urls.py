from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("retention/", views.review_queue, name="reviews"),
    path("retention/<int:pk>/", views.decide, name="decide"),
    path("cases/<str:reference>/non-crime-record/", views.non_crime_record, name="non_crime_record"),
]
