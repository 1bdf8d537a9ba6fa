"""The client's address, read one way everywhere: the audit trail, rate limits (check results,
password reset) and django-axes' sign-in lockouts (`AXES_CLIENT_IP_CALLABLE`).

The address is REMOTE_ADDR, unless `ONESTOP_TRUSTED_PROXY_COUNT` > 0 says that many reverse
proxies of ours stand in front: then it is read from X-Forwarded-For, counting from the right
(the entries on the left are whatever the client chose to send). An IPv4 client seen on a
dual-stack socket (`::ffff:203.0.113.5`) is an IPv4 address, not a member of an IPv6 network."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def normalise_ip(address: str) -> str | None:
    """The canonical text of an address (IPv4-mapped IPv6 as plain IPv4), None if it is none."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as far as we can trust it (see the module docstring); None only
    when not even the connecting address parses."""
    remote = normalise_ip(str(request.META.get("REMOTE_ADDR", "")))
    hops = int(getattr(settings, "ONESTOP_TRUSTED_PROXY_COUNT", 0))
    if hops <= 0:
        return remote
    chain = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(chain) < hops:
        return remote  # not through our proxies: the connecting address is the client
    return normalise_ip(chain[-hops]) or remote


def address_bucket(address: str) -> str:
    """What a per-address limit counts: the address itself for IPv4, its /64 for IPv6 (one
    subscriber usually holds a whole /64)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
