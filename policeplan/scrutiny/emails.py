"""Alert emails: the confirmation link, and news of a meeting or paper, sent by a job.

Every alert carries List-Unsubscribe (the link) and List-Unsubscribe-Post (RFC 8058), so mail
programs offer one-click unsubscribe; the link also works from the email's text. What an
alert says passes the same disclosure rule as the public pages (`selectors.papers_feed`,
`selectors.meetings_calendar`): a meeting or paper the public may not see is never sent.
"""

from __future__ import annotations

import datetime
import email.policy
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from policeplan.core import dates
from policeplan.scrutiny import selectors
from policeplan.scrutiny.models import Meeting, Paper, Subscription

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def meeting_url(meeting: Meeting) -> str:
    return _absolute(reverse("scrutiny:meeting", args=[meeting.committee.slug, meeting.pk]))


def paper_url(paper: Paper) -> str:
    meeting = paper.item.meeting
    return _absolute(reverse("scrutiny:paper", args=[meeting.committee.slug, meeting.pk, paper.pk]))


def _unsubscribe_url(subscription: Subscription) -> str:
    return _absolute(reverse("scrutiny:unsubscribe", args=[subscription.token]))


def confirmation_message(subscription: Subscription) -> EmailMessage:
    committee = subscription.committee
    confirm = _absolute(reverse("scrutiny:confirm", args=[subscription.token]))
    return EmailMessage(
        subject=f"Confirm your email alerts from the {committee.name}",
        body="\n".join(
            [
                f"Someone (we hope you) asked for emails when the {committee.name} publishes "
                "a new meeting or papers.",
                "",
                f"To start them, confirm here within 7 days: {confirm}",
                "",
                "If it was not you, ignore this email: we will not email you again, and we "
                "delete the request, with your address, after 7 days.",
            ]
        ),
        to=[subscription.email],
    )


class AlertMessage(EmailMessage):
    """An alert whose List-Unsubscribe stays a plain `<https://…>` on one line. The email
    package folds a header longer than 78 characters and, finding no space in the long token,
    writes it RFC 2047-encoded (`=?utf-8?q?=3Chttps…`), which mail programs do not read as a
    link, so they offered no one-click unsubscribe. RFC 5322 allows lines up to 998."""

    def message(self, *, policy: Any = email.policy.default) -> Any:
        return super().message(policy=policy.clone(max_line_length=998))


def alert_message(subscription: Subscription, subject: str, lines: list[str]) -> EmailMessage:
    unsubscribe = _unsubscribe_url(subscription)
    return AlertMessage(
        # A subject is one line, whatever a title held (forms refuse line breaks; this is
        # for anything saved before they did).
        subject=" ".join(subject.split()),
        body="\n".join([*lines, "", f"To stop these emails: {unsubscribe}"]),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _meeting_lines(meeting: Meeting) -> tuple[str, list[str]]:
    where = meeting.venue.replace("\n", ", ") if meeting.venue else "Online"
    return (
        f"New meeting: {meeting.display_title}, {dates.day(meeting.starts_at)}",
        [
            f"The {meeting.committee.name} will meet at {dates.at(meeting.starts_at)}.",
            "",
            f"Where: {where}",
            f"Agenda and papers: {meeting_url(meeting)}",
        ],
    )


def _changed_lines(meeting: Meeting, kind: str, was: datetime.datetime) -> tuple[str, list[str]]:
    name, body = meeting.committee.name, meeting.display_title
    if kind == "meeting-cancelled":
        return (
            f"Cancelled: {body}, {dates.day(was)}",
            [f"The {name} meeting at {dates.at(was)} is cancelled.", "", meeting_url(meeting)],
        )
    if kind == "meeting-postponed":
        return (
            f"Postponed: {body}, {dates.day(was)}",
            [
                f"The {name} meeting at {dates.at(was)} is postponed. We will email you the "
                "new date when it is set.",
                "",
                meeting_url(meeting),
            ],
        )
    where = meeting.venue.replace("\n", ", ") if meeting.venue else "Online"
    moved = meeting.starts_at != was
    return (
        f"{'New time' if moved else 'New place'}: {body}, {dates.day(meeting.starts_at)}",
        [
            f"The {name} meeting that was to be at {dates.at(was)} "
            + (f"is now at {dates.at(meeting.starts_at)}." if moved else "has a new place."),
            "",
            f"Where: {where}",
            f"Agenda and papers: {meeting_url(meeting)}",
        ],
    )


def _paper_lines(paper: Paper) -> tuple[str, list[str]]:
    meeting = paper.item.meeting
    return (
        f"New paper: {paper.title}",
        [
            f"A paper for the {meeting.committee.name} meeting on "
            f"{dates.day(meeting.starts_at)} is published: {paper.title}.",
            "",
            f"Read it: {paper_url(paper)}",
        ],
    )


def send(*, kind: str, object_id: int, was: str = "") -> int:
    """Send one kind of email; returns how many sends failed. A failed send (a refused
    address, a bad header) is logged and the rest are still sent."""
    if kind == "confirm":
        subscription = (
            Subscription.objects.select_related("committee")
            .filter(pk=object_id, confirmed_at__isnull=True, unsubscribed_at__isnull=True)
            .first()
        )
        if subscription is not None:
            confirmation_message(subscription).send()
        return 0
    if kind == "meeting":
        meeting = selectors.public_meeting(meeting_id=object_id)
        if meeting is None:
            return 0
        committee = meeting.committee
        subject, lines = _meeting_lines(meeting)
    elif kind.startswith("meeting-"):
        meeting = selectors.public_meeting(meeting_id=object_id)
        if meeting is None:
            return 0
        committee = meeting.committee
        subject, lines = _changed_lines(meeting, kind, datetime.datetime.fromisoformat(was))
    else:
        paper = selectors.public_paper(paper_id=object_id)
        if paper is None:
            return 0
        committee = paper.item.meeting.committee
        subject, lines = _paper_lines(paper)
    failed = sent = 0
    for subscription in Subscription.objects.filter(
        committee=committee, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).select_related("committee"):
        try:
            alert_message(subscription, subject, lines).send()
        except Exception:
            failed += 1
            logger.exception(
                "scrutiny alert %s %s not sent to subscription %s", kind, object_id, subscription.pk
            )
        else:
            sent += 1
    if failed:
        logger.error("scrutiny alert %s %s: %d sent, %d failed", kind, object_id, sent, failed)
    return failed
