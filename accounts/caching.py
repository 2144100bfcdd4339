"""No copy of a page or an API answer kept by a browser or a proxy: they hold personal data, and a shared
computer at a reporting centre would keep them.

``NoStoreMiddleware`` gives every response the service's views make, signed in or not, API or page, redirect or
error, Django's never-cache headers (``Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private``
and an ``Expires`` in the past). Static files keep their long cache: WhiteNoise answers them before this runs.
Signing out (any route to ``django.contrib.auth.logout``: the sign-out button, the admin's) also asks the browser
to clear what it holds for the site (``Clear-Site-Data``).
"""

from django.utils.cache import add_never_cache_headers

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def mark_signed_out(sender, request=None, **kwargs) -> None:
    """``user_logged_out`` receiver (connected in accounts.apps): the response then clears the site's data."""
    if request is not None:
        request.rj_signed_out = True


class NoStoreMiddleware:
    """Never-cache headers on every response; ``Clear-Site-Data`` on the answer to signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        if getattr(request, "rj_signed_out", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
