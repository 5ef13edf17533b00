"""Answers are never lost: a question that has answers (online, or from an import) cannot be
removed; staff are told why before they try, and a forced POST is refused the same way."""

from __future__ import annotations

import html
import uuid

import pytest

from policeplan.consultations import selectors, services
from policeplan.consultations.models import Answer, Consultation, Question
from policeplan.consultations.tests.conftest import build
from policeplan.plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def _answered_online(users) -> tuple[Consultation, Question]:
    consultation = build(users["policy_officer"])
    ctx = selectors.question_context(consultation=consultation)
    questions = {q.kind: q for q in Question.objects.filter(section__consultation=consultation)}
    free = Question.objects.get(section__consultation=consultation, kind="free_text")
    services.response_submit_complete(
        consultation=consultation,
        token=uuid.uuid4(),
        answers={
            questions["borough"]: ("E09000008", ctx.boroughs["E09000008"]),
            questions["respondent_type"]: ({"type": "individual", "organisation": ""}, "Me"),
            free: ("More lights on the canal path", "More lights on the canal path"),
        },
        consent="no",
    )
    return consultation, free


def _imported(users, tmp_path) -> tuple[Consultation, Question]:
    path = tmp_path / "elsewhere.csv"
    path.write_text("id,What would help?\nR1,Street lights\nR2,More patrols\n")
    consultation = services.consultation_import(
        user=users["policy_officer"],
        path=path,
        title="Run elsewhere",
        plan_version=PlanVersion.objects.get(state="consultation"),
        id_column="id",
        text_columns=["What would help?"],
    )
    return consultation, Question.objects.get(section__consultation=consultation)


@pytest.mark.parametrize("how", ["online", "imported"])
def test_a_question_with_answers_cannot_be_removed_and_its_answers_stay(
    client, demo, users, tmp_path, how
):
    consultation, question = (
        _answered_online(users) if how == "online" else _imported(users, tmp_path)
    )
    answers = Answer.objects.filter(question=question).count()
    assert answers >= 1
    client.force_login(users["policy_officer"])
    url = f"/staff/consultations/{consultation.pk}/questions/{question.pk}/remove/"
    warning = html.unescape(client.get(url).text)
    assert "You cannot remove the question" in warning and "Yes, remove it" not in warning
    assert f"This question has {answers:,} answer" in warning
    assert "answers are never deleted" in warning
    page = client.post(url, follow=True)
    assert "answers are never deleted" in html.unescape(page.text)
    assert Question.objects.filter(pk=question.pk).exists()  # not archived
    assert Answer.objects.filter(question=question).count() == answers
    exported = client.get(f"/staff/consultations/{consultation.pk}/responses/export.csv")
    assert question.text in exported.content.decode()


def test_a_question_nobody_answered_can_still_be_removed_before_opening(client, demo, users):
    consultation = build(users["policy_officer"])
    question = Question.objects.get(section__consultation=consultation, kind="agree_scale")
    client.force_login(users["policy_officer"])
    url = f"/staff/consultations/{consultation.pk}/questions/{question.pk}/remove/"
    assert "Yes, remove it" in client.get(url).text
    client.post(url)
    assert not Question.objects.filter(pk=question.pk).exists()
