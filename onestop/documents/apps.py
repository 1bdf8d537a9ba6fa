import logging

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "onestop.documents"
    label = "documents"
    verbose_name = "เอกสารสำหรับพิมพ์"

    def ready(self) -> None:
        # fontTools logs some 30 INFO lines for every font subset, i.e. every PDF made.
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        # The admin has discovered every app's admin module by now (it is installed first).
        from django.contrib import admin  # noqa: PLC0415 (apps are loading at import time)

        from onestop.documents.admin import add_poster_actions  # noqa: PLC0415 (the same)

        add_poster_actions(admin.site)
