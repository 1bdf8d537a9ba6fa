"""Migrations must be safe to run while the previous version still serves (README, "Upgrades").

During a rolling upgrade the old code keeps reading and writing while the new migration runs,
so a migration may only add: a new table, a nullable column, a column with a database default,
an index or a constraint. Removing or renaming a column or a table, or making a column required,
waits for a later release (first stop using it, then drop it). A migration that must break the
rule says why in a comment `# unsafe-migration-ok: <reason>` and is then allowed.

Migrations released before this check (tests/migrations_released.txt) are not re-judged.
"""

from __future__ import annotations

from pathlib import Path

from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.db.models import NOT_PROVIDED, Field

RELEASED = {
    tuple(line.split())
    for line in (Path(__file__).parent / "migrations_released.txt").read_text().splitlines()
    if line.strip()
}
ALLOWED_MARK = "# unsafe-migration-ok:"
ALWAYS_UNSAFE = (
    migrations.RemoveField,
    migrations.DeleteModel,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.AlterModelTable,
)


def required_without_database_default(field: Field) -> bool:  # type: ignore[type-arg]
    return not field.null and field.db_default is NOT_PROVIDED and not field.primary_key


def problems_of(
    migration: migrations.Migration, before: ProjectState, new_tables: frozenset[str] = frozenset()
) -> list[str]:
    """What in `migration` would break the released version. `new_tables`: models created since
    the release ("app.model"), which the running version does not know, so anything goes."""
    found: list[str] = []
    created = {
        operation.name_lower
        for operation in migration.operations
        if isinstance(operation, migrations.CreateModel)
    } | {name.split(".")[1] for name in new_tables if name.startswith(migration.app_label + ".")}
    for operation in migration.operations:
        what = f"{migration.app_label}.{migration.name}: {operation.describe()}"
        if isinstance(operation, ALWAYS_UNSAFE):
            found.append(f"{what} (the running version still uses it)")
        elif isinstance(operation, migrations.AddField):
            if operation.model_name_lower not in created and required_without_database_default(
                operation.field
            ):
                found.append(f"{what} (required without db_default: old code cannot insert)")
        elif isinstance(operation, migrations.AlterField):
            model = before.models.get((migration.app_label, operation.model_name_lower))
            old = model.fields.get(operation.name) if model else None
            if old is not None and old.null and required_without_database_default(operation.field):
                found.append(f"{what} (made required: old code may still write NULL)")
    return found


def unsafe_operations(loader: MigrationLoader, released: set[tuple[str, ...]]) -> list[str]:
    found: list[str] = []
    unreleased = {
        key: migration
        for key, migration in loader.disk_migrations.items()
        if migration.__module__.startswith("onestop.") and key not in released
    }
    new_tables = frozenset(
        f"{app}.{operation.name_lower}"
        for (app, _name), migration in unreleased.items()
        for operation in migration.operations
        if isinstance(operation, migrations.CreateModel)
    )
    for key, migration in sorted(unreleased.items()):
        source = Path(__import__(migration.__module__, fromlist=["_"]).__file__ or "").read_text()
        if ALLOWED_MARK in source:
            continue
        found += problems_of(migration, loader.project_state(key, at_end=False), new_tables)
    return found


def test_new_migrations_are_safe_while_the_previous_version_serves() -> None:
    assert unsafe_operations(MigrationLoader(None, ignore_no_migrations=True), RELEASED) == []


def test_the_check_finds_what_would_break_a_running_version() -> None:
    # The check itself, on released migrations that would be unsafe today: judged as if new.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = unsafe_operations(loader, released=set())
    # The outbox replaced the old notification table; routing rules moved to their own table.
    assert "notifications.0002_outbox: Delete model SentNotification" in "\n".join(found)
    assert any(
        line.startswith("cases.0006_routingrule_from_backoffice: Rename table") for line in found
    ), found


def test_a_required_column_needs_a_database_default() -> None:
    from django.db import models  # noqa: PLC0415

    class Example(migrations.Migration):
        operations = [
            migrations.AddField("case", "colour", models.CharField(max_length=10)),
            migrations.AddField("case", "shade", models.CharField(max_length=10, db_default="")),
            migrations.AddField("case", "tint", models.CharField(max_length=10, null=True)),
        ]

    found = problems_of(Example("9999_example", "cases"), ProjectState())
    assert len(found) == 1
    assert "colour" in found[0].lower()
