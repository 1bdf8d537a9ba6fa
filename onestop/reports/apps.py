from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "onestop.reports"
    label = "reports"
    verbose_name = "รายงานผลการดำเนินงาน"

    def ready(self) -> None:
        # Rollups are kept in the transaction of every change (cases.signals.event_recorded).
        from onestop.cases.signals import event_recorded  # noqa: PLC0415 (apps are loaded now)
        from onestop.reports.receivers import on_event_recorded  # noqa: PLC0415

        event_recorded.connect(on_event_recorded, dispatch_uid="reports.rollups")
