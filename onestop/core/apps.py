from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onestop.core"
    label = "core"
    verbose_name = "ส่วนกลาง"

    def ready(self) -> None:
        from django.core.signals import request_finished  # noqa: PLC0415

        from onestop.core import latency  # noqa: PLC0415
        from onestop.core.metrics import core_families, register  # noqa: PLC0415

        register("tasks", core_families)
        register("latency", latency.families)
        # Each process writes its request counts after a response, at most every 10 s.
        request_finished.connect(latency.flush_when_due, dispatch_uid="onestop_latency_flush")
