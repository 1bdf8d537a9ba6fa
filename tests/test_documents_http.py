"""The download responses the wizard, tracking and back office views return."""

from __future__ import annotations

import io

from PIL import Image

from onestop.core.links import eservice_url
from onestop.documents.http import poster_response, request_document_response
from onestop.organisations.models import Organisation
from tests.documents_helpers import pdf_text, qr_texts
from tests.factories import make_case


def test_the_request_document_downloads_and_is_never_cached(org_a: Organisation) -> None:
    case = make_case(org_a)

    response = request_document_response(case)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="request-{case.display_number}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert case.display_number in pdf_text(response.content)


def test_the_request_document_can_open_in_the_browser(org_a: Organisation) -> None:
    response = request_document_response(make_case(org_a), inline=True)

    assert response["Content-Disposition"].startswith("inline; ")


def test_the_poster_downloads_as_pdf_or_png(org_a: Organisation) -> None:
    pdf = poster_response(org_a)
    png = poster_response(org_a, image=True)

    assert pdf["Content-Disposition"] == 'attachment; filename="poster-wangchao.pdf"'
    assert pdf.content.startswith(b"%PDF")
    assert png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).format == "PNG"
    assert qr_texts(png.content) == [eservice_url("wangchao")]
