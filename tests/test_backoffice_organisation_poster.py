"""Staff download their organisation's QR poster (issue 5: "Staff download it from their
organisation's page in the back office")."""

from __future__ import annotations

from django.test import Client

from onestop.core.links import eservice_url
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.documents_helpers import pdf_text, qr_texts


def test_a_member_downloads_the_poster_with_the_qr_of_their_e_service(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.officer)
    inbox = client.get(f"/staff/{org_a.slug}/").content.decode()
    assert f'href="/staff/{org_a.slug}/poster/"' in inbox
    response = client.get(f"/staff/{org_a.slug}/poster/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert org_a.name_th in pdf_text(response.content).replace("\n", "")
    image = client.get(f"/staff/{org_a.slug}/poster/", {"format": "png"})
    assert image["Content-Type"] == "image/png"
    assert eservice_url(org_a.slug) in qr_texts(image.content)


def test_staff_of_another_organisation_get_404(
    org_a: Organisation, staff_b: Staff, client: Client
) -> None:
    sign_in(client, staff_b.counter)
    assert client.get(f"/staff/{org_a.slug}/poster/").status_code == 404
