"""The LINE webhook: LINE posts what citizens send to an organisation's official account.
Signed with the channel secret; a wrong or missing signature is refused (401) and logged."""

from __future__ import annotations

import json
import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onestop.notifications.line import line_channel_active, line_webhook_handle, signature_valid
from onestop.organisations.models import Organisation

log = logging.getLogger("onestop.notifications")

MAX_BODY = 256 * 1024  # LINE's webhook bodies are a few kilobytes


@csrf_exempt  # signed by LINE, not a browser form
@require_POST
def line_webhook(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
    channel = line_channel_active(organisation=organisation) if organisation else None
    if organisation is None or channel is None:
        raise Http404
    length = request.headers.get("Content-Length") or "0"
    if not length.isdigit():
        return HttpResponse(status=400)
    if int(length) > MAX_BODY:
        return HttpResponse(status=413)
    body = request.body
    signature = request.headers.get("X-Line-Signature", "")
    if not signature or not signature_valid(channel=channel, body=body, signature=signature):
        log.warning("LINE webhook for %s: wrong or missing signature", organisation.slug)
        return HttpResponse(status=401)
    try:
        payload = json.loads(body)
    except ValueError:
        return HttpResponse(status=400)
    line_webhook_handle(organisation=organisation, payload=payload)
    return HttpResponse(status=200)  # LINE wants 200 for every event it delivered
