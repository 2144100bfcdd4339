from django.urls import path

from recorded import views

app_name = "recorded"

urlpatterns = [path("import/", views.import_records, name="import")]
