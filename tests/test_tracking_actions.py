"""What the citizen can do on the status page: cancel, add information, confirm solved or not,
rate; the public photos and the request document. Each refused in the wrong state."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from PIL import Image

from onestop.cases.models import Attachment, AttachmentKind, Case, CaseEvent, EventKind
from onestop.cases.services import NewFile, attachment_add, case_transition
from onestop.cases.workflow import Actor, Move, Status
from onestop.core.errors import DomainError
from onestop.organisations.models import Organisation
from onestop.tracking.models import Feedback, FeedbackKind
from onestop.tracking.services import tracking_rate
from tests.documents_helpers import pdf_text
from tests.factories import make_case

STATUS = "/wangchao/track/status/"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return buffer.getvalue()


def move(case: Case, *statuses: Status, message: str = "ข้อความจากเจ้าหน้าที่") -> Case:
    for to in statuses:
        case = case_transition(case=case, to=to, actor_kind=Actor.STAFF, public_message=message)
    return case


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def case(org_a: Organisation) -> Case:
    return make_case(org_a, phone="0812345678")


@pytest.fixture
def citizen(client: Client, case: Case) -> Client:
    """A browser that has proved it holds `case` (number + last 4 digits)."""
    response = client.post("/wangchao/track/", {"number": case.number, "digits": "5678"})
    assert response.status_code == 302
    return client


def completed(case: Case) -> Case:
    return move(case, Status.RECEIVED, Status.IN_PROGRESS, Status.COMPLETED)


# --- Cancel ------------------------------------------------------------------------------------


def test_a_request_not_yet_received_can_be_cancelled_with_a_reason(
    citizen: Client, case: Case
) -> None:
    assert "ยกเลิกคำร้องนี้" in citizen.get(STATUS).content.decode()
    response = citizen.post(STATUS + "cancel/", {"cancel-reason": "ไฟกลับมาติดแล้ว"})
    assert response.status_code == 302 and response["Location"] == STATUS
    assert fresh(case).status == Status.CANCELLED
    event = case.events.last()
    assert event is not None and event.actor_kind == Actor.CITIZEN
    # The reason is the citizen's own words, not a message to the citizen.
    assert (event.citizen_message, event.public_message) == ("ไฟกลับมาติดแล้ว", "")
    html = citizen.get(STATUS).content.decode()
    assert "ยกเลิกคำร้องแล้ว" in html and "ยกเลิกโดยผู้ยื่น" in html
    assert "ไฟกลับมาติดแล้ว" not in html  # the citizen's own words are not shown back


def test_cancelling_needs_a_reason(citizen: Client, case: Case) -> None:
    response = citizen.post(STATUS + "cancel/", {"cancel-reason": "  "})
    html = response.content.decode()
    assert response.status_code == 400 and "กรุณาระบุเหตุผลที่ยกเลิก" in html
    assert 'href="#id_cancel-reason"' in html
    assert fresh(case).status == Status.SUBMITTED


def test_a_received_request_cannot_be_cancelled(citizen: Client, case: Case) -> None:
    move(case, Status.RECEIVED)
    assert "ยกเลิกคำร้องนี้" not in citizen.get(STATUS).content.decode()
    response = citizen.post(STATUS + "cancel/", {"cancel-reason": "ไม่ต้องการแล้ว"})
    assert response.status_code == 400
    assert "ยกเลิกได้เฉพาะคำร้องที่เจ้าหน้าที่ยังไม่ได้รับเรื่อง" in response.content.decode()
    assert fresh(case).status == Status.RECEIVED


# --- Add information ---------------------------------------------------------------------------


def test_information_asked_for_can_be_sent_with_a_photo(citizen: Client, case: Case) -> None:
    move(case, Status.RECEIVED, Status.WAITING_CITIZEN, message="กรุณาส่งรูปเสาไฟที่ดับ")
    move(fresh(case), Status.IN_PROGRESS, Status.WAITING_CITIZEN, message="ขอเลขเสาไฟด้วย")
    html = citizen.get(STATUS).content.decode()
    assert "ส่งข้อมูลเพิ่มเติม" in html and "กรุณาส่งรูปเสาไฟที่ดับ" in html
    question = html.split('id="information-title"')[1].split("</section>")[0]
    assert "ขอเลขเสาไฟด้วย" in question and "กรุณาส่งรูปเสาไฟที่ดับ" not in question
    photo = SimpleUploadedFile("เสาไฟ.png", _png(), content_type="image/png")
    response = citizen.post(
        STATUS + "information/",
        {"info-message": "เสาไฟต้นที่ 3 จากปากซอย", "info-attachments": [photo]},
    )
    assert response.status_code == 302
    assert fresh(case).status == Status.IN_PROGRESS
    answer = case.events.get(move=Move.ANSWER)  # one event: the answer and the move back to work
    assert answer.actor_kind == Actor.CITIZEN and answer.to_status == Status.IN_PROGRESS
    assert (answer.citizen_message, answer.public_message) == ("เสาไฟต้นที่ 3 จากปากซอย", "")
    attachment = case.attachments.get()
    assert attachment.kind == AttachmentKind.DOCUMENT and not attachment.is_public
    # Checked and re-encoded like the wizard's files: an image, under its cleaned name.
    assert attachment.content_type.startswith("image/")
    assert attachment.original_name.startswith("เสาไฟ.")
    html = citizen.get(STATUS).content.decode()
    assert "ท่านส่งข้อมูลเพิ่มเติม" in html and "เสาไฟต้นที่ 3" not in html


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("script.png", b"<script>alert(1)</script>", "ไฟล์นี้ไม่ใช่รูปภาพ (JPG, PNG, WebP) หรือ PDF"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "ไฟล์ใหญ่เกิน 10 MB"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_recorded(
    citizen: Client, case: Case, name: str, content: bytes, error: str
) -> None:
    move(case, Status.RECEIVED, Status.WAITING_CITIZEN)
    upload = SimpleUploadedFile(name, content)
    response = citizen.post(
        STATUS + "information/", {"info-message": "ดูไฟล์", "info-attachments": upload}
    )
    assert response.status_code == 400 and error in response.content.decode()
    assert fresh(case).status == Status.WAITING_CITIZEN
    assert not case.attachments.exists() and not case.events.filter(kind=EventKind.NOTE).exists()


def test_at_most_five_files(citizen: Client, case: Case) -> None:
    move(case, Status.RECEIVED, Status.WAITING_CITIZEN)
    files = [SimpleUploadedFile(f"{n}.png", _png()) for n in range(6)]
    response = citizen.post(
        STATUS + "information/", {"info-message": "รูป", "info-attachments": files}
    )
    assert response.status_code == 400 and "แนบเอกสารได้ไม่เกิน 5 ไฟล์" in response.content.decode()


def test_information_cannot_be_added_when_none_was_asked(citizen: Client, case: Case) -> None:
    move(case, Status.RECEIVED)
    assert "ส่งข้อมูลเพิ่มเติม" not in citizen.get(STATUS).content.decode()
    response = citizen.post(STATUS + "information/", {"info-message": "ข้อมูลเพิ่ม"})
    assert response.status_code == 400
    assert "ส่งข้อมูลเพิ่มเติมได้เฉพาะเมื่อเจ้าหน้าที่ขอข้อมูลจากท่าน" in response.content.decode()
    assert not case.events.filter(kind=EventKind.NOTE).exists()


# --- Completed: solved or not, rating ---------------------------------------------------------


def test_the_citizen_confirms_the_problem_is_solved_once(citizen: Client, case: Case) -> None:
    completed(case)
    html = citizen.get(STATUS).content.decode()
    assert "ปัญหาของท่านได้รับการแก้ไขแล้วหรือไม่" in html and "ดำเนินการแล้วเสร็จ" in html
    assert citizen.post(STATUS + "solved/").status_code == 302
    assert Feedback.objects.filter(case=case, kind=FeedbackKind.SOLVED).count() == 1
    html = citizen.get(STATUS).content.decode()
    assert "ปัญหาของท่านได้รับการแก้ไขแล้วหรือไม่" not in html
    assert "ขอบคุณที่แจ้งผลให้เราทราบ" in html
    again = citizen.post(STATUS + "solved/")
    assert again.status_code == 400 and "ท่านได้ตอบเรื่องนี้แล้ว" in again.content.decode()
    assert Feedback.objects.filter(case=case, kind=FeedbackKind.SOLVED).count() == 1


def test_not_solved_reopens_the_request_and_counts_against_the_organisation(
    citizen: Client, case: Case, org_a: Organisation
) -> None:
    completed(case)
    response = citizen.post(STATUS + "not-solved/", {"notsolved-reason": "ไฟยังดับอยู่"})
    assert response.status_code == 302
    reopened = fresh(case)
    assert reopened.status == Status.IN_PROGRESS and reopened.completed_at is None
    event = reopened.events.last()
    assert event is not None and event.actor_kind == Actor.CITIZEN
    assert (event.from_status, event.to_status) == (Status.COMPLETED, Status.IN_PROGRESS)
    assert event.citizen_message == "ไฟยังดับอยู่"  # what staff read, as the citizen's words
    assert event.public_message == ""
    assert Feedback.objects.filter(organisation=org_a, kind=FeedbackKind.NOT_SOLVED).count() == 1
    html = citizen.get(STATUS).content.decode()
    assert "ท่านแจ้งว่าปัญหายังไม่ได้รับการแก้ไข" in html and "กำลังดำเนินการ" in html


def test_not_solved_needs_a_reason(citizen: Client, case: Case) -> None:
    completed(case)
    response = citizen.post(STATUS + "not-solved/", {"notsolved-reason": ""})
    assert response.status_code == 400 and "กรุณาระบุว่ายังมีปัญหาอะไร" in response.content.decode()
    assert fresh(case).status == Status.COMPLETED


def test_a_second_completion_can_be_answered_again(citizen: Client, case: Case) -> None:
    completed(case)
    citizen.post(STATUS + "not-solved/", {"notsolved-reason": "ไฟยังดับอยู่"})
    move(fresh(case), Status.COMPLETED, message="เปลี่ยนสายไฟใหม่แล้ว")
    assert citizen.post(STATUS + "solved/").status_code == 302
    kinds = list(Feedback.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [FeedbackKind.NOT_SOLVED, FeedbackKind.SOLVED]


def test_solved_or_not_cannot_be_said_before_completion(citizen: Client, case: Case) -> None:
    move(case, Status.RECEIVED)
    assert citizen.post(STATUS + "solved/").status_code == 400
    response = citizen.post(STATUS + "not-solved/", {"notsolved-reason": "ยังไม่เสร็จ"})
    assert response.status_code == 400
    assert fresh(case).status == Status.RECEIVED and not Feedback.objects.exists()


def test_the_service_is_rated_once(citizen: Client, case: Case) -> None:
    completed(case)
    response = citizen.post(STATUS + "rating/", {"rating-score": "4", "rating-comment": "รวดเร็ว"})
    assert response.status_code == 302
    rating = Feedback.objects.get(case=case, kind=FeedbackKind.RATING)
    assert (rating.score, rating.comment) == (4, "รวดเร็ว")
    html = citizen.get(STATUS).content.decode()
    assert "ท่านให้คะแนนความพึงพอใจ 4 จาก 5 แล้ว" in html and "ประเมินความพึงพอใจ" not in html
    again = citizen.post(STATUS + "rating/", {"rating-score": "1"})
    assert again.status_code == 400 and "ท่านให้คะแนนคำร้องนี้แล้ว" in again.content.decode()
    assert Feedback.objects.filter(case=case, kind=FeedbackKind.RATING).count() == 1


@pytest.mark.parametrize("score", ["0", "6", "", "five", "-1"])
def test_a_rating_must_be_one_to_five(citizen: Client, case: Case, score: str) -> None:
    completed(case)
    response = citizen.post(STATUS + "rating/", {"rating-score": score})
    assert response.status_code == 400 and 'href="#id_rating-score"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_rating_is_refused_before_completion(citizen: Client, case: Case) -> None:
    assert citizen.post(STATUS + "rating/", {"rating-score": "5"}).status_code == 400
    assert not Feedback.objects.exists()


def test_one_rating_per_request_is_a_database_rule(case: Case) -> None:
    Feedback.objects.create(
        organisation=case.organisation, case=case, kind=FeedbackKind.RATING, score=5
    )
    with pytest.raises(IntegrityError):
        Feedback.objects.create(
            organisation=case.organisation, case=case, kind=FeedbackKind.RATING, score=3
        )


def test_a_score_out_of_range_is_a_database_rule(case: Case) -> None:
    with pytest.raises(IntegrityError):
        Feedback.objects.create(
            organisation=case.organisation, case=case, kind=FeedbackKind.RATING, score=9
        )


def test_the_rating_service_refuses_a_second_rating(case: Case) -> None:
    completed(case)
    tracking_rate(case=fresh(case), score=5)
    with pytest.raises(DomainError):
        tracking_rate(case=fresh(case), score=2)


# --- Without a verified session ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("cancel/", {"cancel-reason": "x"}),
        ("information/", {"info-message": "x"}),
        ("solved/", {}),
        ("not-solved/", {"notsolved-reason": "x"}),
        ("rating/", {"rating-score": "5"}),
    ],
)
def test_actions_need_a_verified_session(
    client: Client, case: Case, path: str, data: dict[str, Any]
) -> None:
    completed(case)
    response = client.post(STATUS + path, data)
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert not Feedback.objects.exists()


def test_actions_act_only_on_the_verified_request(
    citizen: Client, case: Case, org_a: Organisation
) -> None:
    other = make_case(org_a, phone="0899999999")
    citizen.post(STATUS + "cancel/", {"cancel-reason": "ไม่ต้องการแล้ว", "case": other.pk})
    assert fresh(other).status == Status.SUBMITTED
    assert fresh(case).status == Status.CANCELLED


# --- Public photos and the document -------------------------------------------------------------


def _result_photo(case: Case, *, public: bool) -> Attachment:
    new_file = NewFile(_png(), "after.png", "image/png", "png", kind=AttachmentKind.RESULT)
    return attachment_add(case=case, new_file=new_file, is_public=public)


def test_public_after_photos_are_shown_and_served(citizen: Client, case: Case) -> None:
    shown = _result_photo(case, public=True)
    hidden = _result_photo(case, public=False)
    html = citizen.get(STATUS).content.decode()
    assert f'src="{STATUS}photos/{shown.pk}/"' in html
    assert f"photos/{hidden.pk}/" not in html
    response = citizen.get(f"{STATUS}photos/{shown.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == _png()  # type: ignore[attr-defined]
    assert citizen.get(f"{STATUS}photos/{hidden.pk}/").status_code == 404


def test_the_citizens_own_files_are_never_served_here(citizen: Client, case: Case) -> None:
    document = attachment_add(case=case, new_file=NewFile(_png(), "id.png", "image/png", "png"))
    assert citizen.get(f"{STATUS}photos/{document.pk}/").status_code == 404


def test_another_requests_photo_is_not_found(
    citizen: Client, org_a: Organisation, org_b: Organisation
) -> None:
    theirs = _result_photo(make_case(org_a, phone="0899999999"), public=True)
    elsewhere = _result_photo(make_case(org_b), public=True)
    assert citizen.get(f"{STATUS}photos/{theirs.pk}/").status_code == 404
    assert citizen.get(f"{STATUS}photos/{elsewhere.pk}/").status_code == 404


def test_photos_and_the_document_need_a_verified_session(client: Client, case: Case) -> None:
    photo = _result_photo(case, public=True)
    assert client.get(f"{STATUS}photos/{photo.pk}/").status_code == 404
    assert client.get(STATUS + "document/").status_code == 404


def test_the_document_link_is_on_the_status_page(citizen: Client) -> None:
    html = citizen.get(STATUS).content.decode()
    assert f'href="{STATUS}document/"' in html and "ดาวน์โหลดเอกสารคำร้อง" in html


def test_staff_notes_without_a_public_message_stay_internal(citizen: Client, case: Case) -> None:
    CaseEvent.objects.create(
        case=case, kind=EventKind.NOTE, actor_kind=Actor.STAFF, internal_note="โทรนัดช่างแล้ว"
    )
    assert "โทรนัดช่างแล้ว" not in citizen.get(STATUS).content.decode()


@pytest.mark.parametrize(
    ("to", "explained"),
    [
        (Status.REJECTED, "หน่วยงานไม่สามารถรับเรื่องนี้ได้"),
        (Status.FORWARDED, "ส่งต่อไปแล้ว"),
    ],
)
def test_a_closed_request_explains_why_and_offers_no_action(
    citizen: Client, case: Case, to: Status, explained: str
) -> None:
    move(case, to, message="เรื่องนี้อยู่ในความรับผิดชอบของการไฟฟ้าส่วนภูมิภาค")
    html = citizen.get(STATUS).content.decode()
    assert explained in html and "เรื่องนี้อยู่ในความรับผิดชอบของการไฟฟ้าส่วนภูมิภาค" in html
    for action in ("ยกเลิกคำร้องนี้", "ส่งข้อมูล<", "แก้ไขแล้ว<", "ส่งความคิดเห็น"):
        assert action not in html


def test_the_verified_citizen_downloads_the_request_document_again(
    citizen: Client, case: Case
) -> None:
    response = citizen.get(STATUS + "document/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert case.display_number in text and case.national_id_masked in text
