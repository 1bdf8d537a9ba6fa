"""The demo platform's published files (ITA reports, open data, figures JSON) searched for
every demo requester's name, national ID, phone and house number, and for every subject and
detail they wrote: none may appear."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from onestop.cases.models import Case
from onestop.core.crypto import decrypt
from onestop.reports.selectors import fiscal_year
from tests.documents_helpers import comparable, pdf_text


@pytest.mark.usefixtures("no_personas")
def test_no_demo_requester_s_data_is_in_any_published_file(client: Client) -> None:
    call_command("load_demo", "--requests", "40", stdout=io.StringIO())
    cases = list(Case.objects.select_related("organisation", "request_type"))
    secrets: set[str] = set()
    for case in cases:
        secrets.update({case.requester_first_name, case.requester_last_name, case.phone,
                        case.phone[-9:], decrypt(case.national_id_encrypted), case.subject,
                        case.details[:40]})  # fmt: skip
        if case.house_no:
            secrets.add(f"บ้านเลขที่ {case.house_no}")
            secrets.add(f",{case.house_no},")  # as a CSV cell
    secrets.discard("")
    confidential = [c for c in cases if c.request_type.is_confidential]
    assert confidential, "the demo has confidential requests to hide"

    texts: list[str] = []
    year = fiscal_year(timezone.localdate())
    for slug in {c.organisation.slug for c in cases}:
        for kind in ("complaints", "corruption"):
            base = f"/{slug}/performance/ita/{kind}/{year}"
            texts.append(pdf_text(client.get(f"{base}.pdf").content))
            book = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content), read_only=True)
            texts.extend(str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True)
                         for v in r if v is not None)  # fmt: skip
        months = {timezone.localtime(c.submitted_at).strftime("%Y-%m") for c in cases}
        for month in months:
            for fmt in ("csv", "geojson"):
                response: Any = client.get(f"/{slug}/performance/open-data/{month}.{fmt}")
                texts.append(b"".join(response.streaming_content).decode())
        texts.append(client.get(f"/{slug}/performance/figures.json").content.decode())
    everything = "\n".join(texts)
    flat = comparable(everything)
    public = [c for c in cases if not c.request_type.is_confidential]
    assert any(c.display_number in everything for c in public)  # the search sees the rows
    for case in confidential:
        assert case.display_number not in everything
    for secret in secrets:
        if len(secret) >= 4:  # the shortest names and numbers would match anything
            assert secret not in everything, secret
            assert comparable(secret) not in flat, secret
