"""SMS gateways: the SMS channel's `Provider` and one adapter per HTTP API shape.

`SmsProvider.send` finds the organisation's gateway (`SmsGateway`, configured in the admin),
asks its adapter for the HTTP request, posts it with the gateway's timeout and maps the answer
onto the outbox's outcomes:

- 2xx: accepted (unless the adapter reads a refusal in the body);
- 5xx, 408, 429, a time-out, a refused or dropped connection: `TemporaryFailure` (retried
  with backoff, `delivery.py`);
- any other 4xx, and a redirect (a wrong URL: never followed with our credentials):
  `PermanentFailure` (failed at once, the reason shown on the case page).

Adding a gateway is one class: subclass `GatewayAdapter` (a `key`, a `label`, `request`, and
`check` if its 2xx answers can still refuse) and list it in `ADAPTERS`; the admin offers it
without a migration (`SmsGateway.kind` takes its choices from here)."""

from __future__ import annotations

import base64
import http.client
import json
import logging
import urllib.error
import urllib.request
from typing import ClassVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.core import crypto
from onestop.notifications import sms
from onestop.notifications.models import SmsGateway, validate_gateway_url
from onestop.notifications.providers import Outgoing, PermanentFailure, TemporaryFailure

log = logging.getLogger("onestop.notifications")

MAX_ANSWER = 64 * 1024  # bytes of a gateway's answer we read
RETRY_LATER = frozenset({408, 425, 429})  # 4xx that say "not now" rather than "never"


class GatewayAdapter:
    """One gateway API shape: how a message becomes an HTTP request, and what a 2xx means."""

    key: ClassVar[str]
    label: ClassVar[str | Promise]

    def request(
        self, *, gateway: SmsGateway, to: str, text: str, message_key: str
    ) -> urllib.request.Request:
        raise NotImplementedError

    def check(self, status: int, answer: bytes) -> None:
        """Raise a failure if a 2xx answer still refuses the message; by default it does not."""


class BasicAuthFormGateway(GatewayAdapter):
    """The shape most Thai bulk-SMS providers share (ThaiBulkSMS's API v2 is the model):

        POST <gateway URL>
        Authorization: Basic base64(<API key>:<API secret>)
        Content-Type: application/x-www-form-urlencoded; charset=utf-8
        Idempotency-Key: <our message key>
        msisdn=66812345678&message=<UTF-8 text>&sender=<registered sender name>

    The answer is 2xx with JSON when accepted; a number the gateway will not send to may come
    back in `bad_phone_number_list` of a 2xx answer (a permanent failure). The message key goes
    in the `Idempotency-Key` header: a gateway that honours it sends a repeated request once;
    one that does not ignores it (see the README on the remaining window)."""

    key = "basic_form"
    label = _("ฟอร์ม HTTP POST + Basic auth (msisdn, message, sender) แบบ ThaiBulkSMS")

    def request(
        self, *, gateway: SmsGateway, to: str, text: str, message_key: str
    ) -> urllib.request.Request:
        api_key, api_secret = credentials(gateway)
        token = base64.b64encode(f"{api_key}:{api_secret}".encode()).decode("ascii")
        body = urlencode({"msisdn": to, "message": text, "sender": gateway.sender})
        return urllib.request.Request(  # noqa: S310 (the URL is validated: https, or http to loopback)
            gateway.url,
            data=body.encode("ascii"),
            method="POST",
            headers={
                "Authorization": f"Basic {token}",
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
                "Idempotency-Key": message_key,
                "User-Agent": "OneStop",
            },
        )

    def check(self, status: int, answer: bytes) -> None:
        try:
            found = json.loads(answer)
        except ValueError:
            return  # accepted, whatever it said
        refused = found.get("bad_phone_number_list") if isinstance(found, dict) else None
        if refused:
            raise PermanentFailure(f"HTTP {status}: {_excerpt(answer)}")


ADAPTERS: dict[str, GatewayAdapter] = {adapter.key: adapter for adapter in [BasicAuthFormGateway()]}


def credentials(gateway: SmsGateway) -> tuple[str, str]:
    """The gateway's API key and secret, decrypted (only for the request that needs them)."""
    return crypto.decrypt(gateway.api_key_encrypted), crypto.decrypt(gateway.api_secret_encrypted)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed (our credentials would go with it): it fails permanently."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _excerpt(answer: bytes) -> str:
    return " ".join(answer.decode("utf-8", errors="replace").split())[:300]


def failure_for(status: int, answer: bytes) -> TemporaryFailure | PermanentFailure:
    """The outcome of a gateway's answer other than 2xx."""
    reason = f"HTTP {status}: {_excerpt(answer)}".rstrip(": ")
    if status >= 500 or status in RETRY_LATER:
        return TemporaryFailure(reason)
    return PermanentFailure(reason)


def post(
    request: urllib.request.Request,
    *,
    timeout: float,
    also_accepted: frozenset[int] = frozenset(),
) -> tuple[int, bytes]:
    """Send `request`; return the 2xx status (or one of `also_accepted`) and answer, or raise
    the failure it amounts to. The timeout bounds the connection and each read (a gateway
    that hangs times out)."""
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.read(MAX_ANSWER)
    except urllib.error.HTTPError as error:
        try:
            answer = error.read(MAX_ANSWER)
        except (OSError, http.client.HTTPException):
            answer = b""
        finally:
            error.close()
        if error.code in also_accepted:
            return error.code, answer
        raise failure_for(error.code, answer) from error
    except urllib.error.URLError as error:  # refused, unknown host, TLS: error.reason says
        if isinstance(error.reason, TimeoutError):
            raise TemporaryFailure(f"timed out after {timeout:g} s") from error
        raise TemporaryFailure(f"{type(error.reason).__name__}: {error.reason}") from error
    except TimeoutError as error:
        raise TemporaryFailure(f"timed out after {timeout:g} s") from error
    except (OSError, http.client.HTTPException) as error:  # dropped mid-answer
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error


class SmsProvider:
    """The SMS channel: through the gateway of the message's organisation."""

    def send(self, outgoing: Outgoing) -> None:
        message = outgoing.message
        gateway = None
        if message.organisation_id is not None:
            gateway = SmsGateway.objects.filter(
                organisation_id=message.organisation_id, is_active=True
            ).first()
        if gateway is None:
            raise PermanentFailure("no active SMS gateway for this organisation")
        try:
            validate_gateway_url(gateway.url)  # saved outside the admin's form, perhaps
        except ValidationError as error:
            raise PermanentFailure(f"SMS gateway URL refused: {gateway.url}") from error
        adapter = ADAPTERS.get(gateway.kind)
        if adapter is None:
            raise PermanentFailure(f"unknown SMS gateway kind {gateway.kind!r}")
        request = adapter.request(
            gateway=gateway, to=sms.msisdn(outgoing.recipient), text=outgoing.body,
            message_key=message.key,
        )  # fmt: skip
        status, answer = post(request, timeout=gateway.timeout)
        adapter.check(status, answer)
