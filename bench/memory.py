"""What each part costs a worker process: resident memory (RSS) after Django starts, after the
view modules, after each big piece of data is loaded (addresses, the Thai dictionary, the PDF
fonts), after the first pages and after a rendered request document. What a whole worker holds
after a mixed load, with the big parts loaded before the fork: bench/memory_workers.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench DEBUG=1 \\
        .venv/bin/python bench/memory.py

Each line is the RSS after that step and what the step added. Run on a database filled by
bench/generate.py (or after `load_demo`)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    steps: list[tuple[str, Callable[[], object]]] = []
    last = rss_mb()
    print(f"{'python started':<50} {last:7.1f} MB")

    def step(label: str, action: Callable[[], object]) -> None:
        nonlocal last
        action()
        gc.collect()
        now = rss_mb()
        print(f"{label:<50} {now:7.1f} MB  (+{now - last:.1f})", flush=True)
        last = now

    import django  # noqa: PLC0415

    step("django.setup()", django.setup)
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import setup_test_environment  # noqa: PLC0415

    setup_test_environment()
    client = Client()
    from django.urls import get_resolver  # noqa: PLC0415

    step("every view module (with fpdf2 for the PDF views)", lambda: get_resolver().url_patterns)
    from onestop.core import addresses  # noqa: PLC0415

    step("address data (7,000+ subdistricts)", addresses._by_code)
    from onestop.documents import thai_text  # noqa: PLC0415

    step("PyThaiNLP dictionary + place names", thai_text._dictionary)
    from onestop.cases.models import Case  # noqa: PLC0415
    from onestop.documents.base import new_pdf  # noqa: PLC0415
    from onestop.documents.pdf import request_document_pdf  # noqa: PLC0415

    step("PDF fonts (Sarabun regular and bold)", new_pdf)
    step("home, organisation, OSS centre pages", lambda: [
        client.get(path) for path in ("/", "/wangchao/", "/wangchao/oss/")
    ])  # fmt: skip
    case = Case.objects.filter(organisation__slug="wangchao").order_by("-pk").first()
    if case is not None:
        step("a request document rendered", lambda: request_document_pdf(case))
    del steps


if __name__ == "__main__":
    main()
