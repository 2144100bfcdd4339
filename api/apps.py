from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "JSON API"

    def ready(self):
        # Registers the token scheme with drf-spectacular before any schema is generated.
        from api import schema  # noqa: F401
