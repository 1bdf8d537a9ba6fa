"""Staff choose the channels of each kind of message; the organisation sets the defaults; the
planning of every staff message follows them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from onestop.cases.models import Case
from onestop.cases.services import By, Requester, case_assign, case_submit
from onestop.core import crypto
from onestop.notifications.forms import ChannelPreferencesForm
from onestop.notifications.models import (
    STAFF_KINDS,
    Channel,
    ChannelPreference,
    Message,
    MessageKind,
    SmsGateway,
    StaffContact,
)
from onestop.notifications.selectors import preference_table
from onestop.notifications.services import preferences_save, staff_mobile_set
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import request_type, some_place, valid_national_id

SETTINGS = "/staff/wangchao/notifications/"
DEFAULTS = "/staff/wangchao/notifications/defaults/"


def _file(organisation: Organisation, type_key: str = "street-light") -> Case:
    return case_submit(
        organisation=organisation,
        request_type=request_type(organisation, type_key),
        subject="ไฟฟ้าดับหน้าบ้านเลขที่ 12",
        details="ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว",
        requester=Requester(
            title="นาง", first_name="มาลี", last_name="ศรีสุข",
            national_id=valid_national_id(), phone="0812345678", email="",
        ),
        place=some_place(),
    )  # fmt: skip


def _told(case: Case, kind: MessageKind) -> set[tuple[str, str]]:
    """(username, channel) of every staff message of `kind` about `case`."""
    return {
        (m.recipient_user.username, m.channel)
        for m in Message.objects.filter(case=case, kind=kind).select_related("recipient_user")
        if m.recipient_user is not None
    }


def _gateway(organisation: Organisation) -> SmsGateway:
    return SmsGateway.objects.create(
        organisation=organisation, kind="basic_form", url="https://sms.example.com/send",
        sender="WANGCHAO", api_key_encrypted=crypto.encrypt("k"),
        api_secret_encrypted=crypto.encrypt("s"),
    )  # fmt: skip


def _everything(form_channels: dict[str, bool]) -> dict[str, str]:
    """A settings POST ticking, for every kind, the channels marked True."""
    return {
        f"{kind.value}-{channel}": "on"
        for kind in STAFF_KINDS
        for channel, on in form_channels.items()
        if on
    }


# --- planning follows the choices ------------------------------------------------------------


def test_without_any_choice_staff_are_told_by_email(org_a: Organisation, staff_a: Staff) -> None:
    case = _file(org_a)
    assert _told(case, MessageKind.STAFF_NEW) == {("a-head", "email"), ("a-officer", "email")}


def test_the_organisations_default_applies_to_members_who_have_not_chosen(
    org_a: Organisation, staff_a: Staff
) -> None:
    preferences_save(organisation=org_a, user=None, table={MessageKind.STAFF_NEW: set()})
    preferences_save(
        organisation=org_a, user=staff_a.officer, table={MessageKind.STAFF_NEW: {Channel.EMAIL}}
    )
    case = _file(org_a)
    assert _told(case, MessageKind.STAFF_NEW) == {("a-officer", "email")}  # the head: default


def test_a_member_who_unticks_everything_is_not_told_of_that_kind_only(
    org_a: Organisation, staff_a: Staff
) -> None:
    preferences_save(organisation=org_a, user=staff_a.officer, table={MessageKind.STAFF_NEW: set()})
    case = _file(org_a)
    assert _told(case, MessageKind.STAFF_NEW) == {("a-head", "email")}
    case_assign(
        case=case, department=org_a.departments.get(key="engineering"),
        assignee=staff_a.officer, by=By.staff(staff_a.head),
    )  # fmt: skip
    assert _told(case, MessageKind.STAFF_ASSIGNED) == {("a-officer", "email")}


def test_sms_to_staff_needs_a_gateway_and_a_mobile_and_carries_no_subject(
    org_a: Organisation, staff_a: Staff
) -> None:
    both: dict[str, set[Channel]] = {MessageKind.STAFF_NEW: {Channel.EMAIL, Channel.SMS}}
    preferences_save(organisation=org_a, user=staff_a.officer, table=both)
    preferences_save(organisation=org_a, user=staff_a.head, table=both)
    staff_mobile_set(organisation=org_a, user=staff_a.officer, mobile="+66891112222")
    case = _file(org_a)  # no gateway yet: e-mail only
    assert _told(case, MessageKind.STAFF_NEW) == {("a-head", "email"), ("a-officer", "email")}
    _gateway(org_a)
    case = _file(org_a)
    assert _told(case, MessageKind.STAFF_NEW) == {
        ("a-head", "email"), ("a-officer", "email"), ("a-officer", "sms"),  # the head: no mobile
    }  # fmt: skip
    text = Message.objects.get(case=case, channel=Channel.SMS, recipient_user=staff_a.officer)
    assert crypto.decrypt(text.recipient_encrypted) == "+66891112222"
    assert text.recipient_masked == "08x-xxx-2222"
    body = crypto.decrypt(text.body_encrypted)
    assert case.display_number in body and "ไฟฟ้าดับ" not in body and "มาลี" not in body


def test_choices_in_one_organisation_do_not_change_another(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, staff_b: Staff
) -> None:
    preferences_save(organisation=org_b, user=None, table={MessageKind.STAFF_NEW: set()})
    case = _file(org_a)
    assert _told(case, MessageKind.STAFF_NEW) == {("a-head", "email"), ("a-officer", "email")}
    table = preference_table(organisation=org_a, user=staff_a.officer)
    assert table[MessageKind.STAFF_NEW] == {Channel.EMAIL}


# --- the settings pages -------------------------------------------------------------------------


def test_a_member_saves_their_own_channels_and_sees_them_ticked(
    org_a: Organisation, staff_a: Staff
) -> None:
    client = sign_in(Client(), staff_a.officer)
    page = client.get(SETTINGS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "สรุปคำร้องเกินกำหนดและใกล้ครบกำหนดประจำวัน" in html
    assert 'name="staff_new-sms"' not in html  # no SMS gateway: e-mail only
    data = _everything({"email": True})
    del data["staff_digest-email"]
    response = client.post(SETTINGS, data)
    assert response.status_code == 302
    rows = ChannelPreference.objects.filter(organisation=org_a, user=staff_a.officer)
    assert {(r.kind, r.email, r.sms) for r in rows} == {
        (kind.value, kind != MessageKind.STAFF_DIGEST, False) for kind in STAFF_KINDS
    }
    html = client.get(SETTINGS).content.decode()
    assert 'name="staff_new-email" id="id_staff_new-email" checked' in html
    assert 'name="staff_digest-email" id="id_staff_digest-email">' in html
    client.post(SETTINGS, data)  # the same form twice: still one row per kind
    assert rows.count() == len(STAFF_KINDS)


def test_a_mobile_is_stored_encrypted_and_shown_masked(org_a: Organisation, staff_a: Staff) -> None:
    _gateway(org_a)
    client = sign_in(Client(), staff_a.officer)
    data = {**_everything({"email": True, "sms": True}), "mobile": "089-111-2222"}
    assert client.post(SETTINGS, data).status_code == 302
    contact = StaffContact.objects.get(organisation=org_a, user=staff_a.officer)
    assert "2222" not in contact.mobile_encrypted
    assert crypto.decrypt(contact.mobile_encrypted) == "+66891112222"
    html = client.get(SETTINGS).content.decode()
    assert "08x-xxx-2222" in html and "089-111-2222" not in html and "891112222" not in html
    # Left empty: the stored number is kept; removed on request (then SMS cannot stay ticked).
    assert client.post(SETTINGS, _everything({"email": True, "sms": True})).status_code == 302
    contact.refresh_from_db()
    assert contact.mobile_masked == "08x-xxx-2222"
    refused = client.post(SETTINGS, {**_everything({"sms": True}), "mobile_remove": "on"})
    assert "กรุณากรอกเบอร์โทรศัพท์มือถือ" in refused.content.decode()
    assert client.post(SETTINGS, {"mobile_remove": "on"}).status_code == 302
    contact.refresh_from_db()
    assert (contact.mobile_encrypted, contact.mobile_masked) == ("", "")


@pytest.mark.parametrize(
    ("mobile", "expected"),
    [
        ("021234567", "โทรศัพท์บ้าน"),  # a landline
        ("<b>0812</b>", "ไม่ถูกต้อง"),  # hostile: not echoed as markup
        ("0" * 500, "ยาวเกินไป"),  # oversized
        ("08123", "ไม่ถูกต้อง"),
    ],
)
def test_a_wrong_mobile_is_refused_with_a_clear_message(
    org_a: Organisation, staff_a: Staff, mobile: str, expected: str
) -> None:
    _gateway(org_a)
    client = sign_in(Client(), staff_a.officer)
    response = client.post(SETTINGS, {**_everything({"sms": True}), "mobile": mobile})
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html and "<b>0812</b>" not in html
    assert not StaffContact.objects.filter(user=staff_a.officer).exists()
    assert not ChannelPreference.objects.filter(user=staff_a.officer).exists()


def test_sms_ticked_without_a_mobile_is_refused_in_thai_and_english(org_a: Organisation) -> None:
    table = preference_table(organisation=org_a, user=None)
    data = _everything({"sms": True})
    form = ChannelPreferencesForm(data, table=table, sms_available=True, with_mobile=True)
    assert form.errors["__all__"] == ["เลือกรับทาง SMS แล้ว กรุณากรอกเบอร์โทรศัพท์มือถือ"]
    with translation.override("en"):
        form = ChannelPreferencesForm(data, table=table, sms_available=True, with_mobile=True)
        [message] = form.errors["__all__"]
    assert "mobile" in str(message).lower()


def test_unknown_or_unoffered_fields_are_ignored(org_a: Organisation, staff_a: Staff) -> None:
    client = sign_in(Client(), staff_a.officer)
    data = {
        "staff_new-email": "on",
        "staff_new-sms": "on",  # no gateway: not offered, not saved
        "citizen_filed-email": "on",  # not a staff kind
        "staff_new-line": "on",
        "user": str(staff_a.head.pk),
    }
    assert client.post(SETTINGS, data).status_code == 302
    rows = ChannelPreference.objects.filter(organisation=org_a)
    assert set(rows.values_list("user_id", flat=True)) == {staff_a.officer.pk}
    new = rows.get(kind=MessageKind.STAFF_NEW)
    assert (new.email, new.sms) == (True, False)
    assert not rows.filter(kind="citizen_filed").exists()


def test_only_administrators_set_the_organisations_defaults(
    org_a: Organisation, staff_a: Staff
) -> None:
    for member in (staff_a.officer, staff_a.head, staff_a.counter, staff_a.executive):
        assert sign_in(Client(), member).get(DEFAULTS).status_code == 404
        assert sign_in(Client(), member).post(DEFAULTS, {}).status_code == 404
    assert not ChannelPreference.objects.exists()
    client = sign_in(Client(), staff_a.admin)
    assert client.get(DEFAULTS).status_code == 200
    assert 'name="mobile"' not in client.get(DEFAULTS).content.decode()
    data = _everything({"email": True})
    del data["staff_new-email"]
    assert client.post(DEFAULTS, data).status_code == 302
    defaults = ChannelPreference.objects.filter(organisation=org_a, user__isnull=True)
    assert defaults.count() == len(STAFF_KINDS)
    assert not defaults.get(kind=MessageKind.STAFF_NEW).email
    table = preference_table(organisation=org_a, user=staff_a.officer)
    assert table[MessageKind.STAFF_NEW] == set()


def test_staff_of_another_organisation_get_404(
    org_a: Organisation, org_b: Organisation, staff_b: Staff
) -> None:
    for user in (staff_b.officer, staff_b.admin):
        client = sign_in(Client(), user)
        assert client.get(SETTINGS).status_code == 404
        assert client.post(SETTINGS, {"staff_new-email": "on"}).status_code == 404
        assert client.post(DEFAULTS, {"staff_new-email": "on"}).status_code == 404
    assert not ChannelPreference.objects.filter(organisation=org_a).exists()


def test_the_settings_page_has_a_query_budget(
    org_a: Organisation, staff_a: Staff, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), staff_a.officer)
    client.get(SETTINGS)
    with django_assert_max_num_queries(14):
        assert client.get(SETTINGS).status_code == 200
