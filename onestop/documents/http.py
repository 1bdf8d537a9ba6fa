"""Ready-made download responses, for the views that have already checked access (wizard,
tracking, back office). The request document holds personal data: never cached."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from onestop.cases.models import Case
from onestop.documents.pdf import request_document_pdf
from onestop.documents.posters import poster_pdf, poster_png
from onestop.organisations.models import Organisation


def request_document_filename(case: Case) -> str:
    """`request-69-04217-88315-6.pdf`: ASCII, as some phone browsers mangle other names."""
    return f"request-{case.display_number}.pdf"


def file_response(
    data: bytes, *, filename: str, content_type: str, inline: bool = False, private: bool = True
) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        add_never_cache_headers(response)  # no-store: shared phones, proxies, back button
    return response


def request_document_response(case: Case, *, inline: bool = False) -> HttpResponse:
    """The request document as a download (or shown in the browser with `inline=True`)."""
    return file_response(
        request_document_pdf(case),
        filename=request_document_filename(case),
        content_type="application/pdf",
        inline=inline,
    )


def poster_response(organisation: Organisation, *, image: bool = False) -> HttpResponse:
    """The organisation's QR poster as a PDF download, or as a PNG with `image=True`."""
    if image:
        data, extension, content_type = poster_png(organisation), "png", "image/png"
    else:
        data, extension, content_type = poster_pdf(organisation), "pdf", "application/pdf"
    return file_response(
        data,
        filename=f"poster-{organisation.slug}.{extension}",
        content_type=content_type,
        private=False,
    )
