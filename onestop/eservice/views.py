"""The citizen's request wizard: details → place → documents → review → done.

Each step keeps what was entered in the session (`wizard.Wizard`); the order of the steps is
enforced here, on the server, and the request is created only by the final confirmed post,
through `cases.services.case_submit` (one transaction, idempotent per wizard key)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import UpdateError
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from onestop.cases.files import StorageFull
from onestop.cases.models import AttachmentKind, Case
from onestop.cases.selectors import case_get_for_organisation
from onestop.cases.services import Place, case_submit
from onestop.cases.uploads import MAX_FILE_BYTES, MAX_FILES
from onestop.catalog.models import LocationRule, RequestType
from onestop.catalog.selectors import catalogue_for_citizens, request_type_get
from onestop.core import addresses, links
from onestop.core.errors import DomainError
from onestop.core.identity import format_mobile
from onestop.core.ingress import accepts_uploads
from onestop.core.masking import mask_national_id
from onestop.core.pagecache import public_page
from onestop.documents.http import request_document_response
from onestop.eservice.forms import (
    TITLES,
    CitizenForm,
    ConfirmForm,
    DetailsForm,
    DocumentsForm,
    PlaceForm,
)
from onestop.eservice.selectors import case_get_by_submission_key, map_start
from onestop.eservice.wizard import DRAFT_VALUE_MAX, STEPS, Wizard, wizard_in_session
from onestop.organisations.models import Organisation
from onestop.organisations.selectors import organisation_get_public

logger = logging.getLogger(__name__)
_View = Callable[..., HttpResponse]

STEP_TITLES = {
    "details": gettext_lazy("รายละเอียดคำร้อง"),
    "place": gettext_lazy("สถานที่ดำเนินการ"),
    "documents": gettext_lazy("เอกสารประกอบ"),
    "review": gettext_lazy("ตรวจสอบ"),
    "done": gettext_lazy("สำเร็จ"),
}


def _url(step: str, slug: str) -> str:
    return reverse(f"eservice:{step}", kwargs={"slug": slug})


def _step_context(step: str, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    number = STEPS.index(step) + 1
    steps = [
        {"number": i + 1, "title": str(STEP_TITLES[name]),
         "state": "done" if i + 1 < number else "current" if i + 1 == number else "todo",
         # Finished steps link back to be edited, until the request is filed.
         "url": _url(name, organisation.slug) if i + 1 < number and step != "done" else ""}
        for i, name in enumerate(STEPS)
    ]  # fmt: skip
    return {
        "organisation": organisation,
        "step": step,
        "step_number": number,
        "step_total": len(STEPS),
        "step_title": str(STEP_TITLES[step]),
        "steps": steps,
        "map_tiles_url": "",
        **extra,
    }


def _request_type(organisation: Organisation, wizard: Wizard) -> RequestType | None:
    if wizard.type_id is None:
        return None
    try:
        return request_type_get(organisation=organisation, pk=wizard.type_id)
    except Http404:
        return None  # the type was closed meanwhile: step 1 again


def _restart(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Back to step 1 when the session holds nothing: it expired, or steps were skipped."""
    if request.method == "POST":
        messages.warning(
            request,
            _("การทำรายการหมดเวลาหรือข้อมูลหายไป เพื่อความปลอดภัยของข้อมูล กรุณากรอกคำร้องใหม่ตั้งแต่ขั้นตอนที่ 1"),
        )
    else:
        messages.info(request, _("กรุณาเริ่มกรอกคำร้องจากขั้นตอนที่ 1"))
    return redirect(_url("details", organisation.slug))


def _go_to_missing(
    request: HttpRequest, organisation: Organisation, wizard: Wizard, current: str
) -> HttpResponse | None:
    """A redirect to the first step not done before `current`, or None to stay."""
    if not wizard.started:
        if current == "review" and request.method == "GET" and wizard.done_numbers():
            return redirect(_url("done", organisation.slug))  # "back" after filing
        return _restart(request, organisation)
    missing = wizard.first_missing_step(_request_type(organisation, wizard))
    if missing is not None and STEPS.index(missing) < STEPS.index(current):
        messages.info(request, _("กรุณากรอกขั้นตอนนี้ให้ครบก่อน"))
        return redirect(_url(missing, organisation.slug))
    return None


def _after(step: str, organisation: Organisation, wizard: Wizard) -> HttpResponse:
    """Where a finished step leads: the next step, or back to review after an edit."""
    request_type = _request_type(organisation, wizard)
    missing = wizard.first_missing_step(request_type)
    if missing is None:
        return redirect(_url("review", organisation.slug))
    following = STEPS[STEPS.index(step) + 1]
    if (
        request_type is not None
        and following == "place"
        and (request_type.location == LocationRule.NOT_ASKED)
    ):
        following = "documents"
    return redirect(_url(max(missing, following, key=STEPS.index), organisation.slug))


