"""Check results (ตรวจสอบผลดำเนินการ): request number + last 4 phone digits, posted; the status
page behind a verified session; what an attacker guessing numbers or digits gets."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from onestop.cases.models import Case
from onestop.cases.numbering import display, generate
from onestop.cases.services import case_transition
from onestop.cases.workflow import Actor, Status
from onestop.core.net import client_ip
from onestop.organisations.models import Organisation
from onestop.tracking import throttle
from onestop.tracking.models import TrackingThrottle
from tests.factories import make_case

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
NOT_FOUND = "ไม่พบคำร้องที่ตรงกับเลขที่คำร้องและเบอร์โทรศัพท์ 4 ตัวสุดท้ายที่กรอก"
LOCKED = "ระบบหยุดรับการตรวจสอบนี้ชั่วคราว"


def check(
    client: Client, case_or_number: Case | str, digits: str = "5678", ip: str = "203.0.113.7",
    slug: str = "wangchao", **extra: Any,
) -> Any:  # fmt: skip
    number = case_or_number if isinstance(case_or_number, str) else case_or_number.display_number
    return client.post(
        f"/{slug}/track/", {"number": number, "digits": digits}, REMOTE_ADDR=ip, **extra
    )


def unknown_number() -> str:
    return display(generate(2569))


@pytest.fixture
def case(org_a: Organisation) -> Case:
    return make_case(org_a, phone="0812345678", subject="แจ้งไฟฟ้าดับหน้าบ้าน")


# --- The form --------------------------------------------------------------------------------


def test_the_form_asks_for_the_number_and_the_last_four_digits(
    client: Client, org_a: Organisation
) -> None:
    response = client.get("/wangchao/track/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "เลขที่คำร้อง" in html and "เบอร์โทรศัพท์ 4 ตัวสุดท้าย" in html and "ค้นหา" in html
    assert re.search(r'<form method="post" action="/wangchao/track/"', html)
    assert "no-store" in response["Cache-Control"]


def test_the_form_in_english(client: Client, org_a: Organisation) -> None:
    response = client.get("/wangchao/track/", **EN)
    assert response.status_code == 200 and 'lang="en"' in response.content.decode()


def test_a_qr_code_link_fills_in_the_number_only(client: Client, case: Case) -> None:
    html = client.get(f"/wangchao/track/?number={case.number}").content.decode()
    assert f'value="{case.display_number}"' in html
    assert 'name="digits"' in html and re.search(r'name="digits"[^>]*value=', html) is None


def test_digits_in_a_get_query_are_dropped_from_the_address(client: Client, case: Case) -> None:
    response = client.get(f"/wangchao/track/?number={case.number}&digits=5678&phone=5678")
    assert response.status_code == 302
    assert response["Location"] == f"/wangchao/track/?number={case.number}"
    html = client.get(response["Location"]).content.decode()
    assert "5678" not in html
    assert client.get("/wangchao/track/status/").status_code == 302  # not verified


def test_the_status_page_cannot_be_reached_by_get_with_the_pair(client: Client, case: Case) -> None:
    response = client.get(f"/wangchao/track/status/?number={case.number}&digits=5678")
    assert response.status_code == 302 and response["Location"] == "/wangchao/track/"


def test_a_mistyped_number_is_pointed_out_without_a_look_up(client: Client, case: Case) -> None:
    wrong_check_digit = case.number[:-1] + str((int(case.number[-1]) + 1) % 10)
    response = check(client, wrong_check_digit)
    html = response.content.decode()
    assert response.status_code == 200 and "เลขที่คำร้องไม่ถูกต้อง" in html
    assert 'href="#id_number"' in html  # the error summary links to the field
    assert not TrackingThrottle.objects.exists()


@pytest.mark.parametrize("digits", ["", "12", "12345", "abcd", "12a4"])
def test_the_digits_must_be_four_digits(client: Client, case: Case, digits: str) -> None:
    html = check(client, case, digits=digits).content.decode()
    assert "กรุณากรอก" in html and 'href="#id_digits"' in html
    assert client.get("/wangchao/track/status/").status_code == 302


def test_thai_digits_and_any_separators_are_accepted(client: Client, case: Case) -> None:
    thai = case.number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    response = check(client, " ".join([thai[:2], thai[2:7], thai[7:]]), digits="๕๖๗๘")
    assert response.status_code == 302


# --- A correct pair --------------------------------------------------------------------------


def test_the_right_pair_opens_the_status_page_through_a_redirect(
    client: Client, case: Case
) -> None:
    response = check(client, case)
    assert response.status_code == 302
    assert response["Location"] == "/wangchao/track/status/"
    assert "no-store" in response["Cache-Control"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "สถานะการดำเนินงาน" in html
    assert case.display_number in html and "แจ้งไฟฟ้าดับหน้าบ้าน" in html
    assert "ไฟฟ้าสาธารณะ" in html  # the type
    assert "ยื่นคำร้อง" in html  # the status, in plain Thai
    assert "กองช่าง" in html  # the responsible department
    assert "กำหนดแล้วเสร็จ" in html
    assert 'href="/wangchao/track/status/document/"' in html


def test_the_status_page_shows_no_personal_data(client: Client, case: Case) -> None:
    check(client, case)
    html = client.get("/wangchao/track/status/").content.decode()
    for personal in (
        "มาลี", "ศรีสุข", "5678", "0812345678", case.national_id_masked, "12/3", "ถนนพหลโยธิน",
        "ไฟส่องสว่างหน้าบ้านดับ",  # the details may hold anything
    ):  # fmt: skip
        assert personal not in html, personal


def test_the_status_page_in_english(client: Client, case: Case) -> None:
    check(client, case)
    response = client.get("/wangchao/track/status/", **EN)
    html = response.content.decode()
    assert response.status_code == 200 and 'lang="en"' in html
    assert case.display_number in html and "Public electricity / street lights" in html


def test_the_session_id_changes_when_the_pair_is_verified(client: Client, case: Case) -> None:
    client.get("/wangchao/track/")
    client.session.save()
    before = client.session.session_key
    check(client, case)
    assert client.session.session_key != before


def test_the_verified_session_expires_after_thirty_minutes(client: Client, case: Case) -> None:
    check(client, case)
    assert client.get("/wangchao/track/status/").status_code == 200
    later = __import__("time").time() + 31 * 60
    with mock.patch("onestop.tracking.views.time.time", return_value=later):
        response = client.get("/wangchao/track/status/")
    assert response.status_code == 302 and response["Location"] == "/wangchao/track/"


def test_leaving_forgets_the_request(client: Client, case: Case) -> None:
    check(client, case)
    client.post("/wangchao/track/leave/")
    assert client.get("/wangchao/track/status/").status_code == 302


def test_a_session_for_one_organisation_opens_nothing_at_another(
    client: Client, case: Case, org_b: Organisation
) -> None:
    check(client, case)
    assert client.get("/other/track/status/").status_code == 302
    assert client.get("/other/track/status/document/").status_code == 404


def test_the_status_of_an_unknown_organisation_is_not_found(client: Client, db: None) -> None:
    assert client.get("/nowhere/track/").status_code == 404
    assert client.get("/nowhere/track/status/").status_code == 404


# --- Nothing tells a wrong pair apart ----------------------------------------------------------


def _normalised(response: Any, number: str) -> str:
    html: str = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    return html.replace(display(number.replace("-", "")), "NUMBER")


def test_unknown_number_and_wrong_digits_get_identical_responses(
    client: Client, case: Case
) -> None:
    other = unknown_number()
    wrong_digits = check(client, case, digits="0000", ip="198.51.100.1")
    unknown = check(client, other, digits="5678", ip="198.51.100.2")
    assert wrong_digits.status_code == unknown.status_code == 200
    assert NOT_FOUND in wrong_digits.content.decode()
    assert _normalised(wrong_digits, case.number) == _normalised(unknown, other)
    assert "0000" not in wrong_digits.content.decode()  # the digits are not echoed


def test_another_organisations_number_gets_the_same_not_found(
    client: Client, case: Case, org_b: Organisation
) -> None:
    theirs = make_case(org_b, phone="0812345678")
    at_a = check(client, theirs, digits="5678")  # the right digits, the wrong organisation
    unknown = check(client, (other := unknown_number()), digits="5678")
    assert at_a.status_code == 200
    assert _normalised(at_a, theirs.number) == _normalised(unknown, other)
    assert client.get("/wangchao/track/status/").status_code == 302


def test_both_wrong_paths_make_the_same_queries(
    client: Client, case: Case, django_assert_max_num_queries: Any
) -> None:
    check(client, unknown_number(), ip="198.51.100.1")  # warm up the address's counter
    with django_assert_max_num_queries(50) as wrong:
        check(client, case, digits="0000", ip="198.51.100.1")
    with django_assert_max_num_queries(50) as unknown:
        check(client, unknown_number(), digits="5678", ip="198.51.100.1")
    shapes = [
        [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", q["sql"]) for q in c.captured_queries]
        for c in (wrong, unknown)
    ]
    assert shapes[0] == shapes[1]


def test_every_failure_is_logged_without_the_digits(
    client: Client, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="onestop.tracking"):
        check(client, case, digits="0000")
    failures = [r for r in caplog.records if "tracking failure" in r.getMessage()]
    assert len(failures) == 1
    assert case.number in failures[0].getMessage() and "203.0.113.7" in failures[0].getMessage()
    assert "0000" not in failures[0].getMessage()


# --- Rate limits -------------------------------------------------------------------------------


def test_the_sixth_attempt_on_a_number_is_refused_whatever_the_address(
    client: Client, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="onestop.tracking"):
        for n in range(4):
            assert check(client, case, digits="0000", ip=f"192.0.2.{n}").status_code == 200
        fifth = check(client, case, digits="0000", ip="192.0.2.50")
        sixth = check(client, case, digits="5678", ip="192.0.2.60")  # even the right digits
    assert fifth.status_code == 429
    assert sixth.status_code == 429
    html = sixth.content.decode()
    assert LOCKED in html and "กรุณาลองใหม่หลังเวลา" in html and "15 นาที" in html
    assert 840 <= int(sixth["Retry-After"]) <= 900
    assert "no-store" in sixth["Cache-Control"]
    assert client.get("/wangchao/track/status/").status_code == 302
    messages = [r.getMessage() for r in caplog.records]
    assert sum("tracking failure" in m for m in messages) == 5
    assert any("tracking lock scope=number" in m for m in messages)
    assert any("tracking refused while locked" in m for m in messages)


def test_an_unknown_number_locks_exactly_like_a_real_one(client: Client, case: Case) -> None:
    other = unknown_number()
    for n in range(5):
        real = check(client, case, digits="0000", ip=f"192.0.2.{n}")
        fake = check(client, other, digits="0000", ip=f"192.0.2.{n + 100}")
    assert real.status_code == fake.status_code == 429
    assert _normalised(real, case.number) == _normalised(fake, other)


def test_the_lock_ends_after_the_window(client: Client, case: Case) -> None:
    for n in range(5):
        check(client, case, digits="0000", ip=f"192.0.2.{n}")
    later = timezone.now() + dt.timedelta(minutes=16)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert check(client, case, ip="192.0.2.99").status_code == 302


def test_failures_older_than_the_window_are_forgotten(client: Client, case: Case) -> None:
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start):
        for n in range(4):
            check(client, case, digits="0000", ip=f"192.0.2.{n}")
    with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(minutes=16)):
        assert check(client, case, digits="0000", ip="192.0.2.9").status_code == 200
        assert check(client, case, ip="192.0.2.9").status_code == 302


@override_settings(ONESTOP_TRACKING_IP_LIMIT=8)
def test_many_numbers_from_one_address_lock_that_address(
    client: Client, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="onestop.tracking"):
        responses = [check(client, unknown_number(), ip="203.0.113.9") for _ in range(8)]
    assert [r.status_code for r in responses] == [200] * 7 + [429]
    refused = check(client, case, ip="203.0.113.9")  # even a right pair, from that address
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert check(client, case, ip="203.0.113.10").status_code == 302  # others are not affected
    assert any("tracking lock scope=ip" in r.getMessage() for r in caplog.records)


def test_the_address_limit_is_looser_than_the_number_limit(settings: Any) -> None:
    assert settings.ONESTOP_TRACKING_IP_LIMIT > settings.ONESTOP_TRACKING_NUMBER_LIMIT == 5


@override_settings(ONESTOP_TRACKING_IP_LIMIT=8)
def test_a_forged_forwarded_for_is_ignored_without_a_trusted_proxy(
    client: Client, case: Case
) -> None:
    for n in range(8):
        check(client, unknown_number(), ip="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    refused = check(client, case, ip="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert refused.status_code == 429


def test_the_client_address_is_the_connecting_one_without_a_trusted_proxy(
    rf: RequestFactory,
) -> None:
    request = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.5"


@override_settings(ONESTOP_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_address_is_read_from_the_right(rf: RequestFactory) -> None:
    # The client sent a forged "1.2.3.4"; our proxy appended the address it saw.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert client_ip(request) == "198.51.100.20"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbage) == "10.0.0.2"
    direct = rf.get("/", REMOTE_ADDR="10.0.0.2")
    assert client_ip(direct) == "10.0.0.2"


@override_settings(ONESTOP_TRUSTED_PROXY_COUNT=2)
def test_with_two_trusted_proxies_the_second_from_the_right_is_the_client(
    rf: RequestFactory,
) -> None:
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20, 10.0.0.2"
    )
    assert client_ip(request) == "198.51.100.20"


@override_settings(ONESTOP_TRUSTED_PROXY_COUNT=1, ONESTOP_TRACKING_IP_LIMIT=3)
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client: Client, case: Case) -> None:
    for _ in range(3):
        check(client, unknown_number(), ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    refused = check(client, case, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert refused.status_code == 429
    other_client = check(client, case, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.2")
    assert other_client.status_code == 302


@override_settings(ONESTOP_TRACKING_IP_LIMIT=3)
def test_ipv6_addresses_count_per_network(client: Client, case: Case) -> None:
    for n in range(3):
        check(client, unknown_number(), ip=f"2001:db8:1:2::{n + 1}")
    assert check(client, case, ip="2001:db8:1:2::ffff").status_code == 429
    assert check(client, case, ip="2001:db8:1:3::1").status_code == 302


def test_the_counters_hold_neither_numbers_nor_addresses(client: Client, case: Case) -> None:
    check(client, case, digits="0000")
    for row in TrackingThrottle.objects.all():
        assert case.number not in row.key and "203.0.113.7" not in row.key


def test_old_counters_are_pruned(client: Client, case: Case) -> None:
    check(client, case, digits="0000")
    assert throttle.prune() == 0
    assert throttle.prune(now=timezone.now() + dt.timedelta(minutes=16)) == 2


def test_the_daily_prune_command_keeps_live_counters(client: Client, case: Case) -> None:
    check(client, case, digits="0000")
    out = io.StringIO()
    call_command("tracking_prune", stdout=out)
    assert out.getvalue().strip() == "0 expired counter(s) deleted"


# --- The status changes ------------------------------------------------------------------------


def test_the_timeline_shows_status_changes_and_public_messages_only(
    client: Client, case: Case
) -> None:
    case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    case_transition(
        case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF,
        public_message="ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้",
        internal_note="ผู้ร้องโทรมาตามหลายครั้ง",
    )  # fmt: skip
    check(client, case)
    html = client.get("/wangchao/track/status/").content.decode()
    assert "กำลังดำเนินการ" in html and "รับเรื่อง" in html
    assert "ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้" in html
    assert "ผู้ร้องโทรมาตามหลายครั้ง" not in html


@override_settings(ONESTOP_TRACKING_IP_LIMIT=3)
def test_ipv4_clients_on_a_dual_stack_socket_count_per_address_not_as_one_network(
    client: Client, case: Case
) -> None:
    for _ in range(3):
        check(client, unknown_number(), ip="::ffff:203.0.113.9")
    # The same IPv4 client, seen without the mapping, is locked...
    assert check(client, case, ip="203.0.113.9").status_code == 429
    # ...but other IPv4 clients on the same socket (one IPv6 /64 if read as IPv6) are not.
    assert check(client, case, ip="::ffff:203.0.113.10").status_code == 302


@override_settings(ONESTOP_TRUSTED_PROXY_COUNT=1)
def test_a_mapped_ipv4_address_is_read_as_ipv4_directly_and_through_a_proxy(
    rf: RequestFactory,
) -> None:
    assert client_ip(rf.get("/", REMOTE_ADDR="::ffff:203.0.113.5")) == "203.0.113.5"
    forwarded = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="::ffff:198.51.100.20")
    assert client_ip(forwarded) == "198.51.100.20"


def test_downloading_the_document_again_reads_the_kept_file_in_four_queries(
    client: Client, case: Case, django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second download of the same version renders nothing: the session, the organisation,
    the request (with its organisation and type) and the count of its files, then the file."""
    check(client, case)
    first = client.get("/wangchao/track/status/document/")
    assert first.status_code == 200

    def no_render(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("rendered again")

    monkeypatch.setattr("onestop.documents.pdf.request_document_pdf", no_render)
    with django_assert_num_queries(4):
        again = client.get("/wangchao/track/status/document/")
    assert again.content == first.content
