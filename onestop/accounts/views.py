"""Staff sign-in: password (username or e-mail, throttled by django-axes), a one-time code for
organisation administrators (TOTP), sign-out here or everywhere, password reset by e-mail."""

from __future__ import annotations

import math
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from onestop.accounts import throttle
from onestop.accounts.forms import (
    OtpTokenForm,
    StaffLoginForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
)


class StaffLoginView(auth_views.LoginView):
    form_class = StaffLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer once an account or address has failed too often (AXES_LOCKOUT_CALLABLE):
    the sign-in page again, with a plain Thai explanation and 429 Too Many Requests."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(
        request,
        "accounts/login.html",
        {
            "form": StaffLoginForm(request),
            "next": "",
            "locked_out": _(
                "ลงชื่อเข้าใช้ผิดหลายครั้งเกินไป ระบบระงับการลงชื่อเข้าใช้ชั่วคราว "
                "กรุณารอประมาณ %(minutes)s นาทีแล้วลองใหม่ หรือใช้ “ลืมรหัสผ่าน”"
            )
            % {"minutes": minutes},
        },
        status=429,
    )


class StaffLogoutView(auth_views.LogoutView):
    next_page = "accounts:login"


@require_POST
@login_required
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this account, on every device (a lost phone, a shared computer)."""
    user_id = str(request.user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
    request.session.flush()
    messages.success(request, _("ออกจากระบบทุกอุปกรณ์แล้ว"))
    return redirect("accounts:login")


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


@login_required
def otp(request: HttpRequest) -> HttpResponse:
    """Set up (first time: QR code) or enter the one-time code of the authenticator app."""
    assert isinstance(request.user, User)
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=_("แอปยืนยันตัวตน"), confirmed=False)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("รหัสไม่ถูกต้องหรือหมดเวลาแล้ว กรุณาลองรหัสใหม่"))
    context: dict[str, Any] = {"form": form, "setting_up": setting_up, "next": _next_url(request)}
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/otp.html", context, status=400 if form.errors else 200)


_password_reset = auth_views.PasswordResetView.as_view(
    form_class=StaffPasswordResetForm,
    template_name="accounts/password_reset_form.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)


def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Ask for a reset link, at most so often per address typed and per client address
    (onestop.accounts.throttle). A refusal reads the same whether or not the account exists."""
    if request.method == "POST":
        until = throttle.reset_attempt(request=request, email=request.POST.get("email", ""))
        if until is not None:
            seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
            message = _(
                "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป กรุณารอประมาณ %(minutes)s นาทีแล้วลองใหม่ "
                "หากได้รับอีเมลแล้ว ใช้ลิงก์ในอีเมลล่าสุดได้เลย"
            ) % {"minutes": math.ceil(seconds / 60)}
            context = {"form": StaffPasswordResetForm(), "too_many": message}
            response = render(request, "accounts/password_reset_form.html", context, status=429)
            response["Retry-After"] = str(seconds)
            return response
    return _password_reset(request)


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=StaffSetPasswordForm,
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
