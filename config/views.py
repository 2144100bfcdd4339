"""The error pages (400, 403, 404, 500), the only views of the project package. Under /api/ they answer in the
API's one JSON error shape (api.errors.error_body) instead of HTML: a path no API view matched, a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, a bug."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults

from api.errors import error_body

API_PREFIX = "/api/"


def is_api(request) -> bool:
    path = request.path_info or ""
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


def bad_request(request, exception=None):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return api_error(413, "too_large", "The request body is too large.")
    return api_error(400, "malformed", "The request cannot be read.")


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error(403, "forbidden", "You do not have permission to do this.")
    return render(request, "errors/403.html", {"page_title": "You do not have access"}, status=403)


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(404, "not_found", "There is nothing at this address. See /api/v1/docs/.")
    return render(request, "errors/404.html", {"page_title": "Page not found"}, status=404)


def server_error(request):
    if is_api(request):
        return api_error(500, "server_error", "Something went wrong on the server. Try again later.")
    # Rendered without a request: no context processor may touch a database that may be the problem.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
