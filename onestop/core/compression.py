"""Responses compressed on the wire: Django's `GZipMiddleware`, for text only.

Django's middleware keeps its BREACH mitigation (since 4.2 it puts up to 100 random bytes in
the gzip header, so the length of a response no longer tells what matched), CSRF tokens are
masked anew in every response, and the session and CSRF cookies are `SameSite=Lax`, so another
site cannot make a browser fetch a signed-in page where it could measure it.

Only text is worth compressing: the request PDF, photos and files are already compressed (or
must be served byte for byte, with their length), and static files never get here (WhiteNoise,
above this middleware, serves its own `.gz` and `.br` copies)."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware

COMPRESSED_TYPES = (
    "text/",
    "application/json",
    "application/geo+json",
    "application/xml",
    "application/javascript",
    "image/svg+xml",
)


class GZipMiddleware(DjangoGZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
