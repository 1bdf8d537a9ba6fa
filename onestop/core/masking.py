"""How personal data is shown wherever the full value is not needed (lists, documents, logs)."""


def mask_national_id(digits: str) -> str:
    """`1234567890121` → `1-xxxx-xxxxx-xx-1`: first and last digit only."""
    if len(digits) != 13:
        return "x-xxxx-xxxxx-xx-x"
    return f"{digits[0]}-xxxx-xxxxx-xx-{digits[-1]}"


def mask_phone(e164: str) -> str:
    """`+66812345678` → `08x-xxx-5678`: the last four digits, which the citizen already knows."""
    if not e164:
        return ""
    national = "0" + e164[3:] if e164.startswith("+66") else e164
    return f"{national[:2]}x-xxx-{national[-4:]}"
