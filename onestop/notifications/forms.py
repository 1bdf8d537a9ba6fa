"""The staff settings pages' form: the channels of each staff kind (a member's own, or the
organisation's defaults) and, for SMS, the member's mobile number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onestop.core.identity import normalise_mobile
from onestop.notifications.models import STAFF_KINDS, Channel


def field_name(kind: str, channel: str) -> str:
    return f"{kind}-{channel}"


class ChannelPreferencesForm(forms.Form):
    """One checkbox per staff kind and channel: SMS only when the organisation has an SMS
    gateway, LINE only when it has a LINE account (LINE reaches a member once they linked it).
    `with_mobile`: a member's own page, which also takes their mobile number (write-once: the
    stored one is shown masked, kept when left empty, removed on request) and may unlink LINE."""

    mobile = forms.CharField(
        label=_("เบอร์โทรศัพท์มือถือสำหรับ SMS"), required=False, max_length=20, strip=True,
        help_text=_("ใช้ส่งการแจ้งเตือนทาง SMS เท่านั้น"),
        error_messages={"max_length": _("เบอร์โทรศัพท์ยาวเกินไป กรุณากรอก 10 หลัก")},
    )  # fmt: skip
    mobile_remove = forms.BooleanField(label=_("ลบเบอร์โทรศัพท์ที่บันทึกไว้"), required=False)
    line_remove = forms.BooleanField(label=_("เลิกเชื่อมต่อ LINE"), required=False)

    def __init__(
        self,
        *args: Any,
        table: dict[str, frozenset[Channel]],
        sms_available: bool,
        with_mobile: bool,
        has_mobile: bool = False,
        line_available: bool = False,
        has_line: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sms_available, self.with_mobile = sms_available, with_mobile
        self.has_mobile = has_mobile
        if not (with_mobile and sms_available):
            del self.fields["mobile"], self.fields["mobile_remove"]
        elif not has_mobile:
            del self.fields["mobile_remove"]
        if not (with_mobile and line_available and has_line):
            del self.fields["line_remove"]
        channels = [Channel.EMAIL, *([Channel.SMS] if sms_available else [])]
        channels += [Channel.LINE] if line_available else []
        self.rows: list[tuple[str, list[forms.BoundField]]] = []
        for kind in STAFF_KINDS:
            names = []
            for channel in channels:
                name = field_name(kind.value, channel.value)
                self.fields[name] = forms.BooleanField(
                    label=f"{kind.label}: {channel.label}", required=False,
                    initial=channel in table[kind.value],
                )  # fmt: skip
                names.append(name)
            self.rows.append((str(kind.label), [self[name] for name in names]))
        self.channels = channels

    def clean_mobile(self) -> str:
        raw: str = self.cleaned_data.get("mobile", "")
        return normalise_mobile(raw) if raw else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.with_mobile and self.sms_available and not self.errors:
            wants_sms = any(data.get(field_name(kind.value, Channel.SMS)) for kind in STAFF_KINDS)
            keeps = (self.has_mobile and not data.get("mobile_remove")) or data.get("mobile")
            if wants_sms and not keeps:
                raise ValidationError(
                    _("เลือกรับทาง SMS แล้ว กรุณากรอกเบอร์โทรศัพท์มือถือ"), code="mobile_needed"
                )
        return data

    def table(self) -> dict[str, set[Channel]]:
        """The channels ticked for each kind (SMS kept off when not offered)."""
        return {
            kind.value: {
                channel
                for channel in self.channels
                if self.cleaned_data.get(field_name(kind.value, channel.value))
            }
            for kind in STAFF_KINDS
        }
