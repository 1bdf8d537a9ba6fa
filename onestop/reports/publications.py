"""ITA reports kept ready: one stored file per organisation × kind × period × format.

On demand (`ita_file_get`), a stored file is served while it is fresh: made by this layout
(`VERSION`) and either after the organisation's latest counted change or less than
`FRESH_FOR` ago (so a busy organisation's visitors do not each make a new PDF). Otherwise it is
made again, stored under its key and served. The monthly task (`publish_monthly`, run by the
django-tasks-db worker, re-enqueued for the first of each month) makes the periods the public
page offers for every organisation, so that downloads are ready."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.tasks import task
from django.utils import timezone, translation

from onestop.organisations.models import Organisation
from onestop.reports.ita import KINDS, ItaPeriod, ItaReport, ita_report, periods_offered
from onestop.reports.ita_pdf import ita_pdf, ita_xlsx
from onestop.reports.models import CaseState, PublishedReport

log = logging.getLogger("onestop.reports")

VERSION = 1
FRESH_FOR = dt.timedelta(hours=1)
FORMATS: dict[str, tuple[Callable[[ItaReport], bytes], str]] = {
    "pdf": (ita_pdf, "application/pdf"),
    "xlsx": (ita_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
BANGKOK = ZoneInfo("Asia/Bangkok")


def ita_filename(*, organisation: Organisation, kind: str, period: ItaPeriod, fmt: str) -> str:
    """`ita-complaints-wangchao-2569-q1.pdf`: ASCII, the key of the stored file too."""
    return f"ita-{kind}-{organisation.slug}-{period.key}.{fmt}"


def _last_change(organisation: Organisation) -> dt.datetime | None:
    latest: dt.datetime | None = CaseState.objects.filter(organisation=organisation).aggregate(
        last=Max("changed_at")
    )["last"]
    return latest


def ita_file_get(
    *, organisation: Organisation, kind: str, period: ItaPeriod, fmt: str,
    today: dt.date | None = None,
) -> bytes:  # fmt: skip
    """The report's bytes: the stored file when fresh, else made now (and stored)."""
    now = timezone.now()
    stored = PublishedReport.objects.filter(
        organisation=organisation, kind=kind, year=period.year, quarter=period.quarter,
        format=fmt,
    ).first()  # fmt: skip
    if stored is not None and stored.version == VERSION:
        last = _last_change(organisation)
        if now - stored.generated_at < FRESH_FOR or last is None or stored.generated_at >= last:
            try:
                with stored.file.open("rb") as handle:
                    data: bytes = handle.read()
                return data
            except OSError:  # the file went missing: make it again
                log.warning("Stored report %s cannot be read", stored.file.name)
    return ita_file_publish(
        organisation=organisation, kind=kind, period=period, fmt=fmt, today=today
    )


def ita_file_publish(
    *, organisation: Organisation, kind: str, period: ItaPeriod, fmt: str,
    today: dt.date | None = None,
) -> bytes:  # fmt: skip
    """Make the report now, store it under its key (replacing the previous file), return it."""
    now = timezone.now()
    render, _content_type = FORMATS[fmt]
    with translation.override("th"):  # the organisation's official report, whoever asks
        report = ita_report(organisation=organisation, kind=kind, period=period, today=today)
        data = render(report)
    name = default_storage.save(
        f"reports/ita/{organisation.pk}/"
        + ita_filename(organisation=organisation, kind=kind, period=period, fmt=fmt),
        ContentFile(data),
    )
    key: dict[str, Any] = {"organisation": organisation, "kind": kind, "year": period.year,
           "quarter": period.quarter, "format": fmt}  # fmt: skip
    try:
        with transaction.atomic():
            old = PublishedReport.objects.select_for_update().filter(**key).first()
            PublishedReport.objects.update_or_create(
                **key, defaults={"file": name, "version": VERSION, "generated_at": now}
            )
            old_name = old.file.name if old is not None else None
            if old_name and old_name != name:
                transaction.on_commit(lambda: default_storage.delete(old_name))
    except IntegrityError:  # another request stored the same report first: keep theirs
        default_storage.delete(name)
    return data


def publish_all(*, today: dt.date | None = None) -> int:
    """Make every report the public pages offer, for every active organisation. Returns how
    many files were made."""
    today = today or timezone.localdate()
    made = 0
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        for kind in KINDS:
            for period in periods_offered(today):
                for fmt in FORMATS:
                    ita_file_publish(
                        organisation=organisation, kind=kind, period=period, fmt=fmt, today=today
                    )
                    made += 1
    log.info("ITA reports made: %s", made)
    return made


@task()
def publish_monthly() -> int:
    """The monthly run: make every report, then ask for the next run on the 1st of next month
    at 02:00 Bangkok time (one per month, however many runs ask)."""
    made = publish_all()
    schedule_next()
    return made


def schedule_next(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the run of the 1st of next month, once; None with a backend that cannot defer
    (the tests' immediate backend)."""
    backend = publish_monthly.get_backend()
    if not backend.supports_defer:
        return None
    local = timezone.localtime(now or timezone.now(), BANGKOK)
    first = (local.date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    run_after = dt.datetime.combine(first, dt.time(2), tzinfo=BANGKOK)
    if cache.add(f"onestop:reports:ita:{first.isoformat()}", True, timeout=40 * 24 * 3600):
        publish_monthly.using(run_after=run_after).enqueue()
    return run_after
