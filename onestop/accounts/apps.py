from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "onestop.accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from onestop.accounts.metrics import families  # noqa: PLC0415
        from onestop.core.metrics import register  # noqa: PLC0415 (apps are loading now)

        register("accounts", families)
