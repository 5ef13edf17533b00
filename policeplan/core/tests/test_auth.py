import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from policeplan.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, email, password, **extra):
    return client.post(reverse("core:sign-in"), {"email": email, "password": password, **extra})


def test_staff_sign_in_and_reach_the_staff_area(client):
    user = UserFactory()
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert "Staff area" in client.get("/staff/").text


def test_a_wrong_password_shows_a_govuk_error_and_signs_nobody_in(client):
    user = UserFactory()
    response = _sign_in(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "The email address or password is not right" in response.text
    assert client.get("/staff/").status_code == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(client):
    user = UserFactory()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(client, user.email, "wrong-password-guess")
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.text
    assert client.get("/staff/").status_code == 302


def test_redirects_after_sign_in_stay_on_this_site(client):
    user = UserFactory()
    response = _sign_in(client, user.email, PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/staff/"
    response = _sign_in(client, user.email, PASSWORD, next="/staff/audit/")
    assert response["Location"] == "/staff/audit/"


def test_sessions_expire_when_idle_and_when_the_browser_closes(client):
    user = UserFactory()
    _sign_in(client, user.email, PASSWORD)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    assert cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    assert django_settings.SESSION_COOKIE_AGE == 60 * 60


def test_sign_out_needs_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("core:sign-out")).status_code == 405
    response = client.post(reverse("core:sign-out"))
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 302


def test_passwords_are_stored_with_argon2(settings):
    from policeplan import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    from policeplan.core.services import user_create

    user = user_create(
        email="New.Person@Example.org",
        full_name="New Person",
        role="analyst",
        password="a-long-enough-passphrase",
    )
    assert user.password.startswith("argon2$")
    assert user.email == "new.person@example.org"


def test_weak_passwords_are_refused():
    from django.core.exceptions import ValidationError

    from policeplan.core.services import user_create

    with pytest.raises(ValidationError):
        user_create(email="a@example.org", full_name="A", role="analyst", password="password")
