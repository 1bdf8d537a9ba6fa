"""Thai digits (๐-๙) as citizens type them on Thai keyboards."""

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_arabic_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)
