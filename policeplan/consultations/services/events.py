"""Writes for event registrations: places up to capacity, then a waiting list that moves up.

The event row is locked while places are counted, so two people cannot take the last place.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.consultations import tasks
from policeplan.consultations.models import Event, Registration, RegistrationStatus
from policeplan.core import jobs
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record

ACTIVE = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("consultation").get(pk=event.pk)


def _promote(event: Event) -> None:
    """Fill free places from the waiting list, first come first served."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    free = event.capacity - confirmed
    if free <= 0:
        return
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "created_at", "id"
    )[:free]
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        jobs.enqueue(tasks.send_consultation_email, "registration_promoted", registration.pk)


@transaction.atomic
def registration_create(
    *, event: Event, name: str, email: str, access_needs: str = ""
) -> tuple[Registration, bool]:
    """Register for an event. Returns (registration, created): registering twice with the
    same email address returns the first registration rather than taking a second place."""
    event = _locked(event)
    if not event.public_registration or not event.consultation.is_public:
        raise ValidationError("This event is by invitation only")
    if event.starts_at <= timezone.now():
        raise ValidationError("This event has already started, so registration has closed")
    existing = event.registrations.filter(email__iexact=email, status__in=ACTIVE).first()
    if existing is not None:
        # Registering again sends the address its booking again; the page says the same as
        # for a new booking, so nobody learns from it whether someone else registered.
        jobs.enqueue(tasks.send_consultation_email, _email_kind(existing), existing.pk)
        return existing, False
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    registration = Registration.objects.create(
        event=event,
        name=name,
        email=email,
        access_needs=access_needs,
        status=RegistrationStatus.CONFIRMED
        if confirmed < event.capacity
        else RegistrationStatus.WAITING,
        cancel_token=secrets.token_urlsafe(32),
    )
    jobs.enqueue(tasks.send_consultation_email, _email_kind(registration), registration.pk)
    return registration, True


def _email_kind(registration: Registration) -> str:
    if registration.status == RegistrationStatus.CONFIRMED:
        return "registration_confirmed"
    return "registration_waiting"


@transaction.atomic
def registration_cancel(*, token: str) -> Registration | None:
    """Cancel by the link in the confirmation email; the next person waiting gets the place."""
    found = Registration.objects.filter(cancel_token=token).select_related("event").first()
    if found is None:
        return None
    event = _locked(found.event)
    registration = Registration.objects.get(pk=found.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    had_place = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if had_place:  # their calendar holds the invitation: send its cancellation
        jobs.enqueue(tasks.send_consultation_email, "registration_cancelled", registration.pk)
    _promote(event)
    return registration


@transaction.atomic
def event_capacity_changed(*, event: Event) -> None:
    """After staff raise the capacity, people waiting move up."""
    _promote(_locked(event))


@transaction.atomic
def attendance_record(
    *,
    user: Any,
    event: Event,
    attended: set[int],
    notes: str,
    issues_raised: list[str],
) -> Event:
    """Mark who came (everyone confirmed not ticked did not) and what was raised."""
    ensure(user, Perm.RUN_CONSULTATIONS)
    event = _locked(event)
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    confirmed.filter(pk__in=attended).update(attended=True)
    confirmed.exclude(pk__in=attended).update(attended=False)
    event.notes = notes
    event.issues_raised = issues_raised
    event.modified_by = user
    event.save(update_fields=["notes", "issues_raised", "modified_by", "modified_at"])
    audit_record(
        actor=user,
        action="event.attendance",
        obj=event,
        changes={"attended": [None, str(len(attended))]},
    )
    return event
