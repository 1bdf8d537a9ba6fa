from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onestop.cases"
    label = "cases"
    verbose_name = "คำร้อง"

    def ready(self) -> None:
        from onestop.cases.metrics import families  # noqa: PLC0415
        from onestop.core.metrics import register  # noqa: PLC0415 (apps are loading now)

        register("cases", families)
