"""The body size limit, for the API too. Django checks ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only when ``request.body``
or ``request.POST`` is read; DRF's JSON parser reads the stream and would take a body of any size. Checking the
declared length before any view runs holds every API path to the limit; the refusal is Django's own
``RequestDataTooBig``, which the 400 handler (config.views.bad_request) answers as the API's JSON 413."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig


class ApiBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.path_info.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        return self.get_response(request)
