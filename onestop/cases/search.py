"""Staff search over requests: number, subject, details and requester name.

Thai is written without spaces between words, so word-based full-text search would miss a word
inside a sentence. Both databases instead index character trigrams, which find any substring of
three characters or more without word breaking:
- SQLite: an FTS5 table with the `trigram` tokenizer (`cases_case_fts`), kept in step with
  `cases_case` by triggers (migration 0002);
- PostgreSQL: a `pg_trgm` GIN index on the same text, used by ILIKE.
Shorter terms (one or two characters) and SQLite builds without trigram support fall back to a
plain scan with icontains, which gives the same answers, only slower."""

from __future__ import annotations

import re

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from onestop.cases import numbering
from onestop.cases.models import Case
from onestop.core.thaidigits import to_arabic_digits

MAX_QUERY = 100
FEW_MATCHES = 2000
# The text both indexes cover; must match migration 0002 character for character on PostgreSQL.
PG_DOCUMENT = (
    "(cases_case.subject || ' ' || cases_case.details || ' ' || "
    "cases_case.requester_first_name || ' ' || cases_case.requester_last_name)"
)


def case_search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Narrow `cases` to those matching every whitespace-separated term of `text`.

    A complete request number (any typed form) matches that request only; a run of 4 or more
    digits matches numbers containing it."""
    text = (text or "").strip()[:MAX_QUERY]
    if not text:
        return cases
    number = numbering.parse(text)
    if number is not None:
        return cases.filter(number=number)
    digits = re.sub(r"[\s\-]", "", to_arabic_digits(text))
    if digits.isdigit() and len(digits) >= 4:
        return cases.filter(number__contains=digits)
    for term in text.split():
        cases = _filter_term(cases, term)
    return cases


def _filter_term(cases: QuerySet[Case], term: str) -> QuerySet[Case]:
    vendor = connections[cases.db].vendor
    if len(term) >= 3 and vendor == "postgresql":
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
        # PG_DOCUMENT is a constant; the term is a parameter.
        matches = RawSQL(f"{PG_DOCUMENT} ILIKE %s", [pattern], output_field=BooleanField())  # noqa: S611
        return cases.alias(_match=matches).filter(_match=True)
    if len(term) >= 3 and vendor == "sqlite" and sqlite_has_trigram_index(cases.db):
        phrase = '"' + term.replace('"', '""') + '"'
        sql = "SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s"
        # A rare term: hand SQLite the few ids, or it walks the newest-first index row by row
        # testing each against the subquery. A common term: the walk finds a page quickly.
        with connections[cases.db].cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {FEW_MATCHES + 1}", [phrase])
            few = [row[0] for row in cursor.fetchall()]
        if len(few) <= FEW_MATCHES:
            return cases.filter(pk__in=few)
        return cases.filter(pk__in=RawSQL(sql, [phrase]))  # noqa: S611 (parameterised)
    return cases.filter(
        Q(subject__icontains=term)
        | Q(details__icontains=term)
        | Q(requester_first_name__icontains=term)
        | Q(requester_last_name__icontains=term)
    )


_trigram_tables: dict[str, bool] = {}


def sqlite_has_trigram_index(alias: str = "default") -> bool:
    """Whether migration 0002 could create the FTS5 trigram table (SQLite >= 3.34)."""
    if alias not in _trigram_tables:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'cases_case_fts'")
            _trigram_tables[alias] = cursor.fetchone() is not None
    return _trigram_tables[alias]
