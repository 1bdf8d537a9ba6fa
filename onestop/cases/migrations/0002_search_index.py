"""Trigram search over requests (see onestop/cases/search.py)."""

from django.db import DatabaseError, migrations, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE cases_case_fts USING fts5(
        subject, details, requester, tokenize = 'trigram'
    )""",
    """INSERT INTO cases_case_fts (rowid, subject, details, requester)
       SELECT id, subject, details, requester_first_name || ' ' || requester_last_name
       FROM cases_case""",
    """CREATE TRIGGER cases_case_fts_insert AFTER INSERT ON cases_case BEGIN
        INSERT INTO cases_case_fts (rowid, subject, details, requester)
        VALUES (new.id, new.subject, new.details,
                new.requester_first_name || ' ' || new.requester_last_name);
    END""",
    """CREATE TRIGGER cases_case_fts_update AFTER UPDATE OF
        subject, details, requester_first_name, requester_last_name ON cases_case BEGIN
        UPDATE cases_case_fts SET subject = new.subject, details = new.details,
            requester = new.requester_first_name || ' ' || new.requester_last_name
        WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER cases_case_fts_delete AFTER DELETE ON cases_case BEGIN
        DELETE FROM cases_case_fts WHERE rowid = old.id;
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS cases_case_fts_insert",
    "DROP TRIGGER IF EXISTS cases_case_fts_update",
    "DROP TRIGGER IF EXISTS cases_case_fts_delete",
    "DROP TABLE IF EXISTS cases_case_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS cases_case_search_trgm ON cases_case USING gin (
        (subject || ' ' || details || ' ' || requester_first_name || ' ' || requester_last_name)
        gin_trgm_ops)""",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS cases_case_search_trgm"]


def _sqlite_has_trigram(schema_editor: BaseDatabaseSchemaEditor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(a, tokenize='trigram')")
        except Exception:  # noqa: BLE001 (an old SQLite: search falls back to a plain scan)
            return False
        cursor.execute("DROP TABLE temp.trigram_probe")
    return True


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(POSTGRES_FORWARD[0])
        except DatabaseError:
            return  # no right to create pg_trgm here: search still works, by a scan
        statements = POSTGRES_FORWARD[1:]
    elif vendor == "sqlite" and _sqlite_has_trigram(schema_editor):
        statements = SQLITE_FORWARD
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