def _unavailable(request: HttpRequest, slug: str, back: str, error: Exception) -> HttpResponse:
    """The outage page: nothing of this post was kept, everything entered before still is
    (the session is not saved with an error status). 507 for a full disk, else 503."""
    full = isinstance(error, StorageFull)
    logger.error("eservice: %s failed for %s (%r)", back, slug, error, exc_info=not full)
    context = {"back_url": _url(back, slug), "storage_full": full}
    response = render(request, "eservice/unavailable.html", context, status=507 if full else 503)
    response["Retry-After"] = "120"
    return response


def _kept_on_outage(back: str) -> Callable[[_View], _View]:
    """Turn a database or storage failure in a wizard view into the outage page, with a link
    back to the step `back`. The database may be gone: the page needs none of it."""

    def decorate(view: _View) -> _View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, slug, *args, **kwargs)
            except (StorageFull, DatabaseError, OSError, UpdateError) as error:
                return _unavailable(request, slug, back, error)

        return wrapper

    return decorate


# -- step 1 ------------------------------------------------------------------------------------
def _wizard_started(request: HttpRequest, slug: str) -> bool:
    return wizard_in_session(request.session, slug)


@never_cache
@require_http_methods(["GET", "POST"])
@public_page(personal=_wizard_started)  # a first visit's empty form is the same for everyone
def details(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    wizard = Wizard(request.session, slug)
    catalogue = list(catalogue_for_citizens(organisation=organisation))
    if request.method == "POST":
        raw_type = request.POST.get("request_type", "")
        if raw_type.isdigit():  # another organisation's (or a closed) type: not found here
            request_type_get(organisation=organisation, pk=int(raw_type))
        form = DetailsForm(request.POST, catalogue=catalogue)
        if form.is_valid():
            wizard.set_details(
                type_id=form.cleaned_data["request_type"], subject=form.cleaned_data["subject"],
                details=form.cleaned_data["details"].strip(), requester=form.requester(),
            )  # fmt: skip
            return _after("details", organisation, wizard)
        wizard.keep_draft("details", _draft_of(form, request), secret=SECRET_FIELDS)
    elif (draft := wizard.draft("details", secret=SECRET_FIELDS)) is not None:
        chosen = request.GET.get("type", "")
        if chosen.isdigit():  # a type chosen anew on the OSS centre wins over the draft's
            draft["request_type"] = str(
                request_type_get(organisation=organisation, pk=int(chosen)).pk
            )
        form = DetailsForm(draft, catalogue=catalogue)  # what was refused, with its errors
    else:
        form = DetailsForm(initial=_details_initial(request, organisation, wizard),
                           catalogue=catalogue)  # fmt: skip
    context = _step_context("details", organisation, form=form, catalogue=catalogue,
                            titles=TITLES)  # fmt: skip
    return render(request, "eservice/details.html", context)


# Kept encrypted in a draft, as in the wizard's state.
SECRET_FIELDS = frozenset({"national_id"})


def _draft_of(form: CitizenForm, request: HttpRequest) -> dict[str, str]:
    """The posted values of `form`'s fields (not files, not the buttons), each cut to a
    bounded length, to be kept as the step's draft."""
    return {
        name: request.POST.get(name, "")[:DRAFT_VALUE_MAX]
        for name in form.fields
        if name in request.POST
    }


def _details_initial(
    request: HttpRequest, organisation: Organisation, wizard: Wizard
) -> dict[str, Any]:
    state = wizard.state
    if state is not None and state.requester is not None:
        return {**asdict(state.requester), "phone": format_mobile(state.requester.phone),
                "request_type": state.type_id, "subject": state.subject,
                "details": state.details, "privacy": True}  # fmt: skip
    chosen = request.GET.get("type", "")
    if chosen.isdigit():
        return {"request_type": request_type_get(organisation=organisation, pk=int(chosen)).pk}
    return {}


# -- step 2 ------------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    wizard = Wizard(request.session, slug)
    if (response := _go_to_missing(request, organisation, wizard, "place")) is not None:
        return response
    request_type = _request_type(organisation, wizard)
    assert request_type is not None  # checked by _go_to_missing
    if request_type.location == LocationRule.NOT_ASKED:
        wizard.set_place(None)
        return _after("place", organisation, wizard)
    required = request_type.location == LocationRule.REQUIRED
    if request.method == "POST":
        form = PlaceForm(request.POST, request_type=request_type)
        if request.POST.get("action") == "skip" and not required:
            wizard.set_place(None)
            return _after("place", organisation, wizard)
        if form.is_valid():
            wizard.set_place(form.place(form.cleaned_data))
            return _after("place", organisation, wizard)
        wizard.keep_draft("place", _draft_of(form, request), secret=frozenset())
    elif (draft := wizard.draft("place", secret=frozenset())) is not None:
        form = PlaceForm(draft, request_type=request_type)
    else:
        initial = asdict(wizard.place) if wizard.place else {
            "district": organisation.district, "province": organisation.province}  # fmt: skip
        form = PlaceForm(initial=initial, request_type=request_type)
    subdistricts = addresses.subdistricts_in(
        district_code=organisation.district_code, province_code=organisation.province_code
    ) if organisation.district_code or organisation.province_code else []  # fmt: skip
    context = _step_context(
        "place", organisation, form=form, request_type=request_type, required=required,
        subdistricts=subdistricts, map_tiles_url=settings.ONESTOP_MAP_TILES_URL,
        map_attribution=settings.ONESTOP_MAP_ATTRIBUTION,
        map_start=map_start(organisation=organisation) if settings.ONESTOP_MAP_TILES_URL else None,
    )  # fmt: skip
    return render(request, "eservice/place.html", context)


@require_GET
def address_lookup(request: HttpRequest, slug: str) -> JsonResponse:
    """Subdistricts matching `?subdistrict=` (narrowed by district/province), for the place step."""
    organisation_get_public(slug=slug)
    found = addresses.subdistrict_find(
        name=request.GET.get("subdistrict", "")[:100],
        district=request.GET.get("district", "")[:100],
        province=request.GET.get("province", "")[:100],
    )[:10]
    return JsonResponse({"matches": [
        {"code": s.code, "subdistrict": s.name, "district": s.district, "province": s.province,
         "postcode": s.postcode} for s in found
    ]})  # fmt: skip


# -- step 3 ------------------------------------------------------------------------------------
@accepts_uploads  # the body may hold every file; its size is checked before it is read
@never_cache
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 3. An oversized post never gets here (onestop.core.ingress answers 413)."""
    return _documents(request, slug)


@_kept_on_outage("documents")
def _documents(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    wizard = Wizard(request.session, slug)
    if (response := _go_to_missing(request, organisation, wizard, "documents")) is not None:
        return response
    request_type = _request_type(organisation, wizard)
    assert request_type is not None
    already = sum(1 for f in wizard.files if not f.is_id_card)
    form = DocumentsForm(documents_already=already)
    if request.method == "POST":
        if remove := request.POST.get("remove"):
            wizard.remove_file(remove)
            messages.info(request, _("ลบไฟล์แล้ว"))
            return redirect(_url("documents", slug))
        form = DocumentsForm(request.POST, request.FILES, documents_already=already)
        if form.is_valid():
            wizard.add_files(form.new_files)
            has_id_card = any(f.is_id_card for f in wizard.files)
            if request.POST.get("action") != "next":
                if form.new_files:
                    messages.success(
                        request, _("แนบไฟล์แล้ว %(count)s ไฟล์") % {"count": len(form.new_files)}
                    )
                return redirect(_url("documents", slug))
            if request_type.id_card_required and not has_id_card:
                form.add_error(
                    "id_card", _("คำร้องประเภทนี้ต้องแนบรูปบัตรประชาชน กรุณาถ่ายรูปด้านหน้าของบัตรแล้วแนบ")
                )
            else:
                wizard.set_documents_done()
                return _after("documents", organisation, wizard)
    context = _step_context(
        "documents", organisation, form=form, request_type=request_type, files=wizard.files,
        max_files=MAX_FILES, max_mb=MAX_FILE_BYTES // (1024 * 1024), max_bytes=MAX_FILE_BYTES,
        room_left=max(0, MAX_FILES - already),
    )  # fmt: skip
    return render(request, "eservice/documents.html", context)


@never_cache
@require_GET
def staged_file(request: HttpRequest, slug: str, file_id: str) -> FileResponse:
    """A file this session uploaded (thumbnails in review). Any other session gets 404."""
    organisation_get_public(slug=slug)
    staged = Wizard(request.session, slug).file(file_id)
    if staged is None:
        raise Http404
    response = FileResponse(
        default_storage.open(staged.path, "rb"),
        content_type=staged.content_type,
        as_attachment=not staged.is_image,
        filename=staged.name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# -- step 4 ------------------------------------------------------------------------------------
def _summary(organisation: Organisation, wizard: Wizard) -> dict[str, Any]:
    state = wizard.state
    assert state is not None and state.requester is not None  # checked by _go_to_missing
    return {
        "request_type": _request_type(organisation, wizard),
        "subject": state.subject,
        "details": state.details,
        "requester": state.requester,
        "national_id_masked": mask_national_id(state.requester.national_id),
        "place": state.place,
        "files": wizard.files,
        "submission_key": state.submission_key,
    }


@never_cache
@require_GET
def review(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    wizard = Wizard(request.session, slug)
    if (response := _go_to_missing(request, organisation, wizard, "review")) is not None:
        return response
    context = _step_context("review", organisation, **_summary(organisation, wizard))
    return render(request, "eservice/review.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@_kept_on_outage("review")
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the confirmation question as a page (without JavaScript). POST: file the request.

    1. A key already used → the same done page (double click, back and submit, retry).
    2. No wizard in the session → it expired: step 1 with a message.
    3. Steps missing → the first missing step; nothing is created.
    4. `case_submit` in one transaction; a domain error goes back to review, a database or
       storage failure (here or in the look-ups above) shows the outage page (503, or 507
       for a full disk), with everything entered kept."""
    organisation = organisation_get_public(slug=slug)
    wizard = Wizard(request.session, slug)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        key = form.cleaned_data["submission_key"] if form.is_valid() else ""
        existing = case_get_by_submission_key(organisation=organisation, submission_key=key)
        if existing is not None:
            if wizard.submission_key == key:
                wizard.finish(existing.number)
            wizard.remember_done(existing.number)
            return redirect(_url("done", slug))
    if (response := _go_to_missing(request, organisation, wizard, "review")) is not None:
        return response
    if request.method == "GET":
        context = _step_context("review", organisation, submission_key=wizard.submission_key)
        return render(request, "eservice/confirm.html", context)
    if key != wizard.submission_key:
        messages.warning(request, _("ข้อมูลคำร้องมีการเปลี่ยนแปลง กรุณาตรวจสอบอีกครั้งแล้วกดส่งเรื่อง"))
        return redirect(_url("review", slug))
    return _submit(request, organisation, wizard)


def _submit(request: HttpRequest, organisation: Organisation, wizard: Wizard) -> HttpResponse:
    request_type = _request_type(organisation, wizard)
    assert request_type is not None
    state = wizard.state
    assert state is not None and state.requester is not None
    try:
        case = case_submit(
            organisation=organisation,
            request_type=request_type,
            subject=state.subject,
            details=state.details,
            requester=state.requester,
            place=state.place or Place(),
            files=wizard.read_files(),
            submission_key=state.submission_key,
        )
    except StorageFull as error:
        return _unavailable(request, organisation.slug, "review", error)
    except DomainError as error:
        context = _step_context("review", organisation, submit_error=error.message,
                                **_summary(organisation, wizard))  # fmt: skip
        return render(request, "eservice/review.html", context, status=400)
    except (DatabaseError, OSError):
        # A concurrent post with the same key may have filed it (and removed the staged files).
        existing = case_get_by_submission_key(
            organisation=organisation, submission_key=wizard.submission_key
        )
        if existing is not None:
            wizard.finish(existing.number)
            return redirect(_url("done", organisation.slug))
        raise
    wizard.finish(case.number)
    return redirect(_url("done", organisation.slug))


# -- step 5 ------------------------------------------------------------------------------------
def _latest_done(request: HttpRequest, organisation: Organisation) -> Case:
    numbers = Wizard(request.session, organisation.slug).done_numbers()
    if not numbers:
        raise Http404
    return case_get_for_organisation(
        organisation=organisation, number=numbers[-1], include_confidential=True
    )


@never_cache
@require_GET
def done(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    if not Wizard(request.session, slug).done_numbers():
        return _restart(request, organisation)
    case = _latest_done(request, organisation)
    tracking = links.tracking_url(organisation.slug, case.display_number)
    qr_svg = segno.make(tracking, error="m").svg_inline(
        scale=4, border=2, title=_("คิวอาร์โค้ดสำหรับตรวจสอบผลคำร้อง"), omitsize=True
    )
    context = _step_context("done", organisation, case=case, tracking_url=tracking, qr_svg=qr_svg,
                            id_card_kind=AttachmentKind.ID_CARD)  # fmt: skip
    return render(request, "eservice/done.html", context)


@never_cache
@require_GET
def document_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The request document (A4 PDF) of the request this session just filed."""
    organisation = organisation_get_public(slug=slug)
    return request_document_response(_latest_done(request, organisation))


@require_GET
def privacy(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    return render(request, "eservice/privacy.html", {"organisation": organisation})
