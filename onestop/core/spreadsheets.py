"""Cells of exported spreadsheets (CSV) that a spreadsheet program will not run as formulas.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return may be read as a formula
(`=HYPERLINK(...)` leaking data, `@SUM(...)`), so it gets a leading single quote, which Excel,
LibreOffice and Google Sheets show as text (OWASP "CSV injection")."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text that opens as text: prefixed with `'` if it could start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
