"""The root URLs: each app's pages under its own prefix, and the error pages."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts import security_log
from privacy import views as privacy_views
from rjcases.views import cases as case_views

urlpatterns = [
    path("", case_views.dashboard, name="dashboard"),
    path("accounts/", include("accounts.urls")),
    path("accessibility/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"),
    # Public, like the accessibility statement: it is for the people whose data the service holds.
    path("privacy-notice/", privacy_views.privacy_notice, name="privacy_notice"),
    path("cases/", include("rjcases.case_urls")),
    path("cases/", include("conferences.urls")),
    path("letters/", include("letters.urls")),
    path("insights/", include("insights.urls")),
    path("recorded-incidents/", include("recorded.urls")),
    path("privacy/", include("privacy.urls")),
    path("api/v1/", include("api.urls")),
    # Not under accounts/, whose pages are open before the second factor.
    path("security-log/", security_log.security_log, name="security_log"),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
