"""Request numbers (เลขคำร้อง).

Form: `YY-RRRRR-RRRRR-C`, 13 digits in all, e.g. `69-04217-88315-6`:
- `YY`: the last two digits of the Buddhist Era year of filing (2569 → 69);
- `R…`: 10 random digits from the OS's CSPRNG (33.2 bits: about 1 in 10 billion to guess one;
  tracking also asks for 4 phone digits and is rate limited);
- `C`: a Damm check digit, which catches every single-digit error and every swap of two
  neighbouring digits, the two commonest typing and reading errors.

Digits only: easy to read aloud in Thai, to type on a phone keypad, and to print. Input is
accepted with any separators and in Thai digits. Uniqueness is a database constraint; the caller
retries on the (astronomically rare) collision."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from stdnum import damm

from onestop.core.thaidigits import to_arabic_digits

RANDOM_DIGITS = 10
LENGTH = 2 + RANDOM_DIGITS + 1


def generate(buddhist_year: int, *, randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A new canonical number (13 digits, no separators) for a request filed in that year."""
    body = f"{buddhist_year % 100:02d}{randbelow(10**RANDOM_DIGITS):0{RANDOM_DIGITS}d}"
    return body + str(damm.calc_check_digit(body))


def display(number: str) -> str:
    """`6904217883156` → `69-04217-88315-6`."""
    if len(number) != LENGTH:
        return number
    return f"{number[:2]}-{number[2:7]}-{number[7:12]}-{number[12]}"


def parse(text: str) -> str | None:
    """The canonical number in what a citizen typed, or None if it cannot be one (wrong
    length or failed check digit: a typo, so no database look-up is needed)."""
    digits = re.sub(r"[^0-9]", "", to_arabic_digits(text or ""))
    if len(digits) != LENGTH or not damm.is_valid(digits):
        return None
    return digits
