"""The download responses the wizard, tracking and back office views return."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from onestop.cases.models import Case
from onestop.cases.services import case_transition
from onestop.cases.workflow import Actor, Status
from onestop.core.links import eservice_url
from onestop.documents import pdf as pdf_module
from onestop.documents.http import poster_response, request_document_response
from onestop.documents.pdf import request_document_pdf
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


def test_the_request_document_is_rendered_once_per_version_of_the_request(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[int] = []

    def counted(case: Case, *, language: str = "th") -> bytes:
        renders.append(case.version)
        return request_document_pdf(case, language=language)

    monkeypatch.setattr(pdf_module, "request_document_pdf", counted)
    case = make_case(org_a)
    first = request_document_response(case).content
    again = request_document_response(Case.objects.get(pk=case.pk)).content
    assert again == first
    assert renders == [case.version]

    case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    changed = Case.objects.get(pk=case.pk)
    after = request_document_response(changed).content
    assert renders == [case.version, changed.version]  # a new version: rendered again
    assert changed.display_number in pdf_text(after)


def test_a_change_of_the_organisation_renders_the_document_again(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[str] = []

    def counted(case: Case, *, language: str = "th") -> bytes:
        renders.append(case.organisation.phone)
        return request_document_pdf(case, language=language)

    monkeypatch.setattr(pdf_module, "request_document_pdf", counted)
    case = make_case(org_a)
    request_document_response(case)
    org_a.phone = "02-999-9999"
    org_a.save()
    response = request_document_response(Case.objects.get(pk=case.pk))
    assert len(renders) == 2
    assert "02-999-9999" in pdf_text(response.content)


def test_the_kept_document_survives_the_cache_and_only_the_latest_version_is_kept(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another worker or server (nothing in this process's memory, the cache emptied) serves
    the same version from the kept file; a new version replaces the older file."""
    from django.core.cache import cache  # noqa: PLC0415

    from onestop.cases.rendered import rendered_list  # noqa: PLC0415

    renders: list[int] = []

    def counted(case: Case, *, language: str = "th") -> bytes:
        renders.append(case.version)
        return request_document_pdf(case, language=language)

    monkeypatch.setattr(pdf_module, "request_document_pdf", counted)
    case = make_case(org_a)
    first = request_document_response(case).content
    cache.clear()
    assert request_document_response(Case.objects.get(pk=case.pk)).content == first
    assert renders == [case.version]
    [kept] = rendered_list(case.pk)

    case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    changed = Case.objects.get(pk=case.pk)
    request_document_response(changed)
    request_document_response(Case.objects.get(pk=case.pk))
    assert renders == [case.version, changed.version]
    assert rendered_list(case.pk) != [kept]
    assert len(rendered_list(case.pk)) == 1


def test_a_half_written_document_is_not_served(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file another process is still writing (no end-of-file marker yet) is not served: this
    download renders its own."""
    from django.core.files.base import ContentFile  # noqa: PLC0415

    from onestop.cases.rendered import rendered_storage  # noqa: PLC0415
    from onestop.documents.http import _document_name  # noqa: PLC0415

    case = make_case(org_a)
    rendered_storage().save(_document_name(case, "th"), ContentFile(b"%PDF-1.4\n1 0 obj"))
    data = request_document_response(case).content
    assert data.rstrip().endswith(b"%%EOF")
    assert case.display_number in pdf_text(data)
