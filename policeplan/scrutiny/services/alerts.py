"""Alerts by email for a body's new meetings and papers, with no account: the address is
confirmed by a link first (double opt-in), and every email carries a one-click unsubscribe.

Asking again for a confirmed address sends nothing (the page says the same either way, so it
tells no one who is subscribed); views limit how often a client and an address can ask, so the
form cannot be used to mail anyone at volume.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from policeplan.core import jobs
from policeplan.scrutiny import tasks
from policeplan.scrutiny.models import Committee, Subscription

# How long a confirmation link works; unconfirmed requests older than this are deleted.
CONFIRM_WITHIN = datetime.timedelta(days=7)


@transaction.atomic
def subscription_request(*, committee: Committee, email: str) -> Subscription:
    """Ask for alerts: sends the confirmation link (again, for an unconfirmed request; a new
    link and a new 7 days if the old one has expired)."""
    address = email.strip()
    existing = (
        Subscription.objects.select_for_update()
        .filter(committee=committee, email__iexact=address, unsubscribed_at__isnull=True)
        .first()
    )
    if existing is not None and existing.confirmed_at is not None:
        return existing
    if existing is not None and _expired(existing):
        # The old link no longer works: send a new one, good for another CONFIRM_WITHIN.
        existing.token = secrets.token_urlsafe(32)
        existing.created_at = timezone.now()
        existing.save(update_fields=["token", "created_at"])
    subscription = existing or Subscription.objects.create(
        committee=committee, email=address, token=secrets.token_urlsafe(32)
    )
    jobs.enqueue(tasks.send_alert_email, "confirm", subscription.pk)
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription | None:
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is None or subscription.unsubscribed_at is not None:
        return None
    if subscription.confirmed_at is None and _expired(subscription):
        return None
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> Subscription | None:
    """Unsubscribe (the one-click link). The address is erased: nothing more is sent to it
    and it is not kept."""
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is None:
        return None
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.email = ""
        subscription.save(update_fields=["unsubscribed_at", "email"])
    return subscription


def _expired(subscription: Subscription) -> bool:
    return subscription.created_at < timezone.now() - CONFIRM_WITHIN


@transaction.atomic
def subscriptions_unconfirmed_delete() -> int:
    """Delete the requests never confirmed within CONFIRM_WITHIN, with their addresses
    (run daily: `policeplan scrutiny_retention`). Returns how many."""
    stale = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=timezone.now() - CONFIRM_WITHIN
    )
    deleted, _ = stale.delete()
    return deleted
