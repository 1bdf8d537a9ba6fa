"""The performance dashboard (ภาพรวมผลการดำเนินงาน) of an organisation for its heads (their
department), executives and administrators (all of it): figures from reports' rollups, filtered,
printable, and every table as XLSX."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onestop.backoffice.permissions import StaffAccess
from onestop.backoffice.views.base import staff_view
from onestop.cases.models import Case
from onestop.core.audit import audit_record
from onestop.core.models import AuditAction
from onestop.core.replica import reads_may_be_stale
from onestop.organisations.models import Role
from onestop.reports.dashboard import Viewer, dashboard_get
from onestop.reports.dashboard_forms import DashboardFilterForm
from onestop.reports.dashboard_tables import TABLE_KEYS, dashboard_tables, tables_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def today() -> dt.date:
    """Today in Bangkok (a function, so that tests can set the day)."""
    return timezone.localdate()


def dashboard_viewer(access: StaffAccess) -> Viewer:
    """Executives and administrators see the organisation, a head their department; the
    confidential types only members with the grant."""
    if not access.can_see_dashboard:
        raise Http404
    if access.role == Role.HEAD:
        if access.department_id is None:
            raise Http404  # a head of no department has nothing to see
        return Viewer(access.department_id, access.can_see_confidential)
    return Viewer(None, access.can_see_confidential)


@require_GET
@staff_view
@reads_may_be_stale
def dashboard(request: HttpRequest, access: StaffAccess) -> HttpResponseBase:
    viewer = dashboard_viewer(access)
    day = today()
    organisation = access.organisation
    form = DashboardFilterForm(
        request.GET or None, organisation=organisation, viewer=viewer, today=day
    )
    report = dashboard_get(organisation=organisation, viewer=viewer, query=form.query(), today=day)

    def case_url(case: Case) -> str:
        return reverse("backoffice:case", args=[organisation.slug, case.number])

    tables = dashboard_tables(report, case_url=case_url)
    wanted = request.GET.get("xlsx")
    if wanted is not None:
        if wanted != "all" and wanted not in TABLE_KEYS:
            raise Http404
        chosen = list(tables.values()) if wanted == "all" else [tables[wanted]]
        audit_record(
            request=request, actor=access.user, action=AuditAction.EXPORT,
            organisation=organisation, object_type="dashboard",
            details={"tables": wanted, "filters": request.GET.urlencode()[:500]},
        )  # fmt: skip
        heading = _("%(organisation)s: ภาพรวมผลการดำเนินงาน %(start)s ถึง %(end)s") % {
            "organisation": organisation.name,
            "start": report.query.start.isoformat(),
            "end": report.query.end.isoformat(),
        }
        response = HttpResponse(tables_xlsx(chosen, heading=heading), content_type=XLSX)
        name = f"{organisation.slug}-dashboard-{wanted}-{report.query.start}-{report.query.end}"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    params = request.GET.copy()
    params.pop("xlsx", None)
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "organisation": organisation,
            "access": access,
            "form": form,
            "report": report,
            "tables": tables,
            "query_string": params.urlencode(),
            "department_bound": viewer.department_id is not None,
            "now": timezone.now(),
        },
    )
