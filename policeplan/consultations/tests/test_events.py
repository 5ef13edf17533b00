"""Events: places up to capacity, a waiting list, cancellation that promotes, emails with .ics."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from policeplan.consultations import services
from policeplan.consultations.models import Registration, RegistrationStatus


@pytest.fixture
def town_hall(consultation, users):
    start = timezone.now() + datetime.timedelta(days=7)
    return services.event_save(
        user=users["policy_officer"],
        consultation=consultation,
        data={
            "kind": "town_hall",
            "title": "Barnet town-hall meeting",
            "borough_code": "E09000003",
            "venue": "Hendon Town Hall, The Burroughs, London NW4 4BQ",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "capacity": 2,
            "access_information": "Step-free access and a hearing loop.",
            "public_registration": True,
        },
    )


def register(client, consultation, event, name):
    return client.post(
        f"/consultations/{consultation.slug}/events/{event.pk}/",
        {"name": name, "email": f"{name.lower()}@example.org", "access_needs": ""},
        follow=True,
    )


def test_registration_beyond_capacity_waits_and_a_cancellation_promotes(
    client, consultation, town_hall, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert "Registration received" in register(client, consultation, town_hall, "Ada").text
        assert "Registration received" in register(client, consultation, town_hall, "Ben").text
        page = client.get(f"/consultations/{consultation.slug}/events/{town_hall.pk}/")
        assert "Join the waiting list" in page.text
        assert "Registration received" in register(client, consultation, town_hall, "Cy").text
        assert "Registration received" in register(client, consultation, town_hall, "Di").text
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"Ada": "confirmed", "Ben": "confirmed", "Cy": "waiting", "Di": "waiting"}
    # Ada's confirmation carries the event as a calendar entry and a working cancel link.
    ada = mail.outbox[0]
    assert ada.to == ["ada@example.org"] and "Your place at Barnet town-hall meeting" in ada.subject
    name, content, mimetype = ada.attachments[0]
    assert (name, mimetype) == ("event.ics", "text/calendar")
    entry = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(entry["SUMMARY"]) == "Barnet town-hall meeting"
    assert entry.decoded("DTSTART") == town_hall.starts_at.replace(microsecond=0)
    link = next(line for line in ada.body.splitlines() if "/events/cancel/" in line)
    path = link[link.index("/consultations/") :]
    assert "Cancel your place?" in client.get(path).text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "Your place is cancelled" in client.post(path).text
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"Ada": "cancelled", "Ben": "confirmed", "Cy": "confirmed", "Di": "waiting"}
    # Ada's calendar is told the entry is cancelled; Cy is given the place.
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "cy@example.org"]
    cancelled = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert "Your place at Barnet town-hall meeting is cancelled" in cancelled.subject
    calendar = Calendar.from_ical(cancelled.attachments[0][1])
    assert str(calendar["METHOD"]) == "CANCEL"
    removed = calendar.walk("VEVENT")[0]
    assert str(removed["UID"]) == str(entry["UID"])
    assert int(removed["SEQUENCE"]) > int(entry["SEQUENCE"])
    promoted = next(m for m in mail.outbox if m.to == ["cy@example.org"])
    assert "A place has come up" in promoted.subject
    # Cancelling twice changes nothing more.
    client.post(path)
    assert Registration.objects.filter(status="confirmed").count() == 2


def test_registering_twice_with_one_email_takes_one_place(client, consultation, town_hall):
    register(client, consultation, town_hall, "Ada")
    register(client, consultation, town_hall, "Ada")
    assert Registration.objects.count() == 1


def test_registration_form_errors_and_honeypot(client, consultation, town_hall):
    url = f"/consultations/{consultation.slug}/events/{town_hall.pk}/"
    page = client.post(url, {"name": "", "email": "not-an-email"})
    assert "Enter your full name" in page.text
    assert "Enter an email address in the correct format" in page.text
    assert client.post(url, {"name": "Bot", "email": "b@x.org", "website": "x"}).status_code == 400
    assert not Registration.objects.exists()


def test_raising_the_capacity_moves_people_up_and_staff_record_attendance(
    client, consultation, town_hall, users
):
    for name in ("Ada", "Ben", "Cy"):
        register(client, consultation, town_hall, name)
    town_hall.capacity = 3
    town_hall.save()
    services.event_capacity_changed(event=town_hall)
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    client.force_login(users["policy_officer"])
    ada = Registration.objects.get(name="Ada")
    url = f"/staff/consultations/{consultation.pk}/events/{town_hall.pk}/"
    page = client.get(url)
    assert "ada@example.org" in page.text
    client.post(
        url,
        {
            "attended": [str(ada.pk)],
            "notes": "Worries about knife crime.",
            "issues_raised": "Knife crime\nLighting",
        },
    )
    town_hall.refresh_from_db()
    assert town_hall.issues_raised == ["Knife crime", "Lighting"]
    assert list(Registration.objects.filter(attended=True).values_list("name", flat=True)) == [
        "Ada"
    ]


def test_registering_an_address_already_booked_tells_the_page_nothing(
    client, consultation, town_hall, django_capture_on_commit_callbacks
):
    """Whether someone is booked, or waiting, is theirs to know: registering their address
    again shows the same page as a new booking, and only their inbox hears of it."""
    with django_capture_on_commit_callbacks(execute=True):
        register(client, consultation, town_hall, "Ada")
        register(client, consultation, town_hall, "Ben")
        new = register(client, consultation, town_hall, "Cy")  # waiting list
        again = register(client, consultation, town_hall, "Ada")  # already booked
    main_of = lambda page: page.text.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    assert main_of(new) == main_of(again)
    assert "Registration received" in again.text and "Place booked" not in again.text
    assert Registration.objects.filter(email="ada@example.org").count() == 1
    to_ada = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert len(to_ada) == 2 and all("Your place" in m.subject for m in to_ada)


def test_emails_and_calendar_files_give_gov_uk_times_and_the_served_address(
    consultation, town_hall, settings
):
    from zoneinfo import ZoneInfo

    from policeplan.consultations import emails

    settings.SITE_URL = "http://127.0.0.1:8080"
    start = datetime.datetime(2026, 12, 4, 18, 30, tzinfo=ZoneInfo("Europe/London"))
    town_hall.starts_at, town_hall.ends_at = start, start + datetime.timedelta(hours=2)
    town_hall.save()
    registration = Registration.objects.create(
        event=town_hall,
        name="Ada",
        email="ada@example.org",
        status=RegistrationStatus.CONFIRMED,
        cancel_token="t" * 40,
    )
    message = emails.registration_message("registration_confirmed", registration)
    assert "When: Friday 4 December 2026, 6:30pm to 8:30pm" in message.body
    assert "http://127.0.0.1:8080/consultations/events/cancel/" in message.body
    calendar = Calendar.from_ical(message.attachments[0][1])
    assert str(calendar["METHOD"]) == "REQUEST"
    entry = calendar.walk("VEVENT")[0]
    assert str(entry["ORGANIZER"]).startswith("mailto:")
    event_page = f"http://127.0.0.1:8080/consultations/{consultation.slug}/events/{town_hall.pk}/"
    assert str(entry["URL"]) == event_page
    assert str(entry["UID"]).endswith("@127.0.0.1:8080")
