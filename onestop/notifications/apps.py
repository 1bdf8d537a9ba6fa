from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "onestop.notifications"
    label = "notifications"
    verbose_name = "การแจ้งเตือน"

    def ready(self) -> None:
        # Imported here: models are not ready when this module is imported.
        from onestop.cases.signals import event_recorded  # noqa: PLC0415
        from onestop.notifications import privacy  # noqa: PLC0415
        from onestop.notifications.planning import on_event_recorded  # noqa: PLC0415

        # Plans messages inside the change's transaction (cases cannot import notifications).
        event_recorded.connect(on_event_recorded, dispatch_uid="notifications.plan")
        # Forgets a request's messages when its personal data is removed.
        event_recorded.connect(privacy.on_event_recorded, dispatch_uid="notifications.privacy")

        from onestop.core.metrics import register  # noqa: PLC0415
        from onestop.notifications.metrics import families  # noqa: PLC0415

        # The outbox's figures at /metrics (core cannot import notifications).

        register("notifications", families)
