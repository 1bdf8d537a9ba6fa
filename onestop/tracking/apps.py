from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "onestop.tracking"
    label = "tracking"
    verbose_name = "การตรวจสอบติดตามผลของประชาชน"
