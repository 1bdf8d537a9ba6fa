"""GeoReport v2's two formats: XML (required by the spec) and JSON (its Spark-convention
mapping of the XML), the spec's error format, and CORS for the public endpoints."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

JSON = "json"
XML = "xml"
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}
# The characters XML 1.0 cannot carry (control characters a pasted message may hold).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# How each list's items are named in XML (<services><service>…).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _append(element, ITEM_NAMES[name], item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """`value` (a record or a list of them) as the spec's XML, e.g. to_xml("services", [...])."""
    document = ET.Element(root)
    if isinstance(value, list):
        for item in value:
            _append(document, ITEM_NAMES[root], item)
    else:
        for key, item in value.items():
            _append(document, key, item)
    body = ET.tostring(document, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def render(root: str, value: Any, fmt: str, *, status: int = 200) -> HttpResponse:
    as_json = json.dumps(value, ensure_ascii=False).encode() if fmt == JSON else None
    content = as_json if as_json is not None else to_xml(root, value)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str | list[str]) -> HttpResponse:
    """The spec's error format: [{"code": 404, "description": "…"}] or <errors><error>…
    (one entry per message when there are several)."""
    descriptions = [description] if isinstance(description, str) else description
    return render(
        "errors", [{"code": status, "description": d} for d in descriptions], fmt, status=status
    )


def _language(request: HttpRequest) -> str:
    """The `locale` parameter (th, en, en_US, en-GB…), else LocaleMiddleware's choice."""
    wanted = request.GET.get("locale", "").strip().lower().replace("_", "-")
    if wanted:
        return "en" if wanted.startswith("en") else "th"
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


View = Callable[..., HttpResponse]
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language",
    "Access-Control-Max-Age": "86400",
}


def public_endpoint(view: View) -> View:
    """A public read-only GeoReport endpoint: any site may read it (CORS, with the OPTIONS
    preflight answered here); GET and HEAD only, anything else 405 in the error format; the
    reader's language from `locale` or Accept-Language."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, fmt: str = XML, **kwargs: Any) -> HttpResponse:
        language = _language(request)
        with translation.override(language):
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
            elif request.method not in {"GET", "HEAD"}:
                response = error(fmt, 405, translation.gettext("บริการนี้รับเฉพาะการอ่านข้อมูล (GET)"))
                response["Allow"] = "GET, HEAD, OPTIONS"
            else:
                response = view(request, *args, fmt=fmt, **kwargs)
        for header, value in CORS.items():
            response[header] = value
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapped


def keyed_endpoint(view: View) -> View:
    """An endpoint that needs an API key (Open311's POST): the reader's language as for the
    public ones, no CORS (a key belongs in a server, not in a web page)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, fmt: str = XML, **kwargs: Any) -> HttpResponse:
        language = _language(request)
        with translation.override(language):
            response = view(request, *args, fmt=fmt, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapped
