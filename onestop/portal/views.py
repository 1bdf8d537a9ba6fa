from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onestop.catalog.selectors import catalogue_for_citizens
from onestop.organisations.selectors import organisation_get_public, organisation_list_public


def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    organisations = organisation_list_public(query=query)[:50]
    return render(request, "portal/home.html", {"organisations": organisations, "query": query})


def organisation_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    catalogue = catalogue_for_citizens(organisation=organisation)
    return render(
        request,
        "portal/organisation.html",
        {"organisation": organisation, "catalogue": catalogue},
    )
