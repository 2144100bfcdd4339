from django.urls import path

from rjcases import views

app_name = "rjcases"

urlpatterns = [
    path("", views.case_list, name="list"),
]
