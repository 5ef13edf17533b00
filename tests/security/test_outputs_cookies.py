"""The cookies page is true to what the service sets: plain visits to the public pages set no
cookie; walking every public journey (booking a place, answering a questionnaire over several
pages, saving and continuing with a code, withdrawing) and a staff sign-in sets only cookies
the page lists, each lasting until the browser closes as it says; booking a place sets no
session."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from policeplan.consultations import services
from policeplan.consultations.models import Response
from policeplan.consultations.tests.conftest import build
from policeplan.consultations.tests.test_respond import about_you, priorities_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(demo, users):
    consultation = build(users["policy_officer"])
    start = timezone.now() + datetime.timedelta(days=5)
    event = services.event_save(
        user=users["policy_officer"],
        consultation=consultation,
        data={
            "kind": "town_hall",
            "title": "Barnet town-hall meeting",
            "borough_code": "E09000003",
            "venue": "Hendon Town Hall",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "capacity": 1,
            "public_registration": True,
        },
    )
    return consultation, event


class Walker:
    """A browser without JavaScript: keeps its cookies and records every Set-Cookie."""

    def __init__(self) -> None:
        self.client = Client()
        self.set: dict[str, list] = {}

    def __call__(self, method: str, url: str, data=None, **extra):
        page = getattr(self.client, method)(url, data or {}, **extra)
        for name, morsel in page.cookies.items():
            if morsel.value:  # an emptied cookie is a deletion, not a cookie set
                self.set.setdefault(name, []).append(morsel)
        return page


def _listed(walker: Walker) -> dict[str, str]:
    page = unescape(walker("get", "/cookies/").text)
    rows = re.findall(
        r"<tr class=\"govuk-table__row\"><td[^>]*><code>([^<]+)</code>(.*?)</tr>", page
    )
    return {name: re.sub(r"<[^>]+>", " ", rest) for name, rest in rows}


def test_a_plain_visit_to_the_public_pages_sets_no_cookie(consultation):
    item, _ = consultation
    walker = Walker()
    for url in [
        "/",
        "/consultations/",
        f"/consultations/{item.slug}/",
        "/performance/",
        "/cookies/",
        "/privacy/",
        "/accessibility/",
        "/contact/",
    ]:
        page = walker("get", url, follow=True)
        assert page.status_code == 200, url
    assert walker.set == {}


def test_every_cookie_the_public_journeys_set_is_listed_with_its_lifetime(
    consultation, users, settings
):
    item, event = consultation
    walker = Walker()
    # Booking a place at an event: only the form's cookie, no session.
    walker("get", f"/consultations/{item.slug}/events/{event.pk}/")
    booked = walker(
        "post",
        f"/consultations/{item.slug}/events/{event.pk}/",
        {"name": "Ada", "email": "ada@example.org", "access_needs": ""},
        follow=True,
    )
    assert "Registration received" in booked.text
    assert "/registered/?done=" in booked.redirect_chain[-1][0]
    forged = walker(
        "get", f"/consultations/{item.slug}/events/{event.pk}/registered/?done=forged", follow=True
    )
    assert "Registration received" not in forged.text  # signed: no made-up confirmation
    assert set(walker.set) == {settings.CSRF_COOKIE_NAME}
    waiting = Walker()
    wait = waiting(
        "post",
        f"/consultations/{item.slug}/events/{event.pk}/",
        {"name": "Bo", "email": "bo@example.org", "access_needs": ""},
        follow=True,
    )
    assert "Registration received" in wait.text
    assert settings.SESSION_COOKIE_NAME not in waiting.set

    # Answering over several pages, saving for later and coming back with the code.
    base = f"/consultations/{item.slug}/respond"
    walker("get", f"{base}/1/")
    assert settings.SESSION_COOKIE_NAME not in walker.set  # reading a question sets no session
    walker("post", f"{base}/1/", about_you(item))
    assert settings.SESSION_COOKIE_NAME in walker.set
    saved = walker(
        "post", f"{base}/2/", {**priorities_page(item), "save_for_later": "1"}, follow=True
    )
    code = re.search(r'class="app-code">([^<]+)<', saved.text).group(1)
    later = Walker()
    later("get", "/consultations/continue/")
    later("post", "/consultations/continue/", {"code": code}, follow=True)
    later("post", f"{base}/2/", priorities_page(item))
    later("post", f"{base}/about-you/", {"consent": "anonymous", "name": "", "email": ""})
    later("post", f"{base}/equality/", {})
    token = Response.objects.get().token
    sent = later("post", f"{base}/check/", {"token": str(token)}, follow=True)
    assert "Response sent" in sent.text
    reference = Response.objects.get().reference
    later("get", "/consultations/withdraw/")
    later("post", "/consultations/withdraw/", {"reference": reference}, follow=True)

    # Staff sign in and get a message after saving something.
    staff = Walker()
    staff("get", "/sign-in/")
    staff("post", "/sign-in/", {"email": users["policy_officer"].email, "password": "x"})
    staff.client.force_login(users["policy_officer"])
    staff("get", f"/staff/consultations/{item.pk}/")

    listed = _listed(walker)
    set_anywhere = {**walker.set, **waiting.set, **later.set, **staff.set}
    assert set(set_anywhere) <= set(listed), f"not on /cookies/: {set(set_anywhere) - set(listed)}"
    assert set(listed) == {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME}
    for name, morsels in set_anywhere.items():
        assert "When you close your browser" in listed[name]
        assert all(not m["max-age"] and not m["expires"] for m in morsels), name
        assert all(m["httponly"] and m["samesite"] == "Lax" for m in morsels), name
    minutes = settings.SESSION_COOKIE_AGE // 60
    assert f"after {minutes // 60} hour" in listed[settings.SESSION_COOKIE_NAME]
