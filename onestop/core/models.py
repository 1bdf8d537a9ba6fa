from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BilingualNameMixin:
    """`name` and `description` in the reader's language, falling back to Thai."""

    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        language = translation.get_language() or "th"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_th

    @property
    def description(self) -> str:
        language = translation.get_language() or "th"
        description_th: str = getattr(self, "description_th", "")
        description_en: str = getattr(self, "description_en", "")
        if language.startswith("en") and description_en:
            return description_en
        return description_th


class NamedEntry(BilingualNameMixin, models.Model):
    """An entry of an organisation's own lists (department, category, request type): a stable
    key for code and imports, names in Thai and English, an order and an on/off switch."""

    key = models.SlugField(_("รหัสภายใน"), max_length=60)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    is_active = models.BooleanField(_("เปิดใช้งาน"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_th


class Holiday(models.Model):
    """A public holiday on which offices are closed: due dates skip it. Kept by operators."""

    date = models.DateField(_("วันที่"), unique=True)
    name_th = models.CharField(_("ชื่อวันหยุด"), max_length=200)
    name_en = models.CharField(_("ชื่อวันหยุด (อังกฤษ)"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("วันหยุดราชการ")
        verbose_name_plural = pgettext_lazy("plural", "วันหยุดราชการ")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name_th}"
