"""The error pages (403, 404, 500), the only views of the project package."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"page_title": "You do not have access"}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"page_title": "Page not found"}, status=404)


def server_error(request):
    # Rendered without a request: no context processor may touch a database that may be the problem.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
