"""Static files as production serves them: collected with hashed names, served by WhiteNoise with a long cache
lifetime, while the pages that name them are never cached.

Production uses WhiteNoise's CompressedManifestStaticFilesStorage (settings: RJ_STATIC_MANIFEST, on with debug
off). Here the hashing half of it, Django's ManifestStaticFilesStorage, collects the service's own files (not the
admin's or the API docs', and without compressing, which only adds time) into a temporary STATIC_ROOT.
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

TEN_YEARS = 315360000


@pytest.fixture
def collected(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=storages):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["admin", "drf_spectacular_sidecar", "rest_framework"],
        )
        yield tmp_path / "static"


def test_a_page_names_hashed_static_files_served_with_a_long_lifetime_and_is_itself_never_cached(collected):
    client = Client()  # a new client: WhiteNoise reads STATIC_ROOT when its middleware is made
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    css = re.search(r'href="(/static/build/app\.[0-9a-f]{12}\.css)"', html)
    script = re.search(r'src="(/static/js/app\.[0-9a-f]{12}\.mjs)"', html)
    assert css, html[:1500]
    assert script, html[:1500]
    for url in (css.group(1), script.group(1)):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert f"max-age={TEN_YEARS}" in cache_control, cache_control
        assert "immutable" in cache_control, cache_control
        assert "no-store" not in cache_control
        assert "Content-Security-Policy" not in response  # static files are not pages
        b"".join(response.streaming_content)


def test_the_unhashed_name_is_cached_only_briefly(collected):
    response = Client().get("/static/build/app.css")
    assert response.status_code == 200
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age < 3600
    b"".join(response.streaming_content)


def test_the_hashed_css_points_at_hashed_images(collected):
    css = next((collected / "build").glob("app.*.css")).read_text()
    images = re.findall(r"url\(\"?(/static/build/assets/images/[^)\"]+)", css)
    assert images
    assert all(re.search(r"\.[0-9a-f]{12}\.(svg|png)$", image) for image in images), images
