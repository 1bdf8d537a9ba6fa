from onestop.cases.models import Case


def request_document_pdf(case: Case) -> bytes:
    raise NotImplementedError
