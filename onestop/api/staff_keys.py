"""The organisation's API keys (administrators only): issue one (its full text is shown on
this page once, never stored), see when and from where each was last used, revoke one. The
keys and their checks are `onestop.api.keys`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from onestop.api import keys
from onestop.api.forms import ApiKeyForm
from onestop.backoffice.permissions import StaffAccess
from onestop.backoffice.views.base import staff_view
from onestop.core.errors import DomainError
from onestop.organisations.models import Role


@never_cache  # the page that shows a new key must not be kept by any cache
@staff_view
def api_keys(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    if not access.can_manage_staff:
        raise Http404
    form = ApiKeyForm(request.POST or None, access=access)
    issued = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = keys.api_key_create(
                organisation=access.organisation, actor=access.user, name=data["name"],
                role=Role(data["role"]), department=data["department"],
                read_only=data["read_only"], request=request,
            )  # fmt: skip
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            form = ApiKeyForm(access=access)
    return render(
        request,
        "api/keys.html",
        {"access": access, "organisation": access.organisation, "form": form,
         "issued": issued, "keys": keys.api_keys_for_admin(organisation=access.organisation)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_POST
@staff_view
def api_key_revoke(request: HttpRequest, access: StaffAccess, pk: int) -> HttpResponse:
    if not access.can_manage_staff:
        raise Http404
    key = keys.api_key_get_for_admin(organisation=access.organisation, pk=pk)
    keys.api_key_revoke(key=key, actor=access.user, request=request)
    messages.success(request, _("ยกเลิกกุญแจ “%(name)s” แล้ว") % {"name": key.name})
    return redirect("api:keys", org_slug=access.organisation.slug)
