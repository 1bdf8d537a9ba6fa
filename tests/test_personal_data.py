"""National ID numbers: encrypted at rest, found by keyed hash, shown masked."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from onestop.cases.models import Case
from onestop.cases.selectors import case_list_by_national_id, case_national_id
from onestop.core import crypto
from onestop.core.masking import mask_national_id, mask_phone
from onestop.organisations.models import Organisation
from tests.factories import make_case, valid_national_id


def test_the_national_id_is_not_stored_in_clear(org_a: Organisation) -> None:
    national_id = valid_national_id()
    case = make_case(org_a, national_id=national_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_case WHERE id = %s", [case.pk])
        row = cursor.fetchone()
    stored = " ".join(str(value) for value in row)
    assert national_id not in stored
    assert national_id[1:12] not in stored  # not even the middle digits
    assert case_national_id(case) == national_id


def test_a_citizens_requests_are_found_by_their_national_id(org_a: Organisation) -> None:
    national_id = valid_national_id()
    mine = make_case(org_a, national_id=national_id)
    make_case(org_a)
    n = national_id
    typed = f"{n[0]}-{n[1:5]}-{n[5:10]}-{n[10:12]}-{n[12]}"
    found = list(case_list_by_national_id(organisation=org_a, national_id=typed))
    assert found == [mine]


def test_lists_show_only_a_masked_id_and_phone(org_a: Organisation) -> None:
    national_id = "1101700203450"
    case = make_case(org_a, national_id=national_id, phone="081-234-5678")
    assert case.national_id_masked == "1-xxxx-xxxxx-xx-0"
    assert mask_national_id(national_id) == "1-xxxx-xxxxx-xx-0"
    assert case.phone == "+66812345678"
    assert mask_phone(case.phone) == "08x-xxx-5678"


def test_a_rotated_key_still_reads_data_written_with_the_old_key(org_a: Organisation) -> None:
    national_id = valid_national_id()
    with override_settings(ONESTOP_DATA_KEYS=["old-key"]):
        token = crypto.encrypt(national_id)
    with override_settings(ONESTOP_DATA_KEYS=["new-key", "old-key"]):
        assert crypto.decrypt(token) == national_id
    with override_settings(ONESTOP_DATA_KEYS=["other-key"]), pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_the_lookup_hash_depends_on_the_key() -> None:
    with override_settings(ONESTOP_DATA_KEYS=["k1"]):
        first = crypto.lookup_hash("1101700203451")
    with override_settings(ONESTOP_DATA_KEYS=["k2"]):
        second = crypto.lookup_hash("1101700203451")
    assert first != second
    assert len(first) == 64


def test_the_admin_never_shows_the_encrypted_value(
    org_a: Organisation, admin_client: object
) -> None:
    case = make_case(org_a)
    response = admin_client.get(f"/admin/cases/case/{case.pk}/change/")  # type: ignore[attr-defined]
    assert response.status_code == 200
    body = response.content.decode()
    assert case.national_id_encrypted not in body
    assert case.national_id_hash not in body
    assert case.national_id_masked in body
    assert Case.objects.count() == 1
