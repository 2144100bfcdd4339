"""The browsable API docs: Swagger UI served from this site (drf-spectacular-sidecar), its settings script a
separate file, so the page runs under the Content-Security-Policy (script-src 'self', no inline script)."""

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    permission_classes = [AllowAny]
    authentication_classes: list = []
