"""Helpers shared by the back-office tests: signing a persona in (administrators with their
second factor already passed) and small files."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from onestop.cases.models import AttachmentKind
from onestop.cases.services import NewFile
from tests.uploadfiles import pdf_with_text, png_bytes

PDF = pdf_with_text("map")  # a real one-page PDF (uploads are opened and rewritten)
PNG = png_bytes(8, 8)  # a real, decodable image (uploads are decoded and re-encoded)


def pdf_file() -> NewFile:
    return NewFile(PDF, "แผนที่.pdf", "application/pdf", "pdf")


def id_card_file() -> NewFile:
    return NewFile(PNG, "บัตร.png", "image/png", "png", kind=AttachmentKind.ID_CARD)


def sign_in(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Sign `user` in; with `second_factor`, as if the TOTP code had been entered."""
    client.force_login(user)
    if second_factor:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, defaults={"name": "test", "confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
