"""Sign-in forms for staff: username or e-mail, then (administrators) a one-time code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(AuthenticationForm):
    """Django's sign-in form, accepting the e-mail address in place of the username. The
    address is turned into the username before authenticating, so the throttle (django-axes)
    counts both spellings as one account."""

    error_messages = {
        "invalid_login": _("ชื่อผู้ใช้/อีเมล หรือรหัสผ่านไม่ถูกต้อง"),
        "inactive": _("บัญชีนี้ถูกระงับการใช้งาน"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ชื่อผู้ใช้หรืออีเมล")
        self.fields["password"].label = _("รหัสผ่าน")

    def clean(self) -> dict[str, Any]:
        typed = (self.cleaned_data.get("username") or "").strip()
        if "@" in typed:
            matches = list(
                User.objects.filter(email__iexact=typed, is_active=True).values_list(
                    "username", flat=True
                )[:2]
            )
            if len(matches) == 1:  # an address shared by two accounts signs in neither
                self.cleaned_data["username"] = matches[0]
        return super().clean()


class StaffPasswordResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    email = forms.EmailField(
        label=_("อีเมลที่ใช้กับบัญชี"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class OtpTokenForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    token = forms.CharField(
        label=_("รหัส 6 หลักจากแอปยืนยันตัวตน"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("รหัสต้องเป็นตัวเลข 6 หลัก"), code="invalid")
        return token


class StaffSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
