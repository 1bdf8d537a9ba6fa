"""What gunicorn's master loads before it forks the workers (deploy/gunicorn.conf.py,
`preload_app`): every view module and the big read-only data, so that the workers share those
memory pages (copy-on-write) instead of each building its own copy. Costs, per part, in
bench/memory.py; the workers' shared and own memory after a mixed load in
bench/memory_workers.py.

No database connection may cross the fork: any opened here is closed. `gc.freeze()` moves what
exists now out of the collector's sight, so that collections in a worker do not write to (and
so copy) the shared pages."""

from __future__ import annotations

import gc

from django.db import connections
from django.urls import get_resolver


def warm() -> None:
    get_resolver().url_patterns  # imports every view module (and fpdf2 with the PDF views)  # noqa: B018
    from onestop.core import addresses  # noqa: PLC0415
    from onestop.documents import thai_text  # noqa: PLC0415
    from onestop.documents.base import new_pdf  # noqa: PLC0415

    addresses._by_code()
    thai_text._dictionary()
    thai_text._place_names()
    new_pdf()  # the Sarabun fonts, parsed
    connections.close_all()
    gc.collect()
    gc.freeze()
