"""Event registrations cannot be used to mail any address at volume: a few registrations per
email address an hour (however it is spelt) and per client an hour, and the refusal is the
same page whether or not the address is registered."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from policeplan.consultations import services
from policeplan.consultations.models import Registration
from policeplan.consultations.tests.conftest import build
from policeplan.core import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(demo, users):
    return build(users["policy_officer"])


@pytest.fixture
def events(consultation, users):
    start = timezone.now() + datetime.timedelta(days=7)
    return [
        services.event_save(
            user=users["policy_officer"],
            consultation=consultation,
            data={
                "kind": "town_hall",
                "title": f"Town-hall meeting {n}",
                "borough_code": "E09000003",
                "venue": "Hendon Town Hall, The Burroughs, London NW4 4BQ",
                "starts_at": start + datetime.timedelta(days=n),
                "ends_at": start + datetime.timedelta(days=n, hours=2),
                "capacity": 50,
                "access_information": "Step-free access.",
                "public_registration": True,
            },
        )
        for n in range(8)
    ]


def _register(consultation, event, email, *, client_address="198.51.100.1", name="Ann Other"):
    client = Client(REMOTE_ADDR=client_address)
    return client.post(
        f"/consultations/{consultation.slug}/events/{event.pk}/",
        {"name": name, "email": email, "access_needs": ""},
    )


def _sent_to(address: str) -> int:
    return sum(address in message.to for message in mail.outbox)


def _body(response) -> str:
    """The page without what differs on every response (nonce, CSRF token)."""
    page = response.content.decode()
    page = re.sub(r'nonce="[^"]*"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_one_address_gets_at_most_the_limit_however_it_is_spelt_and_from_wherever(
    consultation, events, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_LIMIT_PER_EMAIL = 3
    spellings = [
        "victim@example.org",
        "Victim@Example.ORG",
        " victim+events@example.org ",
        "VICTIM+x@example.org",
        "victim@example.org",
    ]
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n, (event, email) in enumerate(zip(events, spellings, strict=False)):
            statuses.append(
                _register(consultation, event, email, client_address=f"203.0.113.{n}").status_code
            )
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert Registration.objects.count() == 3


def test_gmail_dots_do_not_make_a_new_address():
    assert ratelimit.email_identity("Vic.Tim+a@googlemail.com") == "victim@gmail.com"
    assert ratelimit.email_identity("vic.tim@example.org") == "vic.tim@example.org"


def test_the_refusal_is_the_same_for_a_registered_and_an_unknown_address(
    consultation, events, settings
):
    settings.REGISTRATION_LIMIT_PER_EMAIL = 2
    registered, unknown = "ada@example.org", "nobody-here@example.org"
    # The first address registers twice; the second is tried twice for an event that has
    # started (refused, so never registered). Both have used their allowance.
    for event in events[:2]:
        assert _register(consultation, event, registered).status_code == 302
    started = events[2]
    started.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    started.save()
    for _ in range(2):
        assert "registration has closed" in _register(consultation, started, unknown).text
    assert Registration.objects.filter(email=unknown).count() == 0

    # Again, both for an event the first is already booked on: the same refusal, no status.
    refused_registered = _register(consultation, events[0], registered)
    refused_unknown = _register(consultation, events[0], unknown)
    assert refused_registered.status_code == refused_unknown.status_code == 429
    assert _body(refused_registered) == _body(refused_unknown)
    page = refused_registered.text
    assert "Sorry, there have been too many registrations for this email address" in page
    assert "Place booked" not in page and "waiting list" not in page
    assert refused_registered["Retry-After"] == "3600"


def test_one_client_registers_at_most_the_hourly_limit_whatever_the_addresses(
    consultation, events, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_LIMIT_PER_CLIENT = 4
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            response = _register(consultation, events[n], f"person{n}@example.org")
            statuses.append(response.status_code)
    assert statuses == [302] * 4 + [429] * 2  # well inside the 20 a minute for any form
    assert len(mail.outbox) == 4
    assert "Wait an hour, then go back and try again" in response.text
    assert response["Retry-After"] == "3600"
    # Someone else, elsewhere, is not held up.
    other = _register(consultation, events[7], "else@example.org", client_address="192.0.2.9")
    assert other.status_code == 302
