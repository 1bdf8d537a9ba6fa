"""The staff JSON API (/api/v1/<org>/…): the inbox with its filters and keyset pages, one
request with its timeline, and the workflow actions through the back office's action table,
with the key's role's permissions, the version check (409), the audit trail under the key's
name, and the permission matrix: other organisations' keys, revoked and read-only keys,
confidential types, department scope."""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onestop.api.keys import IssuedKey, api_key_create, api_key_revoke
from onestop.cases.models import Case
from onestop.cases.workflow import Status
from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Organisation, Role
from tests.conftest import Staff
from tests.factories import make_case

BASE = "/api/v1/wangchao"


def issue(organisation: Organisation, staff: Staff, **extra: Any) -> IssuedKey:
    fields: dict[str, Any] = {"name": "ระบบงานสารบรรณ", "role": Role.COUNTER, "read_only": False}
    fields.update(extra)
    return api_key_create(organisation=organisation, actor=staff.admin, **fields)


def call(client: Client, key: IssuedKey | str | None, url: str, body: Any = None,
         status: int = 200, **extra: Any) -> Any:  # fmt: skip
    text = key.plaintext if isinstance(key, IssuedKey) else key
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {text}"} if text else {}
    if body is None:
        response = client.get(url, **headers, **extra)
    else:
        response = client.post(
            url, json.dumps(body), content_type="application/json", **headers, **extra
        )
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def act(client: Client, key: IssuedKey, case: Case, action: str, status: int = 200,
        **body: Any) -> Any:  # fmt: skip
    body.setdefault("version", Case.objects.get(pk=case.pk).version)
    return call(client, key, f"{BASE}/requests/{case.number}/actions/{action}", body, status)


