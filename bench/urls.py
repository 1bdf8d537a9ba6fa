"""The site's URLs plus the hello-world view (through every middleware, like any page)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *site]
