"""Settings come from the environment and fail loudly on a bad value."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import translation

from onestop.cases.workflow import Status
from onestop.core.env import env_bool, env_int, env_list, parse_email_url
from onestop.organisations.models import Organisation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"


def test_a_boolean_that_is_not_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")
    monkeypatch.setenv("DEBUG", "yes")
    assert env_bool("DEBUG") is True


def test_numbers_and_lists_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_LIST", " a.example , b.example,,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]


def test_email_urls_become_mailer_settings() -> None:
    mailer, sender = parse_email_url(
        "smtp+tls://oss%40x.go.th:p%40ss@mail.x.go.th?from=oss@x.go.th"
    )
    assert mailer["BACKEND"].endswith("smtp.EmailBackend")
    assert mailer["OPTIONS"]["host"] == "mail.x.go.th"
    assert mailer["OPTIONS"]["port"] == 587
    assert mailer["OPTIONS"]["username"] == "oss@x.go.th"
    assert mailer["OPTIONS"]["password"] == "p@ss"
    assert mailer["OPTIONS"]["use_tls"] is True
    assert sender == "oss@x.go.th"
    with pytest.raises(ImproperlyConfigured):
        parse_email_url("carrier-pigeon://coop")


def test_every_thai_string_has_an_english_translation() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [] and fuzzy == []


def test_statuses_read_in_english_when_english_is_chosen() -> None:
    with translation.override("en"):
        assert str(Status.COMPLETED.label) == "Completed"
    with translation.override("th"):
        assert str(Status.COMPLETED.label) == "ดำเนินการแล้วเสร็จ"


def test_the_visitor_can_switch_the_site_to_english(client: Client, org_a: Organisation) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "ภาษาไทย" in body  # the switch back is offered in Thai


def test_pages_carry_a_content_security_policy_without_inline_scripts(
    client: Client, org_a: Organisation
) -> None:
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert script_src.startswith("script-src 'self'")
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


SETTINGS = Path(__file__).resolve().parent.parent / "config/settings.py"


def _load_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """Run the settings module afresh with this environment (DEBUG off unless given)."""
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.delenv("EMAIL_URL", raising=False)
    monkeypatch.delenv("ONESTOP_ALLOW_CONSOLE_EMAIL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize("email_url", [None, "console://"])
def test_production_refuses_to_start_with_e_mails_only_printed(
    monkeypatch: pytest.MonkeyPatch, email_url: str | None
) -> None:
    env = {"EMAIL_URL": email_url} if email_url else {}
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL is console://"):
        _load_settings(monkeypatch, **env)


def test_printed_e_mails_are_allowed_in_debug_or_when_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    console = "django.core.mail.backends.console.EmailBackend"
    assert _load_settings(monkeypatch, DEBUG="1")["MAILERS"]["default"]["BACKEND"] == console
    allowed = _load_settings(monkeypatch, ONESTOP_ALLOW_CONSOLE_EMAIL="1")
    assert allowed["MAILERS"]["default"]["BACKEND"] == console
    smtp = _load_settings(monkeypatch, EMAIL_URL="smtp://mail.example.go.th")
    assert smtp["MAILERS"]["default"]["BACKEND"].endswith("smtp.EmailBackend")
