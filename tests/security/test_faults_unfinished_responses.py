"""Visitors cannot fill the database with unfinished responses: starting one (the first page
saved) counts toward the public forms' per-client limit, and an unsent response nobody has
saved for longer than a session lasts is deleted by the daily retention command, unless it
was saved for later with a code still valid."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from policeplan.consultations.models import Answer, Response, ResponseStatus
from policeplan.consultations.tests.conftest import consultation  # noqa: F401
from policeplan.consultations.tests.test_respond import about_you

pytestmark = pytest.mark.django_db


def test_starting_responses_from_one_client_is_limited(consultation, settings):  # noqa: F811
    settings.SUBMISSION_RATE_LIMIT = 3
    caches["shared"].clear()
    url = f"/consultations/{consultation.slug}/respond/1/"
    statuses = [Client().post(url, about_you(consultation)).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Response.objects.filter(status=ResponseStatus.IN_PROGRESS).count() == 3
    # Elsewhere, someone else starts as usual.
    other = Client(REMOTE_ADDR="198.51.100.9").post(url, about_you(consultation))
    assert other.status_code == 302


def test_going_on_with_a_started_response_is_not_counted_as_starting(consultation, settings):  # noqa: F811
    settings.SUBMISSION_RATE_LIMIT = 1
    caches["shared"].clear()
    client = Client()
    url = f"/consultations/{consultation.slug}/respond/1/"
    assert [client.post(url, about_you(consultation)).status_code for _ in range(3)] == [302] * 3
    assert Response.objects.count() == 1


def test_unfinished_responses_left_longer_than_a_session_are_deleted(consultation, settings):  # noqa: F811
    caches["shared"].clear()
    url = f"/consultations/{consultation.slug}/respond/1/"
    for _ in range(3):
        assert Client().post(url, about_you(consultation)).status_code == 302
    left, working, saved = Response.objects.order_by("pk")
    old = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    Response.objects.filter(pk__in=[left.pk, saved.pk]).update(touched_at=old)
    Response.objects.filter(pk=saved.pk).update(
        resume_code_hash="x" * 64, resume_expires_at=timezone.now() + datetime.timedelta(days=3)
    )
    call_command("consultations_retention")
    assert set(Response.objects.values_list("pk", flat=True)) == {working.pk, saved.pk}
    assert not Answer.objects.filter(response_id=left.pk).exists()


def test_saving_a_page_keeps_an_unfinished_response_alive(consultation, settings):  # noqa: F811
    caches["shared"].clear()
    client = Client()
    url = f"/consultations/{consultation.slug}/respond/1/"
    assert client.post(url, about_you(consultation)).status_code == 302
    old = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    Response.objects.update(started_at=old, touched_at=old)
    assert client.post(url, about_you(consultation)).status_code == 302  # still working
    call_command("consultations_retention")
    assert Response.objects.count() == 1
