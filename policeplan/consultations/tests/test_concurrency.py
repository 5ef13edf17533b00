"""Concurrent duplicate submissions (a double click that lands on two workers, a retry racing
the original) leave exactly one response, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from policeplan.consultations import selectors, services
from policeplan.consultations.models import Question, Response, ResponseStatus
from policeplan.consultations.tests.conftest import build

pytestmark = pytest.mark.django_db(transaction=True)
RACERS = 6


def race(fn):
    barrier = threading.Barrier(RACERS)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(fn())
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def _answers(consultation):
    ctx = selectors.question_context(consultation=consultation)
    out = {}
    for q in Question.objects.filter(section__consultation=consultation):
        if q.kind == "free_text":
            out[q] = ("Same words", "Same words")
        elif q.kind == "respondent_type":
            out[q] = ({"type": "individual", "organisation": ""}, "As an individual")
        elif q.kind == "borough":
            out[q] = ("E09000003", ctx.boroughs["E09000003"])
    return out


def test_concurrent_one_page_submissions_with_one_token_store_one_response(demo, users):
    consultation = build(users["policy_officer"], one_page=True)
    token = uuid.uuid4()
    answers = _answers(consultation)
    results = race(
        lambda: services.response_submit_complete(
            consultation=consultation, token=token, answers=answers, consent="no"
        )
    )
    assert Response.objects.count() == 1
    assert {r.reference for r, _ in results} == {Response.objects.get().reference}
    assert sum(created for _, created in results) == 1
    assert Response.objects.get().answers.count() == len(answers)


def test_concurrent_sends_of_one_answered_questionnaire_give_one_reference(demo, users):
    consultation = build(users["policy_officer"])
    response = services.response_start(consultation=consultation)
    questions = list(Question.objects.filter(section__consultation=consultation))
    services.response_save_answers(
        token=response.token, answers=_answers(consultation), page=questions
    )
    results = race(lambda: services.response_submit(token=response.token).reference)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert set(results) == {response.reference}
    assert Response.objects.count() == 1
