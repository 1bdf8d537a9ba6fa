"""The wizard's typed state: what the citizen typed comes back from the session as the same
`Requester` and `Place`, with the step reached, and the national ID never stored readable."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from onestop.cases.services import Place, Requester
from onestop.eservice.wizard import Wizard, WizardState
from onestop.organisations.models import Organisation
from tests.factories import valid_national_id
from tests.wizard import PLACE, fill_details, fill_place, url


def test_the_state_comes_back_from_the_session_as_it_was() -> None:
    national_id = valid_national_id()
    state = WizardState.new()
    state.type_id = 7
    state.subject, state.details = "แจ้งไฟฟ้าดับ", "ไฟดับสามคืน"
    state.requester = Requester("นาง", "มาลี", "ศรีสุข", national_id, "+66812345678", "a@b.co")
    state.place = Place(house_no="12/3", road="พหลโยธิน", latitude=Decimal("16.873456"),
                        longitude=Decimal("99.085432"))  # fmt: skip
    state.reach("documents")

    stored = json.loads(json.dumps(state.to_session()))  # what a JSON session keeps

    assert national_id not in json.dumps(stored)
    assert WizardState.from_session(stored) == state


def test_the_step_reached_only_moves_forward() -> None:
    state = WizardState.new()
    assert state.reached == "details"
    state.reach("review")
    state.reach("place")
    assert state.reached == "review"
    assert state.has_reached("documents") and not state.has_reached("done")


@pytest.mark.django_db
def test_the_steps_fill_a_typed_state(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a, phone="081 234 5678", email=" Malee@Example.COM ")
    fill_place(client, org_a)
    wizard = Wizard(client.session, org_a.slug)
    assert wizard.state is not None and wizard.requester is not None
    assert wizard.requester.phone == "+66812345678"
    assert wizard.requester.email == "malee@example.com"
    assert wizard.place == Place(
        house_no=PLACE["house_no"], village_no="4", road="พหลโยธิน", subdistrict="เชียงทอง",
        district="วังเจ้า", province="ตาก", postcode="63180", subdistrict_code="630901",
        landmark="หน้าวัด",
    )  # fmt: skip
    assert wizard.state.reached == "documents"
    assert client.get(url(org_a, "documents")).status_code == 200
