from django.apps import AppConfig


class EserviceConfig(AppConfig):
    name = "onestop.eservice"
    label = "eservice"
    verbose_name = "ยื่นคำร้องออนไลน์"
