from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "onestop.accounts"
    verbose_name = "Staff accounts"
