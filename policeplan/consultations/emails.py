"""Emails to respondents and people who register for events, sent by a background job.

Confirmations of a place carry the event as an iCalendar (.ics) invitation (METHOD:REQUEST,
with the office as ORGANIZER and the event page as URL); cancelling a place sends the same
entry cancelled (METHOD:CANCEL, same UID, a higher SEQUENCE), so calendars remove it. Every
registration email carries the link that cancels it. Dates and times are GOV.UK style
(`policeplan.core.dates`); links use SITE_URL, the address the service is served on.

The link to join an online event goes only to people who hold a place when the email is
written (as the event page promises): the waiting list is told it will come with a place, and
the email that gives them one carries it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from policeplan.consultations.models import (
    Event,
    Registration,
    RegistrationStatus,
    RespondentContact,
)
from policeplan.core import calendar, dates

SUBJECTS = {
    "registration_confirmed": "Your place at {title}",
    "registration_waiting": "You are on the waiting list for {title}",
    "registration_promoted": "A place has come up for you at {title}",
    "registration_cancelled": "Your place at {title} is cancelled",
}
# The invitation is the entry's first version, its cancellation the next: calendars apply
# the higher SEQUENCE for the same UID.
SEQUENCE = {"REQUEST": 0, "CANCEL": 1}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _event_url(event: Event) -> str:
    return _absolute(
        reverse(
            "consultations:event", kwargs={"slug": event.consultation.slug, "event_id": event.pk}
        )
    )


def ics(event: Event, method: str = "REQUEST") -> bytes:
    """The event as a calendar entry: an invitation (REQUEST) or its cancellation (CANCEL)."""
    entry = calendar.entry(
        uid=calendar.uid("event", event.pk),
        sequence=SEQUENCE[method],
        url=_event_url(event),
        status="CANCELLED" if method == "CANCEL" else "",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        location=event.online_link or event.venue,
        description=event.description,
    )
    return calendar.calendar(
        [entry], prodid="-//policeplan//consultation events//EN", method=method
    )


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
    if kind == "registration_cancelled":
        message = EmailMessage(
            subject=SUBJECTS[kind].format(title=event.title),
            body="\n".join(
                [
                    f"Dear {registration.name},",
                    "",
                    f"You have cancelled your place at {event.title} "
                    f"({dates.when(event.starts_at, event.ends_at)}). Thank you for letting "
                    "us know: someone on the waiting list can now have it.",
                    "",
                    "The attached calendar file removes the event from your calendar.",
                    "",
                    f"If you change your mind, you can register again: {_event_url(event)}",
                ]
            ),
            to=[registration.email],
        )
        message.attach("event.ics", ics(event, "CANCEL"), "text/calendar")
        return message
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
        f"When: {dates.when(event.starts_at, event.ends_at)}",
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
    registration = (
        Registration.objects.select_related("event__consultation").filter(pk=object_id).first()
    )
    if registration is None or not registration.email:
        return
    registration_message(kind, registration).send()
