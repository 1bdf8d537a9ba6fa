"""The citizen's identifiers, in every form people type them."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError

from onestop.core.identity import (
    format_mobile,
    is_mobile,
    normalise_mobile,
    normalise_national_id,
    normalise_phone,
)
from tests.factories import valid_national_id


def test_generated_valid_ids_are_accepted_in_any_typed_form() -> None:
    rng = random.Random(13)
    for _ in range(200):
        digits = valid_national_id(rng)
        dashed = f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"
        thai = digits.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        for typed in (digits, dashed, " ".join(digits), thai, f" {dashed} "):
            assert normalise_national_id(typed) == digits


def test_an_id_with_a_wrong_check_digit_says_so_in_thai() -> None:
    rng = random.Random(14)
    for _ in range(100):
        digits = valid_national_id(rng)
        wrong = digits[:12] + str((int(digits[12]) + 1) % 10)
        with pytest.raises(ValidationError) as error:
            normalise_national_id(wrong)
        assert error.value.code == "checksum"
        assert "หมายเลขบัตรประชาชนไม่ถูกต้อง" in str(error.value.message)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("12345", "length"),
        ("11017002034511", "length"),
        ("1101700abc451", "length"),
    ],
)
def test_an_id_of_the_wrong_shape_is_refused(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_national_id(typed)
    assert error.value.code == code


@pytest.mark.parametrize(
    "typed",
    ["0812345678", "081-234-5678", "081 234 5678", "+66 81 234 5678", "+66812345678",
     "66812345678", "๐๘๑๒๓๔๕๖๗๘", "(081) 234-5678"],
)  # fmt: skip
def test_a_mobile_in_any_common_form_is_stored_as_e164(typed: str) -> None:
    assert normalise_mobile(typed) == "+66812345678"


@pytest.mark.parametrize("typed", ["0612345678", "0912345678", "0891234567"])
def test_all_thai_mobile_prefixes_are_accepted(typed: str) -> None:
    assert normalise_mobile(typed) == "+66" + typed[1:]


@pytest.mark.parametrize("typed", ["021234567", "02-123-4567", "055123456", "+66 2 123 4567"])
def test_a_landline_is_refused_for_the_mobile_field(typed: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_mobile(typed)
    assert error.value.code == "landline"
    assert "มือถือ" in str(error.value.message)


@pytest.mark.parametrize("typed", ["", "081234", "08123456789012", "hello", "+1 202 555 0143"])
def test_a_non_number_or_foreign_number_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        normalise_mobile(typed)


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("02-123-4567", "+6621234567"),
        ("053 123 456", "+6653123456"),
        ("+66 2 123 4567", "+6621234567"),
        ("081-234-5678", "+66812345678"),
    ],
)
def test_staff_may_give_a_landline_or_a_mobile(typed: str, e164: str) -> None:
    assert normalise_phone(typed) == e164
    assert is_mobile(e164) == e164.startswith("+668")


@pytest.mark.parametrize("typed", ["", "12345", "02-123", "+1 202 555 0100", "โทรมา"])
def test_a_wrong_phone_is_refused_even_for_staff(typed: str) -> None:
    with pytest.raises(ValidationError):
        normalise_phone(typed)


def test_a_landline_is_written_as_thai_people_dial_it() -> None:
    assert format_mobile("+6621234567") == "02-123-4567"
    assert format_mobile("+6653123456") == "053-123-456"
    assert not is_mobile("") and not is_mobile("not a number")
