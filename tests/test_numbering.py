"""Request numbers: short, digits only, year in Buddhist Era, random, self-checking."""

import random

import pytest

from onestop.cases import numbering
from onestop.cases.models import Case
from onestop.organisations.models import Organisation
from tests.factories import make_case


def test_a_number_is_13_digits_starting_with_the_buddhist_year() -> None:
    number = numbering.generate(2569)
    assert len(number) == 13 and number.isdigit()
    assert number.startswith("69")
    assert numbering.display(number) == f"{number[:2]}-{number[2:7]}-{number[7:12]}-{number[12]}"


def test_numbers_carry_at_least_30_random_bits() -> None:
    assert 10**numbering.RANDOM_DIGITS >= 2**30
    drawn = {numbering.generate(2569) for _ in range(2000)}
    assert len(drawn) == 2000  # no repeats in a small sample: not sequential, not clustered


def test_the_check_digit_catches_every_single_digit_substitution() -> None:
    rng = random.Random(7)
    for _ in range(200):
        number = numbering.generate(2569, randbelow=rng.randrange)
        assert numbering.parse(number) == number
        for position in range(len(number)):
            for digit in "0123456789":
                if digit != number[position]:
                    typo = number[:position] + digit + number[position + 1 :]
                    assert numbering.parse(typo) is None, (number, typo)


def test_the_check_digit_catches_every_swap_of_neighbours() -> None:
    rng = random.Random(8)
    for _ in range(500):
        number = numbering.generate(2569, randbelow=rng.randrange)
        for i in range(len(number) - 1):
            if number[i] != number[i + 1]:
                swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
                assert numbering.parse(swapped) is None, (number, swapped)


def test_a_number_can_be_typed_with_dashes_spaces_or_thai_digits() -> None:
    number = numbering.generate(2569)
    thai = number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert numbering.parse(numbering.display(number)) == number
    assert numbering.parse(" ".join(number)) == number
    assert numbering.parse(thai) == number
    assert numbering.parse("") is None
    assert numbering.parse("69-123") is None


@pytest.mark.django_db
def test_a_collision_is_retried_with_a_new_number(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_case(org_a)
    draws = iter([first.number, first.number, numbering.generate(2569)])
    monkeypatch.setattr(numbering, "generate", lambda year, **kw: next(draws))
    second = make_case(org_a)
    assert second.number != first.number
    assert Case.objects.count() == 2
