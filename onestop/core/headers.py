"""Response headers that Django's SecurityMiddleware does not set.

`Permissions-Policy` switches off the browser features OneStop never uses, so that a script
injected one day could not use them either. Geolocation stays allowed for this site only: the
wizard's place step offers "use my location".
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "geolocation=(self)",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "publickey-credentials-get=()",
        "usb=()",
        "browsing-topics=()",
    ]
)


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` to every response that has not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = getattr(settings, "ONESTOP_PERMISSIONS_POLICY", PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
