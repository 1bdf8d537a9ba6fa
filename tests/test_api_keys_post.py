"""Open311 `POST requests` and `tokens/<token>` with API keys: a key is shown once and kept
hashed; revoked, read-only, other organisations' and made-up keys are refused in the spec's
error format (Thai and English); a key used past its rate limit gets 429 with Retry-After; the
wizard's validation applies; a retried POST with the same Idempotency-Key files one request;
what a plain HTTP client files shows up in the back office and in citizen tracking."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from onestop.api.keys import IssuedKey, api_key_create, api_key_revoke
from onestop.api.models import ApiKey, ApiThrottle
from onestop.cases.models import Case, Channel
from onestop.core.errors import DomainError
from onestop.core.models import AuditLog
from onestop.organisations.models import Organisation, Role
from tests import wizard
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff

API = "/wangchao/open311/v2"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


def issue(organisation: Organisation, staff: Staff, **extra: Any) -> IssuedKey:
    fields: dict[str, Any] = {"name": "แอปแจ้งเหตุ", "role": Role.COUNTER, "read_only": False}
    fields.update(extra)
    return api_key_create(organisation=organisation, actor=staff.admin, **fields)


def filing(**extra: str) -> dict[str, str]:
    data = {
        "service_code": "street-light",
        "description": "ไฟกิ่งหน้าบ้านเลขที่ 12 ดับมาสามคืนแล้ว",
        "first_name": "มาลี",
        "last_name": "ศรีสุข",
        "phone": "081-234-5678",
        "attribute[subject]": "ไฟถนนดับ",
        "attribute[title]": "นาง",
        "attribute[national_id]": "1103700012346",
        "attribute[house_no]": "12",
        "attribute[village_no]": "4",
        "lat": "16.987654",
        "long": "99.123456",
    }
    data.update(extra)
    return data


def post(client: Client, key: str | None, data: dict[str, str], fmt: str = "json",
         **extra: Any) -> Any:  # fmt: skip
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(f"{API}/requests.{fmt}", data, **headers, **extra)


def errors(response: Any) -> list[str]:
    body = json.loads(response.content)
    assert all(set(e) == {"code", "description"} for e in body)
    assert {e["code"] for e in body} == {response.status_code}
    return [e["description"] for e in body]


# --- Keys --------------------------------------------------------------------------------------


def test_a_key_is_shown_once_and_stored_only_as_a_hash(org_a: Organisation, staff_a: Staff) -> None:
    issued = issue(org_a, staff_a)
    stored = ApiKey.objects.get(pk=issued.key.pk)
    prefix, secret = issued.plaintext.split("_")[1], issued.plaintext.split("_", 2)[2]
    assert issued.plaintext.startswith(f"os_{stored.prefix}_") and prefix == stored.prefix
    assert len(secret) == 43  # 32 random bytes
    assert secret not in stored.secret_hash and len(stored.secret_hash) == 64
    assert not stored.user.has_usable_password() and not stored.user.is_active
    entry = AuditLog.objects.get(object_type="api_key", object_ref=stored.prefix)
    assert entry.actor == staff_a.admin and entry.details["change"] == "api_key_create"
    assert secret not in json.dumps(entry.details)


def test_a_department_role_needs_a_department_of_this_organisation(
    org_a: Organisation, org_b: Organisation, staff_a: Staff
) -> None:
    with pytest.raises(DomainError, match="กอง/สำนัก"):
        issue(org_a, staff_a, role=Role.OFFICER)
    with pytest.raises(DomainError, match="กอง/สำนัก"):
        issue(org_a, staff_a, role=Role.OFFICER, department=org_b.departments.first())
    with pytest.raises(DomainError):
        issue(org_a, staff_a, name="   ")


# --- POST requests -----------------------------------------------------------------------------


def test_a_request_filed_with_a_key_returns_its_number_and_token(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    response = post(client, issued.plaintext, filing())
    assert response.status_code == 201, response.content
    assert "Access-Control-Allow-Origin" not in response  # keys belong in servers
    [answer] = json.loads(response.content)
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    case = Case.objects.get(organisation=org_a, channel=Channel.API)
    assert answer["service_request_id"] == case.display_number
    assert (case.subject, case.requester_title, case.phone) == ("ไฟถนนดับ", "นาง", "+66812345678")
    assert case.details.startswith("ไฟกิ่ง") and case.house_no == "12"
    assert case.national_id_masked == "1-xxxx-xxxxx-xx-6"

    token = client.get(f"{API}/tokens/{answer['token']}.json")
    assert json.loads(token.content) == [
        {"service_request_id": case.display_number, "token": answer["token"]}
    ]
    root = ET.fromstring(client.get(f"{API}/tokens/{answer['token']}.xml").content)  # noqa: S314
    assert root.findtext("request/service_request_id") == case.display_number
    # it is public like any other request
    listed = json.loads(client.get(f"{API}/requests/{case.number}.json").content)
    assert listed[0]["service_code"] == "street-light"
    # on the record: filed by the key
    entry = AuditLog.objects.get(object_type="case", object_ref=case.number)
    assert entry.actor == issued.key.user and entry.details["api_key"] == issued.key.prefix
    assert ApiKey.objects.get(pk=issued.key.pk).last_used_at is not None


def test_the_api_key_parameter_and_xml_work_too(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    response = post(client, None, filing(api_key=issued.plaintext), fmt="xml")
    assert response.status_code == 201, response.content
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "service_requests"
    assert [e.tag for e in root[0]] == [
        "service_request_id",
        "token",
        "service_notice",
        "account_id",
    ]


def test_a_retried_post_with_the_same_idempotency_key_files_one_request(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    first = post(client, issued.plaintext, filing(), HTTP_IDEMPOTENCY_KEY="retry-1")
    again = post(client, issued.plaintext, filing(), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert json.loads(first.content) == json.loads(again.content)
    other = post(client, issued.plaintext, filing(), HTTP_IDEMPOTENCY_KEY="retry-2")
    assert other.status_code == 201
    assert Case.objects.filter(organisation=org_a, channel=Channel.API).count() == 2
    too_long = post(client, issued.plaintext, filing(), HTTP_IDEMPOTENCY_KEY="x" * 201)
    assert too_long.status_code == 400


def test_the_wizards_validation_applies_with_every_error_at_once(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    bad = filing(**{"attribute[national_id]": "1103700012345", "phone": "021234567",
                    "attribute[subject]": "", "lat": "16.9"})  # fmt: skip
    del bad["long"]
    response = post(client, issued.plaintext, bad)
    assert response.status_code == 400
    found = errors(response)
    assert any(m.startswith("attribute[national_id]:") for m in found), found
    assert any(m.startswith("phone:") for m in found), found
    assert any(m.startswith("attribute[subject]:") for m in found), found
    assert any(m.startswith("lat:") for m in found), found
    english = errors(post(client, issued.plaintext, bad, **EN))
    assert any("national ID" in m for m in english), english
    huge = post(client, issued.plaintext, filing(description="ก" * 5000))
    assert huge.status_code == 400 and errors(huge)[0].startswith("description:")
    hostile = post(client, issued.plaintext, filing(**{"attribute[subject]": "<script>x</script>"}))
    assert hostile.status_code == 201  # kept as text; every page escapes it
    assert Case.objects.filter(organisation=org_a, channel=Channel.API).count() == 1


def test_service_code_missing_unknown_or_confidential_is_a_400(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    confidential = org_a.request_types.filter(is_confidential=True).first()
    if confidential is None:
        confidential = org_a.request_types.get(key="general")
        confidential.is_confidential = True
        confidential.save(update_fields=["is_confidential"])
    for code in ("", "no-such-type", confidential.key):
        response = post(client, issued.plaintext, filing(service_code=code))
        assert response.status_code == 400, code
        assert "service_code" in errors(response)[0] or code in errors(response)[0]
    assert not Case.objects.filter(organisation=org_a, channel=Channel.API).exists()


def test_a_type_that_needs_an_id_card_photo_cannot_be_filed_through_open311(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    org_a.request_types.filter(key="street-light").update(id_card_required=True)
    response = post(client, issued.plaintext, filing())
    assert response.status_code == 400
    assert "บัตรประชาชน" in errors(response)[0]


# --- Permission matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_missing_made_up_revoked_and_foreign_keys_are_401(
    client: Client, org_b: Organisation, staff_a: Staff, staff_b: Staff, *, lang: str
) -> None:
    org_a = Organisation.objects.get(slug="wangchao")
    mine = issue(org_a, staff_a)
    revoked = issue(org_a, staff_a, name="เก่า")
    api_key_revoke(key=revoked.key, actor=staff_a.admin)
    foreign = issue(org_b, staff_b)
    wrong_secret = mine.plaintext[:-4] + ("AAAA" if not mine.plaintext.endswith("AAAA") else "BBBB")
    extra = EN if lang == "en" else {}
    for key in (None, "nonsense", wrong_secret, revoked.plaintext, foreign.plaintext):
        response = post(client, key, filing(), **extra)
        assert response.status_code == 401, key
        message = errors(response)[0]
        assert ("API key" in message) if lang == "en" else ("กุญแจ API" in message)
    assert not Case.objects.filter(channel=Channel.API).exists()
    entry = AuditLog.objects.get(object_ref=revoked.key.prefix, details__change="api_key_revoke")
    assert entry.actor == staff_a.admin


def test_a_read_only_key_cannot_file(client: Client, org_a: Organisation, staff_a: Staff) -> None:
    issued = issue(org_a, staff_a, read_only=True)
    response = post(client, issued.plaintext, filing())
    assert response.status_code == 403
    assert "อ่าน" in errors(response)[0]
    assert "read" in errors(post(client, issued.plaintext, filing(), **EN))[0]


@override_settings(ONESTOP_API_KEY_LIMIT=3)
def test_a_key_used_past_its_limit_gets_429_with_retry_after(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    statuses = [post(client, issued.plaintext, filing(service_code="x")).status_code
                for _ in range(3)]  # fmt: skip
    assert statuses == [400, 400, 400]
    refused = post(client, issued.plaintext, filing())
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert errors(refused)[0].startswith("เรียกใช้บริการถี่เกินไป")
    other = issue(org_a, staff_a, name="อีกระบบ")  # another key from the same address is fine
    assert post(client, other.plaintext, filing()).status_code == 201


@override_settings(ONESTOP_API_IP_LIMIT=2)
def test_an_address_guessing_keys_gets_429(client: Client, org_a: Organisation) -> None:
    assert post(client, "os_00000000_" + "A" * 43, filing()).status_code == 401
    assert post(client, "os_00000000_" + "B" * 43, filing()).status_code == 401
    refused = post(client, "os_00000000_" + "C" * 43, filing(), **EN)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Too many" in errors(refused)[0] or "too often" in errors(refused)[0].lower()


def test_an_unknown_token_is_404_in_both_formats(client: Client, org_a: Organisation) -> None:
    response = client.get(f"{API}/tokens/nope.json")
    assert response.status_code == 404 and errors(response)
    assert client.get(f"{API}/tokens/nope.xml").status_code == 404


def test_another_organisations_token_is_not_found_here(
    client: Client, org_a: Organisation, org_b: Organisation, staff_b: Staff
) -> None:
    issued = issue(org_b, staff_b)
    response = client.post(
        "/other/open311/v2/requests.json", filing(), HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}"
    )
    assert response.status_code == 201, response.content
    token = json.loads(response.content)[0]["token"]
    assert client.get(f"/other/open311/v2/tokens/{token}.json").status_code == 200
    assert client.get(f"{API}/tokens/{token}.json").status_code == 404


# --- A real client -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_plain_http_client_files_a_request_seen_in_the_inbox_and_in_tracking(
    live_server: Any, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    body = urllib.parse.urlencode(filing()).encode()
    call = urllib.request.Request(  # noqa: S310 (the test's own server)
        f"{live_server.url}{API}/requests.json", data=body, method="POST",
        headers={"Authorization": f"Bearer {issued.plaintext}", "Idempotency-Key": "one"},
    )  # fmt: skip
    with urllib.request.urlopen(call) as answer:  # noqa: S310
        assert answer.status == 201
        [filed] = json.loads(answer.read())
    number = filed["service_request_id"]
    with urllib.request.urlopen(f"{live_server.url}{API}/tokens/{filed['token']}.json") as answer:  # noqa: S310
        assert json.loads(answer.read())[0]["service_request_id"] == number

    staff = Client()
    staff.force_login(staff_a.counter)
    inbox = staff.get("/staff/wangchao/")
    assert number in inbox.content.decode()

    citizen = Client()
    case = Case.objects.get(organisation=org_a, channel=Channel.API)
    checked = citizen.post("/wangchao/track/", {"number": number, "digits": "5678"}, follow=True)
    assert case.subject in checked.content.decode()

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(  # noqa: S310
            urllib.request.Request(  # noqa: S310
                f"{live_server.url}{API}/requests.json", data=body, method="POST"
            )
        )
    assert refused.value.code == 401


# --- Back office: the administrators' page -----------------------------------------------------

KEYS_URL = "/staff/wangchao/api-keys/"  # onestop.api.staff_keys


def test_an_administrator_issues_a_key_shown_once_then_revokes_it(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    sign_in(client, staff_a.admin)
    page = client.post(KEYS_URL, {"name": "ระบบ LINE", "role": "counter", "read_only": ""})
    assert page.status_code == 200
    shown = re.search(r"os_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", page.content.decode())
    assert shown is not None
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    again = client.get(KEYS_URL).content.decode()
    assert "ระบบ LINE" in again and shown.group(0) not in again  # shown once only
    assert "ยังไม่เคยใช้" in again
    assert post(Client(), shown.group(0), filing()).status_code == 201
    used = client.get(KEYS_URL).content.decode()
    assert "ใช้ล่าสุดเมื่อ" in used and "127.0.0.1" in used
    key = ApiKey.objects.get(organisation=org_a, name="ระบบ LINE")
    response = client.post(f"{KEYS_URL}{key.pk}/revoke/")
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    assert post(Client(), shown.group(0), filing()).status_code == 401
    assert AuditLog.objects.filter(object_ref=key.prefix).count() == 2


def test_the_key_form_says_what_is_wrong(client: Client, staff_a: Staff) -> None:
    sign_in(client, staff_a.admin)
    for data, message in (
        ({"name": "", "role": "counter"}, "กรุณาตั้งชื่อกุญแจ"),
        ({"name": "ก" * 81, "role": "counter"}, "80"),
        ({"name": "x", "role": "officer"}, "ต้องระบุกอง/สำนัก"),
        ({"name": "x", "role": "superuser"}, "superuser"),
    ):
        page = client.post(KEYS_URL, data)
        assert page.status_code == 400, data
        assert message in page.content.decode(), data
    assert not ApiKey.objects.exists()


def test_only_administrators_of_this_organisation_manage_keys(
    client: Client, org_b: Organisation, staff_a: Staff, staff_b: Staff
) -> None:
    for user in (staff_a.counter, staff_a.head, staff_a.executive):
        sign_in(client, user)
        assert client.get(KEYS_URL).status_code == 404
    other = issue(org_b, staff_b)
    sign_in(client, staff_a.admin)
    assert client.post(f"{KEYS_URL}{other.key.pk}/revoke/").status_code == 404
    assert ApiKey.objects.get(pk=other.key.pk).revoked_at is None
    assert client.get("/staff/other/api-keys/").status_code == 404


# --- make demo ---------------------------------------------------------------------------------


def test_make_demo_prints_the_same_working_key_every_run_and_the_docs(
    client: Client, org_a: Organisation
) -> None:
    outputs = []
    with override_settings(DEBUG=True):
        for _run in range(2):
            out = io.StringIO()
            call_command("api_demo_key", stdout=out)
            outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    line = re.search(r"^API key: (os_\S+)$", outputs[0], re.MULTILINE)
    assert line is not None
    assert "/api/v1/docs" in outputs[0]
    assert ApiKey.objects.filter(organisation=org_a).count() == 1
    assert post(client, line.group(1), filing()).status_code == 201
    assert client.get("/api/v1/docs").status_code == 200


def test_the_demo_key_is_never_made_without_debug(org_a: Organisation) -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("api_demo_key", stdout=io.StringIO())
    assert not ApiKey.objects.exists()


def test_a_request_filed_in_the_wizard_shows_in_the_open311_listing(
    client: Client, org_a: Organisation
) -> None:
    wizard.to_review(client, org_a)
    assert wizard.confirm(client, org_a).status_code == 302
    case = Case.objects.get(organisation=org_a, channel=Channel.WEB)
    [row] = json.loads(client.get(f"{API}/requests.json?service_code=street-light").content)
    assert row["service_request_id"] == case.display_number and row["status"] == "open"
    [one] = json.loads(client.get(f"{API}/requests/{case.display_number}.json").content)
    assert one["service_name"] == "ไฟฟ้าสาธารณะ" and one["description"] is None


@override_settings(ONESTOP_API_KEY_LIMIT=1)
def test_finished_counters_are_pruned_and_the_key_works_again(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    assert post(client, issued.plaintext, filing(service_code="x")).status_code == 400
    assert post(client, issued.plaintext, filing()).status_code == 429
    out = io.StringIO()
    call_command("api_throttle_prune", stdout=out)
    assert out.getvalue().startswith("0 ")  # still locked: nothing to prune yet
    later = timezone.now() + dt.timedelta(minutes=5)
    ApiThrottle.objects.update(window_started_at=later - dt.timedelta(minutes=10),
                               locked_until=later - dt.timedelta(minutes=9))  # fmt: skip
    call_command("api_throttle_prune", stdout=out)
    assert not ApiThrottle.objects.exists()
    assert post(client, issued.plaintext, filing()).status_code == 201  # a fresh window


def test_a_key_in_the_query_string_is_not_accepted(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    issued = issue(org_a, staff_a)
    response = client.post(f"{API}/requests.json?api_key={issued.plaintext}", filing())
    assert response.status_code == 401  # URLs end up in logs; the spec puts it in the body
