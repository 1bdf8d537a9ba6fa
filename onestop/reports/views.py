"""The public performance page (ผลการดำเนินงาน) of an organisation and its published photos."""

from __future__ import annotations

import datetime as dt
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from PIL import Image, ImageOps

from onestop.core.replica import reads_may_be_stale
from onestop.organisations.selectors import organisation_get_public
from onestop.reports.forms import PeriodForm
from onestop.reports.selectors import public_performance, public_photo_get

THUMBNAIL = (360, 270)


def today() -> dt.date:
    """Today in Bangkok (a function, so that tests can set the day)."""
    return timezone.localdate()


@require_GET
@reads_may_be_stale
def performance(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    day = today()
    form = PeriodForm(request.GET or None, today=day)
    report = public_performance(organisation=organisation, chosen=form.period(), today=day)
    return render(
        request,
        "reports/performance.html",
        {"organisation": organisation, "report": report, "form": form, "now": timezone.now()},
    )


@require_GET
def photo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A published "after" photo, made small and re-encoded: the page stays light, and nothing
    the camera wrote into the file (place, time, device) leaves with it."""
    organisation = organisation_get_public(slug=slug)
    attachment = public_photo_get(organisation=organisation, pk=pk)
    out = io.BytesIO()
    try:
        with attachment.file.open("rb") as source, Image.open(source) as image:
            small = ImageOps.exif_transpose(image).convert("RGB")
            small.thumbnail(THUMBNAIL)
            small.save(out, "JPEG", quality=70, optimize=True)
    except (OSError, Image.DecompressionBombError) as error:  # missing or not a picture
        raise Http404 from error
    response = HttpResponse(out.getvalue(), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