def test_the_inbox_lists_filters_and_pages_with_a_cursor(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    key = issue(org_a, staff_a, read_only=True)
    for _ in range(5):
        make_case(org_a)
    drain = make_case(org_a, type_key="road-drain")
    newest = list(
        Case.objects.filter(organisation=org_a)
        .order_by("-submitted_at", "-pk")
        .values_list("number", flat=True)
    )
    first = call(client, key, f"{BASE}/requests?page_size=2")
    assert [i["number"] for i in first["items"]] == newest[:2]
    assert first["counts"]["all"] == 6 and first["next_cursor"]
    after = urllib.parse.quote(first["next_cursor"])  # a cursor is text: quote it
    second = call(client, key, f"{BASE}/requests?page_size=2&after={after}")
    assert [i["number"] for i in second["items"]] == newest[2:4]
    request_type = drain.request_type_id
    only = call(client, key, f"{BASE}/requests?request_type={request_type}")
    assert [i["number"] for i in only["items"]] == [drain.number]
    assert only["items"][0]["service_code"] == "road-drain"
    assert call(client, key, f"{BASE}/requests?status=completed")["items"] == []
    search = call(client, key, f"{BASE}/requests?q={drain.display_number}")
    assert [i["number"] for i in search["items"]] == [drain.number]
    entry = AuditLog.objects.filter(action=AuditAction.LIST_VIEW).latest("pk")
    assert entry.actor == key.key.user and entry.details["api"] is True
    bad = call(client, key, f"{BASE}/requests?page_size=many&sort=sideways", status=422)
    assert bad["code"] == "invalid" and set(bad["errors"]) == {"page_size", "sort"}


def test_one_request_with_its_timeline_and_masked_identity(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    key = issue(org_a, staff_a, read_only=True)
    case = make_case(org_a, national_id="1103700012346", phone="0812345678")
    found = call(client, key, f"{BASE}/requests/{case.display_number}")
    assert found["number"] == case.number and found["status"] == "submitted"
    assert found["requester"]["national_id_masked"] == "1-xxxx-xxxxx-xx-6"
    assert found["requester"]["phone_masked"] == "08x-xxx-5678"
    assert "1103700012346" not in json.dumps(found) and "812345678" not in json.dumps(found)
    assert [e["move"] for e in found["timeline"]] == ["submit"]
    assert set(found["actions"]) == {"receive", "assign", "forward", "reject"}
    entry = AuditLog.objects.get(action=AuditAction.CASE_VIEW, object_ref=case.number)
    assert entry.actor == key.key.user and entry.actor.get_full_name() == "ระบบงานสารบรรณ"


def test_workflow_actions_go_through_the_action_table_and_show_on_tracking(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    key = issue(org_a, staff_a)
    case = make_case(org_a, phone="0812345678")
    received = act(client, key, case, "receive", public_message="รับเรื่องแล้ว จะส่งช่างไปดู")
    assert received["status"] == "received" and received["version"] == case.version + 1
    assert received["timeline"][-1]["actor"] == "ระบบงานสารบรรณ"
    stale = act(client, key, case, "note", status=409, version=case.version,
                public_message="ซ้ำ")  # fmt: skip
    assert stale["code"] in {"stale", "illegal_transition"}
    act(client, key, case, "start")
    act(client, key, case, "ask", public_message="ขอรูปถ่ายเสาไฟเพิ่มเติม")
    assert Case.objects.get(pk=case.pk).status == Status.WAITING_CITIZEN
    entry = AuditLog.objects.filter(object_ref=case.number, action=AuditAction.CASE_CHANGE)
    assert entry.exists() and {e.actor for e in entry} == {key.key.user}

    citizen = Client()
    page = citizen.post("/wangchao/track/", {"number": case.number, "digits": "5678"},
                        follow=True).content.decode()  # fmt: skip
    assert "ขอรูปถ่ายเสาไฟเพิ่มเติม" in page and "รับเรื่องแล้ว จะส่งช่างไปดู" in page


def test_action_input_is_checked_like_the_case_page(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    key = issue(org_a, staff_a)
    case = make_case(org_a)
    act(client, key, case, "receive")
    missing = act(client, key, case, "forward", status=400)  # no agency
    assert "agency" in missing["errors"]
    needs_reason = act(client, key, case, "reject", status=400)
    assert "public_message" in needs_reason["errors"]
    huge = act(client, key, case, "note", status=400, public_message="ก" * 4001)
    assert "public_message" in huge["errors"]
    act(client, key, case, "forward", agency="สำนักงานการไฟฟ้าส่วนภูมิภาคอำเภอวังเจ้า")
    assert Case.objects.get(pk=case.pk).status == Status.FORWARDED
    unknown = call(client, key, f"{BASE}/requests/{case.number}/actions/delete",
                   {"version": 1}, status=422)  # fmt: skip
    assert unknown["code"] == "invalid"
    no_version = call(client, key, f"{BASE}/requests/{case.number}/actions/note", {}, status=422)
    assert "version" in json.dumps(no_version["errors"])


def test_the_keys_role_decides_what_it_may_do(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    case = make_case(org_a)
    executive = issue(org_a, staff_a, role=Role.EXECUTIVE, name="แดชบอร์ด")
    assert act(client, executive, case, "receive", status=403)["code"] == "forbidden"
    other = org_a.departments.exclude(key="engineering").first()
    officer = issue(org_a, staff_a, role=Role.OFFICER, department=other, name="กองอื่น")
    # a department role sees only its department's requests: the same 404 as a missing one
    call(client, officer, f"{BASE}/requests/{case.number}", status=404)
    assert call(client, officer, f"{BASE}/requests")["items"] == []
    read_only = issue(org_a, staff_a, read_only=True, name="อ่านอย่างเดียว")
    assert act(client, read_only, case, "receive", status=403)["code"] == "read_only"
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_key_never_sees_confidential_types(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    key = issue(org_a, staff_a, role=Role.EXECUTIVE, read_only=True)
    secret = make_case(org_a, type_key="corruption")
    assert call(client, key, f"{BASE}/requests")["items"] == []
    call(client, key, f"{BASE}/requests/{secret.number}", status=404)


def test_other_organisations_revoked_and_missing_keys_are_refused(
    client: Client, org_a: Organisation, org_b: Organisation, staff_a: Staff, staff_b: Staff
) -> None:
    case = make_case(org_a)
    foreign = issue(org_b, staff_b)
    assert call(client, foreign, f"{BASE}/requests", status=401)["code"] == "unauthorized"
    call(client, foreign, f"{BASE}/requests/{case.number}", status=401)
    # its own organisation's path does not reach our request either
    call(client, foreign, f"/api/v1/other/requests/{case.number}", status=404)
    revoked = issue(org_a, staff_a)
    api_key_revoke(key=revoked.key, actor=staff_a.admin)
    call(client, revoked, f"{BASE}/requests", status=401)
    message = call(client, None, f"{BASE}/requests", status=401, HTTP_ACCEPT_LANGUAGE="en")
    assert "API key" in message["detail"]
    call(client, "os_0000_nonsense", f"{BASE}/requests", status=401)
    assert call(client, foreign, "/api/v1/nowhere/requests", status=404)["code"] == "not_found"


def test_the_docs_page_works_offline_under_the_content_security_policy(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = policy.split("script-src")[1].split(";")[0]
    assert "'self'" in script_src and "unsafe" not in script_src
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts
    for attributes in scripts:  # files of this site, or data that is never run
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', page):
        assert finders.find(asset) is not None, asset  # shipped with django-ninja: no CDN
    assert "http://" not in page and "https://" not in page
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/{org}/requests/{number}/actions/{action}" in schema["paths"]


def test_a_body_that_is_not_json_is_a_400_in_the_same_shape(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    key = issue(org_a, staff_a)
    case = make_case(org_a)
    response = client.post(
        f"{BASE}/requests/{case.number}/actions/receive", b"\x00{not json",
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key.plaintext}",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable" and "JSON" in response.json()["detail"]


def test_a_key_past_its_limit_gets_429_with_retry_after(
    client: Client, org_a: Organisation, staff_a: Staff, settings: Any
) -> None:
    settings.ONESTOP_API_KEY_LIMIT = 2
    key = issue(org_a, staff_a, read_only=True)
    call(client, key, f"{BASE}/requests")
    call(client, key, f"{BASE}/requests")
    refused = client.get(f"{BASE}/requests", HTTP_AUTHORIZATION=f"Bearer {key.plaintext}",
                         HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["detail"].startswith("Too many calls")


def test_the_inbox_costs_the_same_for_3_or_30_requests(
    client: Client, org_a: Organisation, staff_a: Staff, settings: Any
) -> None:
    settings.ONESTOP_API_KEY_LIMIT = 1000
    key = issue(org_a, staff_a, read_only=True)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            call(client, key, f"{BASE}/requests")
        return len(captured)

    for _ in range(3):
        make_case(org_a)
    queries()  # the first call also creates the key's and the address's rate-limit rows
    few = queries()
    for _ in range(27):
        make_case(org_a)
    assert queries() == few
    assert few <= 16, few  # key, limits, last use, the inbox's own, the audit entry
