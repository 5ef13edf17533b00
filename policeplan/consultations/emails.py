"""Emails to respondents and people who register for events, sent by a background job.

Confirmations of a place carry the event as an iCalendar (.ics) attachment; every
registration email carries the link that cancels it. The link to join an online event goes
only to people who hold a place when the email is written (as the event page promises): the
waiting list is told it will come with a place, and the email that gives them one carries it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as IcsEvent

from policeplan.consultations.models import (
    Event,
    Registration,
    RegistrationStatus,
    RespondentContact,
)

SUBJECTS = {
    "registration_confirmed": "Your place at {title}",
    "registration_waiting": "You are on the waiting list for {title}",
    "registration_promoted": "A place has come up for you at {title}",
}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def ics(event: Event) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//policeplan//consultation events//EN")
    calendar.add("version", "2.0")
    entry = IcsEvent()
    entry.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1].split('/')[0]}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("location", event.online_link or event.venue.replace("\n", ", "))
    entry.add("description", event.description)
    calendar.add_component(entry)
    return calendar.to_ical()


def _when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    return f"{start:%A %-d %B %Y}, {start:%-I:%M%p} to {end:%-I:%M%p}".replace(":00", "").lower()


def registration_message(kind: str, registration: Registration) -> EmailMessage:
    event = registration.event
    cancel = _absolute(reverse("consultations:cancel", args=[registration.cancel_token]))
    has_place = (
        kind != "registration_waiting" and registration.status == RegistrationStatus.CONFIRMED
    )
    where = [f"Where: {event.venue}"] if event.venue else []
    if event.online_link:
        where.append(
            f"Join online: {event.online_link}"
            if has_place
            else "Online: we will email you the link to join if a place comes up for you"
        )
    if kind == "registration_waiting":
        opening = (
            f"{event.title} is full, so you are on the waiting list. If someone cancels, "
            "we will give you their place and email you."
        )
    elif kind == "registration_promoted":
        opening = f"Someone has cancelled, so you now have a place at {event.title}."
    else:
        opening = f"You have a place at {event.title}."
    lines = [
        f"Dear {registration.name},",
        "",
        opening,
        "",
        f"When: {_when(event)}",
        *where,
    ]
    if event.access_information:
        lines += ["", f"Access: {event.access_information}"]
    if registration.access_needs:
        lines += ["", f"You told us: {registration.access_needs}"]
    lines += ["", f"If you cannot come, cancel here so someone else can have the place: {cancel}"]
    message = EmailMessage(
        subject=SUBJECTS[kind].format(title=event.title),
        body="\n".join(lines),
        to=[registration.email],
    )
    if has_place:
        message.attach("event.ics", ics(event), "text/calendar")
    return message


def send(*, kind: str, object_id: int) -> None:
    if kind == "response_received":
        contact = (
            RespondentContact.objects.select_related("response__consultation")
            .filter(response_id=object_id)
            .first()
        )
        if contact is None or not contact.email:
            return  # erased or withdrawn since
        response = contact.response
        withdraw = _absolute(reverse("consultations:withdraw"))
        EmailMessage(
            subject=f"Your response to {response.consultation.title}",
            body=(
                f"Thank you for responding to {response.consultation.title}.\n\n"
                f"Your reference is {response.reference}. Keep it: you need it, with this "
                f"email address, if you want to withdraw your response ({withdraw}).\n"
            ),
            to=[contact.email],
        ).send()
        return
    registration = Registration.objects.select_related("event").filter(pk=object_id).first()
    if registration is None or not registration.email:
        return
    registration_message(kind, registration).send()
