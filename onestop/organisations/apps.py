from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "onestop.organisations"
    label = "organisations"
    verbose_name = "องค์กรปกครองส่วนท้องถิ่น"
