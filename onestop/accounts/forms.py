"""Sign-in forms for staff: username or e-mail, then (administrators) a one-time code."""

from __future__ import annotations

from typing import Any, override

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.db import transaction
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from onestop.core.forms import PlainBoundField
from onestop.notifications.models import MessageKind
from onestop.notifications.services import message_plan


class StaffLoginForm(AuthenticationForm):
    """Django's sign-in form, accepting the e-mail address in place of the username. The
    address is turned into the username before authenticating, so the throttle (django-axes)
    counts both spellings as one account."""

    bound_field_class = PlainBoundField

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
    bound_field_class = PlainBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    email = forms.EmailField(
        label=_("อีเมลที่ใช้กับบัญชี"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    @override  # Django's signature, positional arguments and all
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the outbox (notifications), not straight to the mail server: a link asked
        for while the server is down is delivered when it is back, never lost. The body (it
        holds the link) is stored encrypted."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        with transaction.atomic():
            message_plan(
                kind=MessageKind.PASSWORD_RESET, recipient=to_email, subject=subject, body=body,
                language=translation.get_language() or "th", user=context.get("user"),
            )  # fmt: skip


class OtpTokenForm(forms.Form):
    bound_field_class = PlainBoundField

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
    bound_field_class = PlainBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
