import re

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_every_page_sends_a_csp_without_inline_script_and_denies_framing(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # The only inline script (GOV.UK's js-enabled class) carries this response's nonce.
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.text)
    assert inline
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_no_inline_event_handlers_or_styles_in_pages(client, demo):
    for url in ["/", "/plans/london-2022-25/compare/", "/sign-in/"]:
        html = client.get(url).text
        assert not re.search(r"\son[a-z]+=", html), url
        assert "style=" not in html, url


def test_forms_refuse_posts_without_a_csrf_token(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["policy_officer"])
    response = client.post("/staff/plans/new/", {"title": "Sneaky"})
    assert response.status_code == 403
    assert "Your form has expired" in response.text


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=False)
def test_hsts_is_sent_over_https(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/")


def test_https_setting_turns_on_secure_cookies_and_hsts(monkeypatch):
    import importlib

    import policeplan.settings as project_settings

    monkeypatch.setenv("HTTPS", "true")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-" + "x7Qp" * 10)
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.SESSION_COOKIE_SECURE and reloaded.CSRF_COOKIE_SECURE
        assert reloaded.SECURE_HSTS_SECONDS > 0 and reloaded.SECURE_HSTS_PRELOAD
        assert reloaded.SECURE_SSL_REDIRECT
    finally:
        monkeypatch.delenv("HTTPS")
        monkeypatch.delenv("SECRET_KEY")
        importlib.reload(project_settings)


def test_unknown_pages_get_the_govuk_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
