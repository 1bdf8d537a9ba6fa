"""Ready-made download responses, for the views that have already checked access (wizard,
tracking, back office). The request document holds personal data: never cached by a browser or
proxy (no-store); the server keeps each rendering for the same version of the request, as a file
in the private storage (deleted with the request's personal data)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from onestop.cases.models import Case
from onestop.cases.rendered import rendered_delete, rendered_name, rendered_storage
from onestop.organisations.models import Organisation

# The PDF modules are imported when a document is first rendered, not with the views: fpdf2,
# fontTools and harfbuzz cost a web worker about 60 MB, and with the rendered documents cached
# most workers never need them (bench/memory.py).


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


def _document_name(case: Case, language: str) -> str:
    """Changes with anything printed: the request's version (bumped by every change made
    through the services) and what the organisation and the request type print on it."""
    organisation = case.organisation
    files = case.attachments.aggregate(n=Count("pk"), last=Max("pk"))  # listed on the form
    printed = "\x1f".join(
        str(value) for value in (
            organisation.name_th, organisation.name_en, organisation.address, organisation.phone,
            organisation.email, organisation.logo.name if organisation.logo else "",
            case.request_type.name_th, case.request_type.name_en,
            case.request_type.is_confidential, case.updated_at.isoformat(), files["n"],
            files["last"],
        )
    )  # fmt: skip
    digest = hashlib.sha256(printed.encode()).hexdigest()[:16]
    return rendered_name(case_id=case.pk, version=case.version, language=language, digest=digest)


def request_document_bytes(case: Case, *, language: str = "th") -> bytes:
    """The request document, rendered once per version of the request (and of what the
    organisation prints on it) and kept as a file in the private storage
    (`onestop.cases.rendered`): a download of the same version reads that file, in any process
    on any server sharing the storage. Rendering a new version deletes the older ones; the
    request's anonymisation deletes them all."""
    name = _document_name(case, language)
    storage = rendered_storage()
    try:
        with storage.open(name, "rb") as kept:
            data: bytes = kept.read()
        if data.rstrip().endswith(b"%%EOF"):  # not one being written by another process
            return data
    except FileNotFoundError:
        pass
    from onestop.documents import pdf  # noqa: PLC0415 (lazy, see above)

    data = pdf.request_document_pdf(case, language=language)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # another process rendered the same version at the same moment
        storage.delete(saved)
    rendered_delete(case.pk, keep=frozenset({name}))
    return data


def request_document_response(case: Case, *, inline: bool = False) -> HttpResponse:
    """The request document as a download (or shown in the browser with `inline=True`)."""
    data = request_document_bytes(case)
    return file_response(
        data,
        filename=request_document_filename(case),
        content_type="application/pdf",
        inline=inline,
    )


def poster_response(organisation: Organisation, *, image: bool = False) -> HttpResponse:
    """The organisation's QR poster as a PDF download, or as a PNG with `image=True`."""
    from onestop.documents.posters import poster_pdf, poster_png  # noqa: PLC0415 (lazy)

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
