import pytest

from worker_app import create_app
from worker_app.config import ROOT, Config


def test_folders_are_found_and_a_string_renders_translated(client):
    assert (ROOT / "templates").is_dir() and (ROOT / "translations").is_dir()
    page = client.get("/help", headers={"Accept-Language": "nn"})
    assert page.status_code == 200
    assert '<html lang="nn"' in page.text
    assert "Les høgt" in page.text
    english = client.get("/help", headers={"Accept-Language": "en"})
    assert "Call the safety number" in english.text


def test_norwegian_is_the_default(client):
    page = client.get("/help", headers={"Accept-Language": "de"})
    assert '<html lang="nb"' in page.text and "Ring trygghets-nummeret" in page.text


def test_security_headers_on_every_page(client):
    response = client.get("/help")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.text and " style=" not in response.text


def test_production_refuses_the_development_secret(monkeypatch):
    class Production(Config):
        ENV_NAME = "production"
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Production)
    with pytest.raises(RuntimeError, match="COOKIE_SECURE"):
        create_app(Production, {"SECRET_KEY": "x" * 40})
    app = create_app(Production, {"SECRET_KEY": "x" * 40, "SESSION_COOKIE_SECURE": True,
                                  "BASE_URL": "https://example.no"})
    assert app.config["ENV_NAME"] == "production"


@pytest.mark.parametrize("path", ["/does-not-exist", "/help/sent/999999"])
def test_error_pages_keep_the_safety_call(client, path):
    response = client.get(path)
    assert response.status_code in (401, 403, 404)
    assert 'href="tel:+4780012345"' in response.text


@pytest.mark.fresh_database
def test_a_server_error_is_a_calm_page_with_the_safety_call(app):
    @app.route("/boom")
    def boom():
        raise RuntimeError("bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Det er ikke din feil" in response.text
    assert 'href="tel:' in response.text


def test_static_pictograms_and_htmx_are_installed(client):
    for path in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/openmoji/1F4DE.svg"):
        with client.get(path) as response:
            assert response.status_code == 200
