from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "onestop.backoffice"
    verbose_name = "Back office"
