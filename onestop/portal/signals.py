"""What the cached public pages (onestop.core.pagecache) show comes from organisations and
their catalogues: any save or delete of one drops them (here, because every way of changing
them, the services, the back office's settings and the platform admin, saves the model).

A signal, not a call in each service: a missed call would leave a stale page, and nothing has
to happen reliably here beyond that; what a signal cannot see (a queryset `update()`) lives at
most `ONESTOP_PAGE_CACHE_SECONDS`."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from onestop.catalog.models import Category, RequestType
from onestop.core import pagecache
from onestop.organisations.models import Organisation

SHOWN_ON_PUBLIC_PAGES = (Organisation, Category, RequestType)


def _changed(sender: type, **kwargs: Any) -> None:
    pagecache.invalidate()


def connect() -> None:
    for model in SHOWN_ON_PUBLIC_PAGES:
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}"
        )
