"""Check results (ตรวจสอบผลดำเนินการ) and the status page (สถานะการดำเนินงาน).

The number + 4 phone digits are posted, never put in a URL; a correct pair stores the request's
id in the session for `ONESTOP_TRACKING_SESSION_MINUTES` and redirects (POST/redirect/GET) to
the status page, which reads only the session. Every response here is `Cache-Control: no-store`."""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.defaults import page_not_found

from onestop.cases import numbering
from onestop.cases.models import Case
from onestop.cases.workflow import Actor, Move, Status, allowed_moves
from onestop.core.errors import DomainError
from onestop.core.ingress import accepts_uploads
from onestop.core.net import client_ip
from onestop.core.pagecache import public_page
from onestop.documents.http import request_document_response
from onestop.organisations.models import Organisation
from onestop.organisations.selectors import organisation_get_public
from onestop.tracking import services, throttle
from onestop.tracking.forms import (
    AddInformationForm,
    CancelForm,
    CheckForm,
    NotSolvedForm,
    RatingForm,
)
from onestop.tracking.selectors import (
    case_get_verified,
    case_verify,
    feedback_state,
    public_photo_get,
    public_photos,
    public_timeline,
    staff_question,
)

log = logging.getLogger("onestop.tracking")
SESSION_KEY = "onestop_tracking"


# --- The verified session ------------------------------------------------------------------


def _remember(request: HttpRequest, case: Case) -> None:
    request.session.cycle_key()  # a new session id once the citizen has proved who they are
    request.session[SESSION_KEY] = {
        "organisation": case.organisation_id,
        "case": case.pk,
        "until": time.time() + 60 * settings.ONESTOP_TRACKING_SESSION_MINUTES,
    }


def _verified_case(request: HttpRequest, organisation: Organisation) -> Case | None:
    entry = request.session.get(SESSION_KEY)
    if not isinstance(entry, dict) or entry.get("organisation") != organisation.pk:
        return None
    if float(entry.get("until", 0)) < time.time():
        del request.session[SESSION_KEY]
        return None
    return case_get_verified(organisation=organisation, case_id=int(entry["case"]))


ViewFunc = Callable[..., HttpResponseBase]


def _needs_verified_case(*, page: bool = False) -> Callable[[ViewFunc], ViewFunc]:
    """Give the view the verified request of this organisation. Without one: the status page
    sends the citizen back to the check form; everything else answers 404."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponseBase:
            try:
                organisation = organisation_get_public(slug=slug)
                case = _verified_case(request, organisation)
                if case is None:
                    if page:
                        messages.info(request, _("กรุณากรอกเลขที่คำร้องและเบอร์โทรศัพท์ 4 ตัวสุดท้ายอีกครั้ง"))
                        return redirect("tracking:check", slug=organisation.slug)
                    raise Http404
                return view(request, organisation, case, **kwargs)
            except Http404 as error:
                # Rendered here, so that never_cache marks the 404 no-store as well.
                return page_not_found(request, error)

        return wrapper

    return decorator


# --- Check results ---------------------------------------------------------------------------


def _check_page(
    request: HttpRequest,
    organisation: Organisation,
    form: CheckForm,
    *,
    not_found: bool = False,
    locked_until: dt.datetime | None = None,
) -> HttpResponse:
    seconds = 0
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    response = render(
        request,
        "tracking/check.html",
        {
            "organisation": organisation,
            "form": form,
            "not_found": not_found,
            "locked_until": locked_until,
            "locked_minutes": math.ceil(seconds / 60),
        },
        status=429 if locked_until is not None else 200,
    )
    if locked_until is not None:
        response["Retry-After"] = str(seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@public_page()  # the empty form (GET); a post is always checked
def check(request: HttpRequest, slug: str) -> HttpResponse:
    """The check form (GET) and the check of the pair (POST)."""
    organisation = organisation_get_public(slug=slug)
    if request.method == "GET":
        return _check_get(request, organisation)
    return _check_post(request, organisation)


def _check_get(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Fill in at most the number (from a QR code). Anything else in the address, the phone
    digits perhaps from a hand-made link, is dropped by reloading without it, so that it stays
    neither in the history nor in the language switch."""
    number = numbering.parse(request.GET.get("number", "")[:30])
    if set(request.GET) - {"number"}:
        clean = reverse("tracking:check", kwargs={"slug": organisation.slug})
        return redirect(f"{clean}?{urlencode({'number': number})}" if number else clean)
    initial = {"number": numbering.display(number) if number else ""}
    return _check_page(request, organisation, CheckForm(initial=initial))


