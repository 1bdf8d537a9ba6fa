"""`manage.py backup PATH`: the database and every stored file in one encrypted archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files into one archive encrypted with "
        "ONESTOP_BACKUP_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="the archive to write, e.g. onestop-2569-12-01.backup"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if path.exists():
            raise CommandError(f"{path} exists already: choose a new name.")
        try:
            manifest = backup_write(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path}: {sum(manifest.rows.values())} rows, {len(manifest.files)} files, "
            f"{path.stat().st_size} bytes"
        )
