"""Writes for requests: the one door through which every request is filed and changed.

- `submit`: `case_submit`, a citizen (or staff on their behalf) files a request: one
  transaction, one request number, idempotent per submission key.
- `changes`: every later change (`case_move`, `case_transition`, `case_note`, `case_assign`,
  `case_forward`, `case_mark_duplicate`, `case_result_photo_add`, `case_photo_publish`, the
  citizen's `case_cancel`, `case_answer`, `case_not_solved`, `case_feedback_record`) goes
  through `_lock` and `_record`: lock the row, check the version the caller saw and the move
  (`workflow.MOVES`), save, append exactly one `CaseEvent` and write the audit entry, all in one
  transaction. No other code writes a request's status, version, assignment, notes, duplicate
  link or public flags. The event log is what notifications and report rollups consume.
- `attachments`: `attachment_add` stores a file under a generated name.

Import from here (`from onestop.cases.services import case_submit`): the modules are the
layout, this is the interface."""

from onestop.cases.services.attachments import NewFile, attachment_add, sanitise_filename
from onestop.cases.services.changes import (
    RESULT_PHOTO_STATUSES,
    By,
    case_answer,
    case_assign,
    case_cancel,
    case_feedback_record,
    case_forward,
    case_mark_duplicate,
    case_move,
    case_not_solved,
    case_note,
    case_photo_publish,
    case_result_photo_add,
    case_transition,
)
from onestop.cases.services.submit import Place, Requester, case_submit

__all__ = [
    "RESULT_PHOTO_STATUSES", "By", "NewFile", "Place", "Requester", "attachment_add",
    "case_answer", "case_assign", "case_cancel", "case_feedback_record", "case_forward",
    "case_mark_duplicate", "case_move", "case_not_solved", "case_note", "case_photo_publish",
    "case_result_photo_add", "case_submit", "case_transition", "sanitise_filename",
]  # fmt: skip
