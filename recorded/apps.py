from django.apps import AppConfig


class RecordedConfig(AppConfig):
    name = "recorded"
    verbose_name = "Recorded hate incidents"
