from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onestop.core import crypto
from onestop.notifications.models import LineChannel, Message, SmsGateway


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = [
        "created_at", "case", "kind", "channel", "recipient_masked", "state", "attempts",
        "segments",
    ]  # fmt: skip
    list_filter = ["state", "channel", "kind", "organisation"]
    search_fields = ["case__number", "subject", "key"]
    list_select_related = ["case"]
    readonly_fields = ["recipient_masked", "key"]
    exclude = ["recipient_encrypted", "body_encrypted", "recipient_hash"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        # Not about confidential requests: the operator does not see those (see cases.admin).
        return super().get_queryset(request).exclude(case__request_type__is_confidential=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # planned by the services, in the transaction of a change

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False


class SmsGatewayForm(forms.ModelForm[SmsGateway]):
    """The key and the secret are write-only: never rendered back (not even masked), kept as
    they are when left empty, encrypted when typed."""

    api_key = forms.CharField(
        label=_("คีย์ API (API key)"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )  # fmt: skip
    api_secret = forms.CharField(
        label=_("รหัสลับ API (API secret)"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )  # fmt: skip

    class Meta:
        model = SmsGateway
        fields = ["organisation", "kind", "url", "sender", "timeout", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.pk is not None
        for name in ("api_key", "api_secret"):
            self.fields[name].required = not stored
            if stored:
                self.fields[name].help_text = _("บันทึกไว้แล้ว (ไม่แสดง) เว้นว่างไว้เพื่อใช้ค่าเดิม")

    def save(self, commit: bool = True) -> SmsGateway:
        gateway = super().save(commit=False)
        if key := self.cleaned_data.get("api_key"):
            gateway.api_key_encrypted = crypto.encrypt(key)
        if secret := self.cleaned_data.get("api_secret"):
            gateway.api_secret_encrypted = crypto.encrypt(secret)
        if commit:
            gateway.save()
        return gateway


@admin.register(SmsGateway)
class SmsGatewayAdmin(admin.ModelAdmin[SmsGateway]):
    form = SmsGatewayForm
    fields = ["organisation", "kind", "url", "sender", "api_key", "api_secret", "timeout",
              "is_active"]  # fmt: skip
    list_display = ["organisation", "kind", "sender", "is_active", "updated_at"]
    list_filter = ["is_active", "kind"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name_th", "sender"]


class LineChannelForm(forms.ModelForm[LineChannel]):
    """The channel secret and the access token are write-only, as the SMS gateway's key."""

    channel_secret = forms.CharField(
        label=_("รหัสลับของช่อง (Channel secret)"), required=False, strip=True, max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )  # fmt: skip
    access_token = forms.CharField(
        label=_("โทเค็นการเข้าถึง (Channel access token)"), required=False, strip=True,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )  # fmt: skip

    class Meta:
        model = LineChannel
        fields = ["organisation", "basic_id", "staff_group_id", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.pk is not None
        for name in ("channel_secret", "access_token"):
            self.fields[name].required = not stored
            if stored:
                self.fields[name].help_text = _("บันทึกไว้แล้ว (ไม่แสดง) เว้นว่างไว้เพื่อใช้ค่าเดิม")

    def save(self, commit: bool = True) -> LineChannel:
        channel = super().save(commit=False)
        if secret := self.cleaned_data.get("channel_secret"):
            channel.channel_secret_encrypted = crypto.encrypt(secret)
        if token := self.cleaned_data.get("access_token"):
            channel.access_token_encrypted = crypto.encrypt(token)
        if commit:
            channel.save()
        return channel


@admin.register(LineChannel)
class LineChannelAdmin(admin.ModelAdmin[LineChannel]):
    form = LineChannelForm
    fields = ["organisation", "basic_id", "channel_secret", "access_token", "staff_group_id",
              "is_active"]  # fmt: skip
    list_display = ["organisation", "basic_id", "is_active", "updated_at"]
    list_select_related = ["organisation"]
