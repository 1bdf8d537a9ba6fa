from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "onestop.tracking"
    label = "tracking"
    verbose_name = "การตรวจสอบติดตามผลของประชาชน"

    def ready(self) -> None:
        from onestop.core.metrics import register  # noqa: PLC0415 (apps are loading now)
        from onestop.tracking.metrics import families  # noqa: PLC0415

        register("tracking", families)
