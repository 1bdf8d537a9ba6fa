"""What a restore must bring back, read the same way from the source and from the restored copy
(tests/test_backup.py runs it in-process and in a child process on the restored database)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.storage import storages

from onestop.cases.models import Case
from onestop.cases.selectors import case_national_id
from onestop.core.backup import _all_files


def snapshot() -> dict[str, Any]:
    storage = storages["default"]
    files = {}
    for name in _all_files(storage):
        with storage.open(name, "rb") as stored:
            files[name] = hashlib.sha256(stored.read()).hexdigest()
    cases = [
        {
            "number": case.number,
            "organisation": case.organisation.slug,
            "subject": case.subject,
            "status": case.status,
            "national_id": case_national_id(case),
            "phone": case.phone,
            "events": [
                [event.kind, event.to_status, event.public_message]
                for event in case.events.order_by("pk")
            ],
            "attachments": sorted(
                [attachment.file.name, attachment.sha256] for attachment in case.attachments.all()
            ),
        }
        for case in Case.objects.select_related("organisation").order_by("number")
    ]
    return {"cases": cases, "files": files}
