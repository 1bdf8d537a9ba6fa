import logging

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "onestop.documents"
    label = "documents"
    verbose_name = "เอกสารสำหรับพิมพ์"

    def ready(self) -> None:
        # fontTools logs some 30 INFO lines for every font subset, i.e. every PDF made.
        logging.getLogger("fontTools").setLevel(logging.WARNING)
