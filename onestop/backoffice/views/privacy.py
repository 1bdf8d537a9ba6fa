"""The data-subject page (PDPA) of an organisation's administrators: /staff/<org>/privacy/."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from onestop.backoffice import privacy
from onestop.backoffice.permissions import StaffAccess
from onestop.backoffice.views.base import staff_view


@require_http_methods(["GET", "POST"])
@staff_view
def data_subject(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    if not access.can_manage_staff:  # the organisation's administrators
        raise Http404
    organisation = access.organisation
    step = request.POST.get("step", "")
    retention = privacy.RetentionForm(
        request.POST if step == "retention" else None,
        initial={"personal_data_retention_days": organisation.personal_data_retention_days},
    )
    person = privacy.PersonForm(request.POST if step in {"find", "export", "erase"} else None)
    found = None
    if step == "retention" and retention.is_valid():
        days = retention.cleaned_data["personal_data_retention_days"]
        privacy.retention_set(access=access, request=request, days=days)
        messages.success(request, _("บันทึกระยะเวลาเก็บข้อมูลแล้ว"))
        return redirect("backoffice:privacy", org_slug=organisation.slug)
    if person.is_bound and person.is_valid():
        national_id = person.cleaned_data["national_id"]
        if step == "export":
            data = privacy.person_export(access=access, request=request, national_id=national_id)
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="onestop-personal-data.json"'
            return response
        if step == "erase":
            if request.POST.get("confirm") != "yes":
                messages.error(request, _("กรุณาทำเครื่องหมายยืนยันก่อนลบข้อมูล"))
            else:
                erased, kept = privacy.person_erase(
                    access=access, request=request, national_id=national_id
                )
                messages.success(
                    request,
                    ngettext(
                        "ลบข้อมูลส่วนบุคคลออกจากคำร้อง %(count)d เรื่องแล้ว",
                        "ลบข้อมูลส่วนบุคคลออกจากคำร้อง %(count)d เรื่องแล้ว",
                        len(erased),
                    )
                    % {"count": len(erased)},
                )
                if kept:
                    messages.warning(
                        request,
                        _("คำร้องที่ยังดำเนินการอยู่ %(count)d เรื่องยังเก็บข้อมูลไว้ "
                          "เพื่อติดต่อผู้ยื่น ลบได้เมื่อปิดเรื่องแล้ว") % {"count": len(kept)},
                    )  # fmt: skip
        found = privacy.person_cases(access=access, national_id=national_id)
        if step == "find":
            privacy.person_search_audit(
                access=access, request=request, national_id=national_id, found=len(found)
            )
    return render(
        request,
        "backoffice/privacy.html",
        {"access": access, "organisation": organisation, "retention": retention,
         "person": person, "found": found},
    )  # fmt: skip
