"""The home page: a search box anyone can use (catalog.views.home)."""

from django.test import Client

from tests.web.conftest import client_for


def test_it_shows_a_labelled_search_box_without_login(world):
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_q">Search the catalog</label>' in html
    assert '<label for="id_field">Search in</label>' in html
    assert 'name="viewport"' in html
    assert "Big Sky Partners" in html


def test_it_serves_its_own_css_and_htmx(world):
    html = Client().get("/").content.decode()
    assert "/static/onelibrary/onelibrary.css" in html
    assert "/static/onelibrary/vendor/htmx.min.js" in html
    assert "https://" not in html  # no CDN: every asset is ours


def test_it_offers_admin_only_to_staff_accounts(world):
    assert "/admin/" not in Client().get("/").content.decode()
    assert "/admin/" in client_for(world.central, is_staff=True).get("/").content.decode()


def test_it_serves_the_stylesheet_and_htmx_itself(world):
    for path in ("onelibrary/onelibrary.css", "onelibrary/vendor/htmx.min.js"):
        response = Client().get(f"/static/{path}")
        assert response.status_code == 200, (
            f"/static/{path} is not served: settings.STATICFILES_DIRS must include "
            "PACKAGE_DIR / 'static' (src/onelibrary is not an app, so no finder looks there)"
        )


def test_it_links_a_favicon_and_answers_favicon_ico(world):
    """Bug 10 (issue 13): every page load asked for /favicon.ico and got a 404."""
    html = Client().get("/").content.decode()
    assert '<link rel="icon" href="/static/onelibrary/favicon.svg"' in html
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/onelibrary/favicon.svg"
    icon = Client().get("/static/onelibrary/favicon.svg")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
