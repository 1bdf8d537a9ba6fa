"""Re-encrypting personal data under the current ONESTOP_DATA_KEY (`manage.py data_key_rotate`).

Rotation, step by step (README, "Rotating the data key"):
1. put the new key first in ONESTOP_DATA_KEY, keeping the old one after it, and restart: new
   data is written under the new key, old data still decrypts, and look-ups by national ID try
   every key (`crypto.lookup_hashes`);
2. run `manage.py data_key_rotate` until `--check` reports nothing left;
3. remove the old key (after the sessions of wizards begun before step 1 have expired).

The models are named by label and loaded through the app registry, so core imports no app
above it. A row is rewritten only when one of its values is not yet under the current key or
its hash is not the current key's, so the command is idempotent and can be stopped and run
again at any point: each batch is its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from onestop.core import crypto


@dataclass(frozen=True)
class Rotation:
    """What one model stores under the data key: encrypted fields, and hash fields with the
    encrypted field whose plaintext they hash."""

    model: str
    encrypted: tuple[str, ...]
    hashes: dict[str, str] = field(default_factory=dict)


ROTATIONS = (
    Rotation(
        "cases.Case",
        encrypted=("national_id_encrypted",),
        hashes={"national_id_hash": "national_id_encrypted"},
    ),
    # Outbox messages: the recipient and the body. Their recipient_hash is part of the
    # message's idempotency key and is never searched, so it is left as it was written.
    Rotation("notifications.Message", encrypted=("recipient_encrypted", "body_encrypted")),
)


@dataclass
class Progress:
    model: str
    examined: int = 0
    rewritten: int = 0
    unreadable: list[int] = field(default_factory=list)


def _rewrite(row: models.Model, rotation: Rotation) -> bool:
    """Bring `row` under the current key in memory; whether anything changed."""
    changed = False
    plain: dict[str, str] = {}
    for name in rotation.encrypted:
        token = getattr(row, name)
        if not token:
            continue
        plain[name] = crypto.decrypt(token)
        if not crypto.is_current(token):
            setattr(row, name, crypto.encrypt(plain[name]))
            changed = True
    for hash_name, source in rotation.hashes.items():
        if source in plain:
            current = crypto.lookup_hash(plain[source])
            if getattr(row, hash_name) != current:
                setattr(row, hash_name, current)
                changed = True
    return changed


def rotate(
    rotation: Rotation,
    *,
    batch_size: int = 500,
    limit: int | None = None,
    dry_run: bool = False,
    on_batch: Callable[[Progress], None] | None = None,
) -> Progress:
    """Rewrite the rows of `rotation.model` not yet under the current key, `batch_size` rows
    per transaction, stopping after `limit` rewritten rows (None: all).

    1. walk the table by primary key, one batch at a time, locking the batch's rows;
    2. decrypt each value, re-encrypt it if it is not under the first key, recompute its hash;
    3. save only the changed rows and only the key-dependent fields, then commit the batch."""
    model = apps.get_model(rotation.model)
    fields = [*rotation.encrypted, *rotation.hashes]
    progress = Progress(rotation.model)
    last_pk: object = None
    while limit is None or progress.rewritten < limit:
        with transaction.atomic():
            rows = model._default_manager.select_for_update().order_by("pk").only("pk", *fields)
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows[:batch_size])
            if not batch:
                break
            changed: list[models.Model] = []
            for row in batch:
                if limit is not None and progress.rewritten + len(changed) >= limit:
                    break
                last_pk = row.pk
                progress.examined += 1
                try:
                    if _rewrite(row, rotation):
                        changed.append(row)
                except crypto.DecryptionError:
                    progress.unreadable.append(row.pk)
            if changed and not dry_run:
                model._default_manager.bulk_update(changed, fields)
            progress.rewritten += len(changed)
        if on_batch is not None:
            on_batch(progress)
    return progress


def rotations() -> Iterator[Rotation]:
    """The rotations of the installed models."""
    for rotation in ROTATIONS:
        app_label = rotation.model.split(".")[0]
        if apps.is_installed(f"onestop.{app_label}"):
            yield rotation
