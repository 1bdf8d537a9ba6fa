"""Rotating ONESTOP_DATA_KEY: old requests stay findable, and data_key_rotate moves every
stored value under the new key, in batches, resumably."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from onestop.cases.models import Case
from onestop.cases.selectors import case_list_by_national_id
from onestop.core import crypto
from onestop.notifications.models import Message
from onestop.organisations.models import Organisation
from tests.factories import make_case, valid_national_id

OLD = ["old-data-key"]
BOTH = ["new-data-key", "old-data-key"]
NEW = ["new-data-key"]


def _filed_under_the_old_key(organisation: Organisation, count: int) -> dict[int, str]:
    ids: dict[int, str] = {}
    with override_settings(ONESTOP_DATA_KEYS=OLD):
        for _ in range(count):
            national_id = valid_national_id()
            ids[make_case(organisation, national_id=national_id).pk] = national_id
    return ids


def test_the_hash_is_offered_under_every_key_current_first() -> None:
    with override_settings(ONESTOP_DATA_KEYS=BOTH):
        hashes = crypto.lookup_hashes("1101700203451")
        assert hashes[0] == crypto.lookup_hash("1101700203451")
    with override_settings(ONESTOP_DATA_KEYS=OLD):
        assert hashes[1] == crypto.lookup_hash("1101700203451")


def test_after_a_rotation_old_requests_are_found_by_national_id(org_a: Organisation) -> None:
    national_id = valid_national_id()
    with override_settings(ONESTOP_DATA_KEYS=OLD):
        old = make_case(org_a, national_id=national_id)
    with override_settings(ONESTOP_DATA_KEYS=BOTH):
        new = make_case(org_a, national_id=national_id)
        found = Case.objects.filter(national_id_hash__in=crypto.lookup_hashes(national_id))
        assert set(found) == {old, new}


def test_the_selector_finds_requests_filed_before_a_rotation(org_a: Organisation) -> None:
    national_id = valid_national_id()
    with override_settings(ONESTOP_DATA_KEYS=OLD):
        old = make_case(org_a, national_id=national_id)
    with override_settings(ONESTOP_DATA_KEYS=BOTH):
        found = list(case_list_by_national_id(organisation=org_a, national_id=national_id))
    assert found == [old]


def test_the_rotation_stopped_half_way_and_run_again_leaves_everything_under_the_new_key(
    org_a: Organisation, org_b: Organisation
) -> None:
    ids = _filed_under_the_old_key(org_a, 4) | _filed_under_the_old_key(org_b, 3)
    with override_settings(ONESTOP_DATA_KEYS=BOTH):
        with pytest.raises(CommandError, match="not yet under the current key"):
            call_command("data_key_rotate", "--check")
        # Interrupted: at most 3 rows rewritten, in batches of 2.
        call_command("data_key_rotate", "--batch-size=2", "--limit=3")
        current = [
            case.pk for case in Case.objects.all() if crypto.is_current(case.national_id_encrypted)
        ]
        assert len(current) == 3
        call_command("data_key_rotate", "--batch-size=2")
        call_command("data_key_rotate", "--check")  # nothing left
    with override_settings(ONESTOP_DATA_KEYS=NEW):
        for case in Case.objects.all():
            assert crypto.decrypt(case.national_id_encrypted) == ids[case.pk]
            assert case.national_id_hash == crypto.lookup_hash(ids[case.pk])
        for message in Message.objects.all():
            crypto.decrypt(message.recipient_encrypted)
            crypto.decrypt(message.body_encrypted)
        for national_id in ids.values():
            found = Case.objects.filter(national_id_hash=crypto.lookup_hash(national_id))
            assert found.count() == 1


def test_a_second_run_rewrites_nothing(org_a: Organisation) -> None:
    _filed_under_the_old_key(org_a, 2)
    with override_settings(ONESTOP_DATA_KEYS=BOTH):
        call_command("data_key_rotate")
        tokens = list(Case.objects.values_list("national_id_encrypted", flat=True))
        call_command("data_key_rotate")
        assert list(Case.objects.values_list("national_id_encrypted", flat=True)) == tokens


def test_a_value_under_no_configured_key_is_reported_not_lost(org_a: Organisation) -> None:
    _filed_under_the_old_key(org_a, 1)
    with (
        override_settings(ONESTOP_DATA_KEYS=NEW),
        pytest.raises(CommandError, match="could not be decrypted"),
    ):
        call_command("data_key_rotate")
    with override_settings(ONESTOP_DATA_KEYS=OLD):
        case = Case.objects.get()
        crypto.decrypt(case.national_id_encrypted)
