from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demo data: ``manage.py seed_demo``. Has no models, views or URLs of its own."""

    name = "demo"
    verbose_name = "Demo data"
