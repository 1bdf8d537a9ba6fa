from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onestop.core"
    label = "core"
    verbose_name = "ส่วนกลาง"

    def ready(self) -> None:
        from onestop.core.metrics import core_families, register  # noqa: PLC0415

        register("tasks", core_families)
