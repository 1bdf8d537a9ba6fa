"""`manage.py restore PATH`: a backup into an empty, migrated database and an empty storage."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup` into an empty database (migrated by this command) "
        "and an empty file storage. Needs the same ONESTOP_BACKUP_KEY and ONESTOP_DATA_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        try:
            manifest = backup_restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {sum(manifest.rows.values())} rows and {len(manifest.files)} files "
            f"from a backup of {manifest.created}"
        )
