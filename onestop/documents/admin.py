"""Admin actions for platform operators. The Organisation admin lives in `catalog.admin`, below
this app; `DocumentsConfig.ready` adds these actions to it (`add_poster_actions`), so catalog
never imports documents. No model is registered here."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.documents.http import file_response
from onestop.organisations.models import Organisation

MAX_POSTERS = 30  # a few seconds of rendering; more is a job for `render_documents`

Renderer = Callable[[Organisation], bytes]


def _posters(
    modeladmin: admin.ModelAdmin[Organisation],
    request: HttpRequest,
    queryset: QuerySet[Organisation],
    *,
    render: Renderer,
    extension: str,
    content_type: str,
) -> HttpResponse | None:
    """One poster as a file download, several as a ZIP with one file each."""
    organisations = list(queryset.order_by("slug")[: MAX_POSTERS + 1])
    if len(organisations) > MAX_POSTERS:
        modeladmin.message_user(
            request,
            _("เลือกได้ครั้งละไม่เกิน %(count)d แห่ง") % {"count": MAX_POSTERS},
            level=messages.ERROR,
        )
        return None
    if len(organisations) == 1:
        [organisation] = organisations
        return file_response(
            render(organisation),
            filename=f"poster-{organisation.slug}.{extension}",
            content_type=content_type,
            private=False,
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for organisation in organisations:
            archive.writestr(f"poster-{organisation.slug}.{extension}", render(organisation))
    return file_response(
        buffer.getvalue(),
        filename=f"posters-{extension}.zip",
        content_type="application/zip",
        private=False,
    )


@admin.action(description=gettext_lazy("ดาวน์โหลดโปสเตอร์ QR Code (PDF)"))
def _lazy(name: str) -> Callable[[Organisation], bytes]:
    """A poster renderer imported when first used: fpdf2 and its fonts cost a web worker about
    60 MB, which the admin's start-up should not add to every process (bench/memory.py)."""

    def render(organisation: Organisation) -> bytes:
        from onestop.documents import posters  # noqa: PLC0415

        result: bytes = getattr(posters, name)(organisation)
        return result

    return render


def download_poster_pdf(
    modeladmin: admin.ModelAdmin[Organisation], request: HttpRequest, queryset: Any
) -> HttpResponse | None:
    return _posters(
        modeladmin, request, queryset,
        render=_lazy("poster_pdf"), extension="pdf", content_type="application/pdf",
    )  # fmt: skip


@admin.action(description=gettext_lazy("ดาวน์โหลดโปสเตอร์ QR Code (PNG)"))
def download_poster_png(
    modeladmin: admin.ModelAdmin[Organisation], request: HttpRequest, queryset: Any
) -> HttpResponse | None:
    return _posters(
        modeladmin, request, queryset,
        render=_lazy("poster_png"), extension="png", content_type="image/png",
    )  # fmt: skip


def add_poster_actions(site: admin.AdminSite) -> None:
    """Offer the poster downloads on the Organisation admin registered by `catalog.admin`."""
    model_admin = site.get_model_admin(Organisation)
    model_admin.actions = [*(model_admin.actions or ()), download_poster_pdf, download_poster_png]
