"""PLACEHOLDER on the `wizard` branch: the documents helper's branch provides the real module
(A4 Thai request document with QR). The integrator replaces this file when merging."""

from __future__ import annotations

from onestop.cases.models import Case


def request_document_pdf(case: Case) -> bytes:
    raise NotImplementedError("the request document PDF is built by onestop.documents")
