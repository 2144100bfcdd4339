"""The service's URLs plus two views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as service_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug, on purpose")


urlpatterns = [*service_urlpatterns, path("test-forbidden/", forbidden), path("test-broken/", broken)]
