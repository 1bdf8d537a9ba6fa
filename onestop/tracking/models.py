"""What the tracking pages store: failed-attempt counters (rate limits) and citizens' feedback."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.cases.models import Case
from onestop.core.ratelimit import RateCounter
from onestop.organisations.models import Organisation


class ThrottleScope(models.TextChoices):
    NUMBER = "number", _("เลขคำร้อง")
    IP = "ip", _("ที่อยู่ IP")


class TrackingThrottle(RateCounter):
    """Failed check-results attempts for one request number or one client address, in a fixed
    window (see `onestop.core.ratelimit`). Rows are locked while updated, so several app
    processes count together. The key is a keyed hash: the table holds neither request numbers
    nor addresses."""

    scope = models.CharField(_("ขอบเขต"), max_length=8, choices=ThrottleScope.choices)

    class Meta:
        verbose_name = _("การจำกัดการตรวจสอบผล")
        verbose_name_plural = _("การจำกัดการตรวจสอบผล")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="tracking_throttle_unique"),
        ]
        indexes = [models.Index(fields=["window_started_at"])]


class FeedbackKind(models.TextChoices):
    SOLVED = "solved", _("ยืนยันว่าแก้ไขแล้ว")
    NOT_SOLVED = "not_solved", _("แจ้งว่ายังไม่ได้รับการแก้ไข")
    RATING = "rating", _("ให้คะแนนความพึงพอใจ")


class Feedback(models.Model):
    """What the citizen said about a completed request: solved or not (each answer is kept,
    so reports can count closures without a real fix), and one rating per request."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="feedback",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("คำร้อง")
    )
    kind = models.CharField(_("ชนิด"), max_length=16, choices=FeedbackKind.choices)
    score = models.PositiveSmallIntegerField(_("คะแนน (1-5)"), null=True, blank=True)
    comment = models.TextField(_("ความคิดเห็น"), blank=True)
    created_at = models.DateTimeField(_("เวลา"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ความคิดเห็นของผู้ยื่นคำร้อง")
        verbose_name_plural = _("ความคิดเห็นของผู้ยื่นคำร้อง")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind="rating"),
                name="feedback_one_rating_per_case",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="rating", score__gte=1, score__lte=5)
                    | (~models.Q(kind="rating") & models.Q(score__isnull=True))
                ),
                name="feedback_score_only_for_ratings",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.score or ''}"
