from django.apps import AppConfig


class RjcasesConfig(AppConfig):
    name = "rjcases"
    verbose_name = "Cases"
