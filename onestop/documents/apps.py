from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "onestop.documents"
    label = "documents"
    verbose_name = "เอกสารสำหรับพิมพ์"
