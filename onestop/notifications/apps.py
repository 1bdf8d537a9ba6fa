from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "onestop.notifications"
    label = "notifications"
    verbose_name = "การแจ้งเตือน"
