from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "onestop.portal"
    label = "portal"
    verbose_name = "หน้าเว็บสำหรับประชาชน"

    def ready(self) -> None:
        from onestop.portal import signals  # noqa: PLC0415 (the models are loaded now)

        signals.connect()