def _check_post(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """1. A malformed form is shown again (nothing counted: no look-up was made).
    2. Count the attempt for the number and the address, under their row locks, before the
       digits are compared (so that simultaneous guesses cannot exceed the limit); while either
       is locked, refuse, whatever the digits.
    3. Verify; a failure is logged, and the attempt that reached a limit shows the lock.
    4. Success: give the attempt back, remember the request in the session and redirect to the
       status page."""
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _check_page(request, organisation, form)
    number: str = form.cleaned_data["number"]
    subject = throttle.Subject(ip=client_ip(request) or "unknown", number=number)
    counted = throttle.attempt(subject)
    if counted.refused_until is not None:
        log.info("tracking refused while locked ip=%s number=%s", subject.ip, number)
        return _check_page(request, organisation, CheckForm(), locked_until=counted.refused_until)

    case = case_verify(organisation=organisation, number=number, digits=form.cleaned_data["digits"])
    if case is None:
        log.warning(
            "tracking failure organisation=%s ip=%s number=%s",
            organisation.slug, subject.ip, number,
        )  # fmt: skip
        if counted.locked_until is not None:
            return _check_page(
                request, organisation, CheckForm(), locked_until=counted.locked_until
            )
        again = CheckForm(initial={"number": numbering.display(number)})
        return _check_page(request, organisation, again, not_found=True)

    throttle.refund(subject)
    _remember(request, case)
    return redirect("tracking:status", slug=organisation.slug)


@never_cache
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Forget the verified request (a shared phone, an internet café)."""
    organisation = organisation_get_public(slug=slug)
    request.session.pop(SESSION_KEY, None)
    return redirect("tracking:check", slug=organisation.slug)


# --- The status page -------------------------------------------------------------------------

STATUS_EXPLAINED = {
    Status.SUBMITTED: gettext_lazy("ระบบได้รับคำร้องของท่านแล้ว รอเจ้าหน้าที่รับเรื่อง"),
    Status.RECEIVED: gettext_lazy("เจ้าหน้าที่รับเรื่องแล้ว และส่งให้หน่วยงานที่รับผิดชอบ"),
    Status.IN_PROGRESS: gettext_lazy("หน่วยงานที่รับผิดชอบกำลังดำเนินการ"),
    Status.WAITING_CITIZEN: gettext_lazy("เจ้าหน้าที่ขอข้อมูลเพิ่มเติมจากท่าน กรุณาส่งข้อมูลด้านล่าง"),
    Status.FORWARDED: gettext_lazy("เรื่องของท่านอยู่ในความรับผิดชอบของหน่วยงานอื่น จึงส่งต่อไปแล้ว"),
    Status.COMPLETED: gettext_lazy(
        "หน่วยงานแจ้งว่าดำเนินการเสร็จแล้ว กรุณาบอกเราว่าปัญหาได้รับการแก้ไขจริงหรือไม่"
    ),
    Status.REJECTED: gettext_lazy("หน่วยงานไม่สามารถรับเรื่องนี้ได้ ดูเหตุผลในลำดับเหตุการณ์"),
    Status.CANCELLED: gettext_lazy("ท่านยกเลิกคำร้องนี้แล้ว"),
}


def _status_page(
    request: HttpRequest,
    organisation: Organisation,
    case: Case,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    state = feedback_state(case=case)
    timeline = public_timeline(case=case)
    current = Status(case.status)
    moves = allowed_moves(current, Actor.CITIZEN)
    explained: str = str(STATUS_EXPLAINED.get(current, current.label))
    if current == Status.COMPLETED and state.answered_since_completion:
        explained = _("ดำเนินการแล้วเสร็จ ขอบคุณที่แจ้งผลให้เราทราบ")
    context: dict[str, Any] = {
        "organisation": organisation,
        "case": case,
        "status_label": current.label,
        "status_explained": explained,
        "timeline": timeline,
        "staff_question": staff_question(timeline) if Move.ANSWER in moves else "",
        "photos": list(public_photos(case=case)),
        # The buttons are the citizen's moves of the workflow table from this status.
        "can_cancel": Move.CANCEL in moves,
        "can_add_information": Move.ANSWER in moves,
        "can_answer_solved": Move.NOT_SOLVED in moves and not state.answered_since_completion,
        "can_rate": Move.NOT_SOLVED in moves and state.rating is None,
        "rating": state.rating,
        "error_form": None,
        "solved_form": django_forms.Form(),  # no fields: the button is the whole answer
        "cancel_form": CancelForm(),
        "information_form": AddInformationForm(),
        "not_solved_form": NotSolvedForm(),
        "rating_form": RatingForm(),
    }
    context |= forms or {}
    return render(request, "tracking/status.html", context, status=status)


@never_cache
@require_GET
@_needs_verified_case(page=True)
def status(request: HttpRequest, organisation: Organisation, case: Case) -> HttpResponse:
    return _status_page(request, organisation, case)


def _act(
    request: HttpRequest,
    organisation: Organisation,
    case: Case,
    *,
    form: Any,
    form_name: str,
    action: Callable[[], object],
    done: str,
) -> HttpResponse:
    """Run a citizen action: a valid form and an allowed move redirect back to the status page
    with `done`; otherwise the page is shown again with the error at the form."""
    if form.is_valid():
        try:
            action()
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("tracking:status", slug=organisation.slug)
    forms = {form_name: form, "error_form": form}
    return _status_page(request, organisation, case, forms=forms, status=400)


@never_cache
@require_POST
@_needs_verified_case()
def cancel(request: HttpRequest, organisation: Organisation, case: Case) -> HttpResponse:
    form = CancelForm(request.POST)
    return _act(
        request, organisation, case, form=form, form_name="cancel_form",
        action=lambda: services.tracking_cancel(
            case=case, reason=form.cleaned_data["reason"], request=request
        ),
        done=_("ยกเลิกคำร้องแล้ว"),
    )  # fmt: skip


@accepts_uploads
@never_cache
@require_POST
@_needs_verified_case()
def add_information(request: HttpRequest, organisation: Organisation, case: Case) -> HttpResponse:
    form = AddInformationForm(request.POST, request.FILES)
    return _act(
        request, organisation, case, form=form, form_name="information_form",
        action=lambda: services.tracking_add_information(
            case=case, message=form.cleaned_data["message"],
            files=form.cleaned_data["attachments"], request=request,
        ),
        done=_("ส่งข้อมูลเพิ่มเติมแล้ว เจ้าหน้าที่จะดำเนินการต่อ"),
    )  # fmt: skip


@never_cache
@require_POST
@_needs_verified_case()
def confirm_solved(request: HttpRequest, organisation: Organisation, case: Case) -> HttpResponse:
    return _act(
        request, organisation, case, form=django_forms.Form(request.POST), form_name="solved_form",
        action=lambda: services.tracking_confirm_solved(case=case, request=request),
        done=_("ขอบคุณที่ยืนยันว่าปัญหาได้รับการแก้ไขแล้ว"),
    )  # fmt: skip


@never_cache
@require_POST
@_needs_verified_case()
def not_solved(request: HttpRequest, organisation: Organisation, case: Case) -> HttpResponse:
    form = NotSolvedForm(request.POST)
    return _act(
        request, organisation, case, form=form, form_name="not_solved_form",
        action=lambda: services.tracking_report_not_solved(
            case=case, reason=form.cleaned_data["reason"], request=request
        ),
        done=_("เปิดเรื่องอีกครั้งแล้ว เจ้าหน้าที่จะดำเนินการต่อ"),
    )  # fmt: skip


@never_cache
@require_POST
@_needs_verified_case()
def rate(request: HttpRequest, organisation: Organisation, case: Case) -> HttpResponse:
    form = RatingForm(request.POST)
    return _act(
        request, organisation, case, form=form, form_name="rating_form",
        action=lambda: services.tracking_rate(
            case=case, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"],
            request=request,
        ),
        done=_("ขอบคุณสำหรับความคิดเห็น"),
    )  # fmt: skip


@never_cache
@require_GET
@_needs_verified_case()
def photo(
    request: HttpRequest, organisation: Organisation, case: Case, pk: int
) -> HttpResponseBase:
    """A public "after" photo of the verified request (404 for anything else)."""
    attachment = public_photo_get(case=case, pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    if not attachment.content_type.startswith("image/"):
        response["Content-Disposition"] = "attachment"
    return response


@never_cache
@require_GET
@_needs_verified_case()
def document(request: HttpRequest, organisation: Organisation, case: Case) -> HttpResponse:
    """The request document (เอกสารคำร้อง) again, as a PDF."""
    return request_document_response(case)
