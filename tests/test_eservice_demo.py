"""The wizard in the demo: every request type of both demo organisations can be filed, and the
address data and the staging clean-up behave."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from onestop.cases.models import AttachmentKind, Case
from onestop.catalog.models import LocationRule, RequestType
from onestop.core import addresses
from onestop.organisations.models import Organisation
from tests.uploadfiles import jpeg_bytes, upload
from tests.wizard import confirm, details_data, fill_documents, fill_place, url, wizard_state

pytestmark = pytest.mark.django_db


def test_every_type_of_both_demo_organisations_can_be_filed_through_the_wizard(
    no_personas: None,
) -> None:
    call_command("load_demo", "--requests", "0", stdout=io.StringIO())
    for slug in ("wangchao", "nabot"):
        organisation = Organisation.objects.get(slug=slug)
        for request_type in RequestType.objects.filter(organisation=organisation, is_active=True):
            client = Client()
            response = client.post(url(organisation), details_data(organisation, request_type.key))
            assert response.status_code == 302, (slug, request_type.key)
            if request_type.location != LocationRule.NOT_ASKED:
                fill_place(client, organisation)
            extra = {}
            if request_type.id_card_required:
                extra["id_card"] = upload("บัตร.jpg", jpeg_bytes(), "image/jpeg")
            fill_documents(client, organisation, **extra)
            assert confirm(client, organisation)["Location"] == url(organisation, "done")
            case = Case.objects.filter(organisation=organisation).latest("pk")
            assert case.request_type == request_type
            assert case.display_number in client.get(url(organisation, "done")).content.decode()
            if request_type.id_card_required:
                assert case.attachments.filter(kind=AttachmentKind.ID_CARD).count() == 1


def test_the_address_data_completes_a_subdistrict_anywhere_in_thailand() -> None:
    [match] = addresses.subdistrict_find(name="ตำบลเชียงทอง", district="อำเภอวังเจ้า")
    assert (match.district, match.province, match.postcode, match.code) == (
        "วังเจ้า", "ตาก", "63180", "630901",
    )  # fmt: skip
    assert len(addresses.subdistrict_find(name="ในเมือง")) > 1  # a common name: not guessed
    assert addresses.subdistrict_find(name="") == []
    assert addresses.subdistrict_by_code("630901") == match
    assert [s.name for s in addresses.subdistricts_in(district_code="6309")] == [
        "เชียงทอง", "นาโบสถ์", "ประดาง",
    ]  # fmt: skip
    several = [s for s in addresses._subdistricts() if len(s.postcodes) > 1]
    assert several and all(s.postcode == "" for s in several)  # the citizen types theirs


def test_staged_files_of_abandoned_wizards_are_cleared(org_a: Organisation) -> None:
    client = Client()
    client.post(url(org_a), details_data(org_a))
    fill_place(client, org_a)
    client.post(
        url(org_a, "documents"), {"documents": [upload("a.jpg", jpeg_bytes())], "action": "upload"}
    )
    staged = Path(settings.MEDIA_ROOT, wizard_state(client, org_a)["files"][0]["path"])
    assert staged.exists()
    out = io.StringIO()
    call_command("eservice_clear_staging", stdout=out)
    assert staged.exists()  # recent: kept
    old = time.time() - dt.timedelta(days=2).total_seconds()
    os.utime(staged, (old, old))
    call_command("eservice_clear_staging", stdout=out)
    assert not staged.exists()
    assert "1 staged file(s) deleted" in out.getvalue()
