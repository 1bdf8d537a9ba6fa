"""Staff sign-in: username or e-mail, throttling, sign-out, inactivity, password reset by real
e-mail (SMTP), and the second factor required of organisation administrators."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings as SettingsWrapper

from onestop.accounts.middleware import SESSION_KEY
from onestop.accounts.throttle import prune as reset_prune
from onestop.organisations.models import Organisation, Role
from onestop.organisations.services import staff_create
from tests.backoffice_helpers import sign_in
from tests.conftest import PASSWORD, Staff
from tests.smtp import SmtpInbox

LOGIN = "/staff/login/"


def test_staff_sign_in_with_their_username(staff_a: Staff, client: Client) -> None:
    response = client.post(LOGIN, {"username": "a-counter", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/", follow=True).request["PATH_INFO"] == "/staff/wangchao/"


def test_staff_sign_in_with_their_email_in_any_case(staff_a: Staff, client: Client) -> None:
    response = client.post(LOGIN, {"username": "A-Counter@Example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff_a.counter.pk


def test_an_email_shared_by_two_accounts_signs_in_neither(staff_a: Staff, client: Client) -> None:
    User.objects.create_user("twin", email="a-counter@example.com", password=PASSWORD)
    response = client.post(LOGIN, {"username": "a-counter@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused_with_a_thai_message(staff_a: Staff, client: Client) -> None:
    response = client.post(LOGIN, {"username": "a-counter", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้/อีเมล หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_repeated_failures_throttle_the_account_with_a_clear_thai_message(
    staff_a: Staff, client: Client
) -> None:
    for _attempt in range(5):
        client.post(LOGIN, {"username": "a-counter", "password": "wrong"})
    # Now even the right password is refused for a while, and the page says why.
    response = client.post(LOGIN, {"username": "a-counter", "password": PASSWORD})
    assert response.status_code == 429
    assert "ลงชื่อเข้าใช้ผิดหลายครั้งเกินไป" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_throttle_counts_username_and_email_as_one_account(
    staff_a: Staff, client: Client
) -> None:
    for attempt in range(5):
        typed = "a-counter" if attempt % 2 else "a-counter@example.com"
        client.post(LOGIN, {"username": typed, "password": "wrong"})
    response = client.post(LOGIN, {"username": "a-counter@example.com", "password": PASSWORD})
    assert response.status_code == 429


def test_the_throttle_is_lifted_after_the_cool_off(
    staff_a: Staff, client: Client, settings: SettingsWrapper
) -> None:
    settings.AXES_COOLOFF_TIME = 0.0001  # hours: a third of a second
    for _attempt in range(5):
        client.post(LOGIN, {"username": "a-counter", "password": "wrong"})
    time.sleep(0.5)
    response = client.post(LOGIN, {"username": "a-counter", "password": PASSWORD})
    assert response.status_code == 302


def test_signing_out_ends_the_session(staff_a: Staff, client: Client) -> None:
    sign_in(client, staff_a.counter)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/staff/wangchao/").status_code == 302


def test_signing_out_everywhere_ends_the_other_devices_sessions(
    staff_a: Staff, client: Client
) -> None:
    other_device = sign_in(Client(), staff_a.counter)
    sign_in(client, staff_a.counter)
    client.post(reverse("accounts:logout-everywhere"))
    response = other_device.get("/staff/wangchao/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_session_idle_too_long_is_signed_out(
    staff_a: Staff, client: Client, settings: SettingsWrapper
) -> None:
    settings.ONESTOP_STAFF_IDLE_MINUTES = 30
    sign_in(client, staff_a.counter)
    assert client.get("/staff/wangchao/").status_code == 200
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/staff/wangchao/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_session_in_use_stays_signed_in(
    staff_a: Staff, client: Client, settings: SettingsWrapper
) -> None:
    settings.ONESTOP_STAFF_IDLE_MINUTES = 30
    sign_in(client, staff_a.counter)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/staff/wangchao/").status_code == 200


# Password reset over a real SMTP conversation -------------------------------------------------


def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(
    staff_a: Staff, client: Client, smtp_server: SmtpInbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the worker delivers it on commit
        response = client.post(
            reverse("accounts:password-reset"), {"email": "a-officer@example.com"}
        )
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "a-officer@example.com"
    assert "ตั้งรหัสผ่านใหม่" in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/staff/password/reset/\S+/)", body)
    assert link is not None, body

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "ลืมแล้วจำใหม่-ตาก-2569"
    done = client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert (
        Client().post(LOGIN, {"username": "a-officer", "password": new_password}).status_code == 302
    )
    # The link works once.
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in client.get(link.group(1), follow=True).content.decode()


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    staff_a: Staff, client: Client, smtp_server: SmtpInbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert smtp_server.messages == []


def test_a_weak_new_password_is_refused(
    staff_a: Staff, client: Client, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": "a-officer@example.com"})
    link = re.search(r"(/staff/password/reset/\S+/)", mailoutbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.request["PATH_INFO"], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


# Second factor for organisation administrators -----------------------------------------------


def _current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_an_administrator_must_set_up_a_second_factor_before_the_back_office(
    staff_a: Staff, org_a: Organisation, client: Client, settings: SettingsWrapper
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise delays the next try by 1 s
    client.post(LOGIN, {"username": "a-admin", "password": PASSWORD})
    response = client.get("/staff/wangchao/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/2fa/")
    setup = client.get(response["Location"])
    assert "คิวอาร์โค้ด" in setup.content.decode()
    assert 'src="data:image/svg+xml' in setup.content.decode()

    device = TOTPDevice.objects.get(user=staff_a.admin)
    assert not device.confirmed
    wrong = client.post(
        response["Location"],
        {
            "token": "000000" if _current_code(device) != "000000" else "111111",
            "next": "/staff/wangchao/",
        },
    )
    assert wrong.status_code == 400
    assert client.get("/staff/wangchao/").status_code == 302

    done = client.post(
        response["Location"], {"token": _current_code(device), "next": "/staff/wangchao/"}
    )
    assert done.status_code == 302
    assert done["Location"] == "/staff/wangchao/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/wangchao/").status_code == 200


def test_an_administrator_signing_in_again_enters_a_code_without_a_new_qr(
    staff_a: Staff, client: Client
) -> None:
    device = TOTPDevice.objects.create(user=staff_a.admin, name="app", confirmed=True)
    client.post(LOGIN, {"username": "a-admin", "password": PASSWORD})
    page = client.get("/staff/2fa/")
    assert "คิวอาร์โค้ด" not in page.content.decode()
    response = client.post("/staff/2fa/", {"token": _current_code(device), "next": "/staff/"})
    assert response.status_code == 302
    assert client.get("/staff/wangchao/").status_code == 200


def test_the_second_factor_page_never_redirects_off_site(staff_a: Staff, client: Client) -> None:
    device = TOTPDevice.objects.create(user=staff_a.admin, name="app", confirmed=True)
    client.post(LOGIN, {"username": "a-admin", "password": PASSWORD})
    response = client.post(
        "/staff/2fa/", {"token": _current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/staff/"


def test_other_roles_need_no_second_factor(staff_a: Staff, client: Client) -> None:
    client.post(LOGIN, {"username": "a-executive", "password": PASSWORD})
    assert client.get("/staff/wangchao/").status_code == 200


def test_an_administrator_of_one_organisation_uses_the_code_in_every_organisation(
    org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    staff_create(organisation=org_b, username="a-admin", password=PASSWORD, role=Role.COUNTER)
    client.post(LOGIN, {"username": "a-admin", "password": PASSWORD})
    response = client.get(f"/staff/{org_b.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/2fa/")


@override_settings(ONESTOP_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_attacker_locks_only_their_address_and_the_attacked_account(
    staff_a: Staff,
) -> None:
    proxy = "10.0.0.2"  # every request arrives from our reverse proxy
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _attempt in range(5):
        attacker.post(LOGIN, {"username": "a-counter", "password": "wrong"})
    assert attacker.post(LOGIN, {"username": "a-counter", "password": PASSWORD}).status_code == 429
    # The attacker's address is locked for every account...
    assert attacker.post(LOGIN, {"username": "a-officer", "password": PASSWORD}).status_code == 429
    # ...and the attacked account from every address; another member elsewhere signs in.
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert colleague.post(LOGIN, {"username": "a-counter", "password": PASSWORD}).status_code == 429
    assert colleague.post(LOGIN, {"username": "a-officer", "password": PASSWORD}).status_code == 302


def test_an_ipv4_client_on_a_dual_stack_socket_is_locked_as_its_ipv4_address(
    staff_a: Staff,
) -> None:
    mapped = Client(REMOTE_ADDR="::ffff:203.0.113.66")
    for _attempt in range(5):
        mapped.post(LOGIN, {"username": "a-counter", "password": "wrong"})
    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"
    # A neighbour in the same IPv6 /64 as the mapped form is not locked with it.
    neighbour = Client(REMOTE_ADDR="::ffff:203.0.113.67")
    assert neighbour.post(LOGIN, {"username": "a-officer", "password": PASSWORD}).status_code == 302


# Password reset: rate limited per address typed and per client address -------------------

RESET = "/staff/password/reset/"
TOO_MANY = "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป"


def _reset(email: str, ip: str, **extra: Any) -> Any:
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=ip, **extra)


def test_password_reset_is_limited_per_account_whatever_the_address(
    staff_a: Staff, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends on commit
        for n in range(3):
            assert _reset("a-officer@example.com", f"198.51.100.{n + 1}").status_code == 302
        refused = _reset("A-Officer@example.com ", "198.51.100.9")
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert len(mailoutbox) == 3
    assert _reset("a-counter@example.com", "198.51.100.9").status_code == 302
    english = _reset("a-officer@example.com", "198.51.100.9", HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many password reset requests" in english.content.decode()


def test_password_reset_is_limited_per_client_address(
    staff_a: Staff, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends on commit
        for n in range(10):
            assert _reset(f"someone-{n}@example.com", "203.0.113.50").status_code == 302
        assert _reset("a-officer@example.com", "203.0.113.50").status_code == 429
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert _reset("a-officer@example.com", "203.0.113.51").status_code == 302
    assert len(mailoutbox) == 1


def test_the_reset_limit_does_not_tell_whether_an_account_exists(staff_a: Staff) -> None:
    def refusal(email: str, ip: str) -> tuple[int, str]:
        for _attempt in range(3):
            _reset(email, ip)
        response = _reset(email, ip)
        page = re.sub(r'value="[^"]+"', "", response.content.decode())  # CSRF tokens differ
        return response.status_code, page.replace(email, "")

    assert refusal("a-officer@example.com", "198.51.100.1") == refusal(
        "nobody@example.com", "198.51.100.2"
    )


def test_old_password_reset_counters_are_pruned(staff_a: Staff) -> None:
    _reset("a-officer@example.com", "198.51.100.1")
    out = io.StringIO()
    call_command("password_reset_prune", stdout=out)
    assert out.getvalue().startswith("0 ")
    assert reset_prune(now=timezone.now() + dt.timedelta(minutes=61)) == 2


@pytest.mark.parametrize("path", ["/", "/wangchao/", "/wangchao/oss/"])
def test_the_home_and_organisation_pages_carry_a_discreet_staff_sign_in_link_in_the_footer(
    client: Client, org_a: Organisation, path: str
) -> None:
    html = client.get(path).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="/staff/login/"' in footer and "สำหรับเจ้าหน้าที่: เข้าสู่ระบบ" in footer
    assert 'href="/staff/login/"' not in html[: html.index('<footer class="site-footer">')]
    assert client.get("/staff/login/").status_code == 200
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staff sign-in" in english
