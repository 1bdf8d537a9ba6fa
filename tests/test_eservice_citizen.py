"""The wizard as issue 10 left it: nothing typed is lost after an error, a reload or a new tab;
the place step's fields, hidden pin and map start; the staff map's tiles; one address format."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from onestop.cases.demo import load_demo
from onestop.cases.models import Case
from onestop.catalog.models import RequestType
from onestop.core.addresses import format_address
from onestop.eservice.selectors import THAILAND, map_start
from onestop.eservice.wizard import WizardState
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case, make_organisation, valid_national_id
from tests.wizard import PLACE, details_data, fill_details, fill_documents, fill_place, url

TILES = "https://tiles.example/{z}/{x}/{y}.png"


def value_of(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    found = re.search(r'value="([^"]*)"', match.group(0))
    return found.group(1) if found else ""


# -- nothing typed is lost -------------------------------------------------------------------
def test_a_refused_step_one_comes_back_after_a_reload_and_in_a_new_tab(
    client: Client, org_a: Organisation
) -> None:
    national_id = valid_national_id()
    typed = details_data(org_a, phone="02 123 4567", national_id=national_id,
                         subject="ไฟดับหน้าบ้าน", first_name="สมศรี")  # fmt: skip
    refused = client.post(url(org_a), typed)
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    for again in (client, _new_tab(client)):  # a reload, and a new tab of the same browser
        html = again.get(url(org_a)).content.decode()
        assert value_of(html, "subject") == "ไฟดับหน้าบ้าน"
        assert value_of(html, "first_name") == "สมศรี"
        assert value_of(html, "national_id") == national_id
        assert value_of(html, "phone") == "02 123 4567"
        assert "โทรศัพท์มือถือ" in html and "error-summary" in html  # still says what is wrong
    # The draft keeps the national ID as the state does: encrypted.
    assert national_id not in str(dict(client.session.items()))


def test_once_corrected_the_draft_is_forgotten(client: Client, org_a: Organisation) -> None:
    client.post(url(org_a), details_data(org_a, phone="021234567"))
    fill_details(client, org_a, subject="แก้แล้ว")
    html = client.get(url(org_a)).content.decode()
    assert value_of(html, "subject") == "แก้แล้ว" and "error-summary" not in html
    assert not [k for k, _value in client.session.items() if ":draft:" in k]


def test_a_refused_place_comes_back_after_a_reload(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a)
    response = client.post(url(org_a, "place"), {**PLACE, "postcode": "6318", "soi": "ซอยวัด"})
    assert response.status_code == 200
    html = _new_tab(client).get(url(org_a, "place")).content.decode()
    assert value_of(html, "soi") == "ซอยวัด" and value_of(html, "postcode") == "6318"
    assert "รหัสไปรษณีย์ต้องเป็นตัวเลข 5 หลัก" in html


def test_a_draft_is_kept_per_organisation_and_bounded(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    client.post(url(org_a), details_data(org_a, subject="ก" * 300, details="ข" * 20_000))
    html = client.get(url(org_a)).content.decode()
    assert value_of(html, "subject") == "ก" * 300  # shown again, with its "too long" message
    kept = next(v for k, v in client.session.items() if k.endswith(":draft:details"))
    assert len(kept["details"]) == 5000
    assert "ก" * 300 not in client.get(url(org_b)).content.decode()


def test_filing_forgets_every_draft(client: Client, org_a: Organisation) -> None:
    client.post(url(org_a), details_data(org_a, phone="bad"))
    fill_details(client, org_a)
    client.post(url(org_a, "place"), {**PLACE, "postcode": "1"})
    fill_place(client, org_a)
    fill_documents(client, org_a)
    key = client.session[f"eservice:{org_a.slug}"]["submission_key"]
    client.post(url(org_a, "confirm"), {"submission_key": key})
    assert Case.objects.filter(organisation=org_a).count() == 1
    assert not [k for k, _value in client.session.items() if ":draft:" in k]


def _new_tab(client: Client) -> Client:
    """Another tab of the same browser: a new client with the same session cookie."""
    tab = Client()
    tab.cookies = client.cookies
    return tab


# -- the place step --------------------------------------------------------------------------
def test_every_place_field_has_an_autofill_token(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a)
    html = client.get(url(org_a, "place")).content.decode()
    inputs = re.findall(r'<input[^>]*type="text"[^>]*>', html)
    assert len(inputs) == 10
    assert all('autocomplete="' in i for i in inputs)
    assert 'autocomplete="postal-code"' in html and 'autocomplete="address-level3"' in html
    assert re.search(r'<input type="hidden" name="latitude"', html)
    assert "ละติจูด" not in html  # no coordinates to type


@pytest.mark.parametrize(
    "pin",
    [{"latitude": "16.8"}, {"latitude": "abc", "longitude": "99.1"},
     {"latitude": "1e9", "longitude": "99.1"}, {"latitude": "16.8", "longitude": "<b>"}],
)  # fmt: skip
def test_a_broken_pin_is_one_message_and_is_not_sent_back(
    client: Client, org_a: Organisation, pin: dict[str, str]
) -> None:
    fill_details(client, org_a)
    html = client.post(url(org_a, "place"), {**PLACE, **pin}).content.decode()
    assert html.count("ตำแหน่งบนแผนที่ไม่ถูกต้อง") == 2  # the summary and the map's group
    assert value_of(html, "latitude") == value_of(html, "longitude") == ""
    assert "<b>" not in html
    fill_place(client, org_a)  # the next "ต่อไป" goes through


def test_the_map_opens_on_the_organisations_own_location(
    client: Client, org_a: Organisation, settings: Any
) -> None:
    settings.ONESTOP_MAP_TILES_URL = TILES
    Organisation.objects.filter(pk=org_a.pk).update(latitude="16.704167", longitude="99.242778")
    fill_details(client, org_a)
    html = client.get(url(org_a, "place")).content.decode()
    assert 'data-lat="16.704167" data-lng="99.242778" data-zoom="14"' in html


def test_without_tiles_there_is_no_map_and_the_place_is_told_in_words(
    client: Client, org_a: Organisation
) -> None:
    fill_details(client, org_a)
    html = client.get(url(org_a, "place")).content.decode()
    assert 'id="map"' not in html and "leaflet" not in html and "จุดสังเกต" in html


def test_the_map_start_falls_back_from_the_organisation_to_its_district_and_its_pins(
    org_a: Organisation, django_assert_max_num_queries: Any
) -> None:
    lonely = make_organisation(
        code="X-1", slug="lonely", name_th="อบต.ไกล", province="น่าน", district="บ่อเกลือ",
        province_code="55", district_code="5511",
    )  # fmt: skip
    assert map_start(organisation=lonely) == THAILAND  # nothing known: the whole country
    case = make_case(lonely)
    Case.objects.filter(pk=case.pk).update(latitude="19.150000", longitude="101.150000")
    with django_assert_max_num_queries(2):
        view = map_start(organisation=lonely)
    assert (view.latitude, view.longitude, view.source) == (
        Decimal("19.150000"),
        Decimal("101.150000"),
        "requests",
    )
    # A neighbour in the same district with a location comes before the pins.
    Organisation.objects.filter(pk=org_a.pk).update(district_code="5511", latitude="19.1",
                                                    longitude="101.2")  # fmt: skip
    view = map_start(organisation=lonely)
    assert (view.latitude, view.longitude, view.source) == (
        Decimal("19.100000"),
        Decimal("101.200000"),
        "district",
    )
    # Its own location first of all, without a query.
    lonely.latitude, lonely.longitude = Decimal("19.2"), Decimal("101.1")
    with django_assert_max_num_queries(0):
        assert map_start(organisation=lonely).source == "organisation"


def test_the_staff_map_uses_the_tiles_setting(
    client: Client, org_a: Organisation, staff_a: Staff, settings: Any
) -> None:
    case = make_case(org_a)
    Case.objects.filter(pk=case.pk).update(latitude="16.9", longitude="99.1")
    sign_in(client, staff_a.counter)
    page = f"/staff/{org_a.slug}/cases/{case.number}/"
    html = client.get(page).content.decode()
    assert 'id="case-map"' not in html and "leaflet.js" not in html  # tests: no tiles
    assert "openstreetmap.org/?mlat=16.9" in html  # the link to a map stays
    settings.ONESTOP_MAP_TILES_URL = TILES
    html = client.get(page).content.decode()
    assert f'data-tiles="{TILES}"' in html and "leaflet.js" in html


# -- one address format ----------------------------------------------------------------------
def test_the_review_and_staff_pages_write_the_address_as_the_document_does(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    fill_details(client, org_a)
    fill_place(client, org_a, road="ถนนพหลโยธิน", soi="ซ.3", village_no="ม.4")
    fill_documents(client, org_a)
    review = client.get(url(org_a, "review")).content.decode()
    key = client.session[f"eservice:{org_a.slug}"]["submission_key"]
    client.post(url(org_a, "confirm"), {"submission_key": key})
    case = Case.objects.get(organisation=org_a)
    line = format_address(case)  # what the request document prints
    assert line.startswith("บ้านเลขที่ 12/3 หมู่ที่ 4 ซอย 3 ถนนพหลโยธิน ตำบล")
    staff = sign_in(Client(), staff_a.counter).get(f"/staff/{org_a.slug}/cases/{case.number}/")
    for html in (review, staff.content.decode()):
        assert line in html
        assert "ถนนถนน" not in html and "ซอยซ" not in html and "หมู่ที่ม" not in html


def test_a_type_chosen_anew_on_the_oss_centre_wins_over_the_draft(
    client: Client, org_a: Organisation
) -> None:
    client.post(url(org_a), details_data(org_a, type_key="street-light", phone="bad"))
    flood = RequestType.objects.get(organisation=org_a, key="flood")
    html = client.get(url(org_a), {"type": flood.pk}).content.decode()
    assert re.search(rf'value="{flood.pk}" id="type-{flood.pk}"[^>]* checked', html)
    assert value_of(html, "phone") == "bad"  # the rest of the draft is still there
    theirs = RequestType.objects.exclude(organisation=org_a).first()
    assert theirs is not None
    assert client.get(url(org_a), {"type": theirs.pk}).status_code == 404


@pytest.mark.parametrize(
    "pasted",
    ["{a} {b} {c} {d} {e}", "{a}-{b}-{c}-{d}-{e}", " {a}–{b}–{c}–{d}–{e}\n",
     "{a}\u00a0{b}{c}\t{d}{e}"],
)  # fmt: skip
def test_a_pasted_national_id_with_spaces_or_dashes_is_read_as_its_13_digits(
    client: Client, org_a: Organisation, pasted: str
) -> None:
    digits = valid_national_id()
    typed = pasted.format(a=digits[0], b=digits[1:5], c=digits[5:10], d=digits[10:12], e=digits[12])
    fill_details(client, org_a, national_id=typed)
    state = WizardState.from_session(client.session[f"eservice:{org_a.slug}"])
    assert state is not None and state.requester is not None
    assert state.requester.national_id == digits


def test_both_demo_maps_open_on_wang_chao_district(no_personas: None) -> None:
    load_demo(requests_per_organisation=0)
    wangchao = map_start(organisation=Organisation.objects.get(slug="wangchao"))
    nabot = map_start(organisation=Organisation.objects.get(slug="nabot"))
    assert (wangchao.source, nabot.source) == ("organisation", "district")
    for view in (wangchao, nabot):
        assert (view.latitude, view.longitude) == (Decimal("16.704167"), Decimal("99.242778"))
