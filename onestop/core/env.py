"""Settings come only from the environment; these helpers fail loudly on a bad value."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_email_url(url: str) -> tuple[dict[str, Any], str]:
    """The MAILERS["default"] entry and the sender address for an EMAIL_URL:
    `smtp://user:pass@host:587?from=oss@example.go.th`, `smtp+tls://…`, `smtp+ssl://…`,
    `console://` (prints e-mails) or `memory://` (keeps them in memory, for tests)."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    default_from = query.get("from", "")
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}, default_from
    if scheme == "memory":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}, default_from
    if scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parts.scheme!r} is not one of "
            "smtp, smtp+tls, smtp+ssl, console, memory"
        )
    use_ssl = scheme == "smtp+ssl"
    options = {
        "host": parts.hostname or "localhost",
        "port": parts.port or (465 if use_ssl else 587 if scheme == "smtp+tls" else 25),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": scheme == "smtp+tls",
        "use_ssl": use_ssl,
        "timeout": 20,
    }
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": options,
    }, default_from


def public_url() -> str:
    """The site's public base URL (no trailing slash), printed in links, QR codes and e-mails:
    ONESTOP_PUBLIC_URL, or else the address it is served on (HOST and PORT, as `make demo`
    and scripts/serve use them), so `PORT=8103 make demo` prints and encodes port 8103."""
    if configured := env_str("ONESTOP_PUBLIC_URL").strip():
        return configured.rstrip("/")
    host = env_str("HOST").strip() or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 (every interface: this machine's address)
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{env_str('PORT').strip() or '8000'}"
