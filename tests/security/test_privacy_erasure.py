"""When a response is withdrawn, or retention erases a consultation's personal details, no
copy of what it said stays behind in analysis: not as a theme's example quote (in any
codeframe version), nor as a phrase an analyst masked in it."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from policeplan.consultations import services as consult
from policeplan.consultations.models import Answer, Question
from policeplan.consultations.tests.conftest import consultation  # noqa: F401
from policeplan.core.roles import Role

pytestmark = pytest.mark.django_db
WORDS = "Margaret wants the Brixton police counter open on Sundays."
OTHER = "More officers on foot in Streatham, please."


@pytest.fixture
def coded(consultation, users):  # noqa: F811
    """Two answers quoted as examples in a theme, in two codeframe versions, and a letter
    quoted in the written submissions' codeframe; one phrase masked in the first answer."""
    from policeplan.analysis.models import Codeframe, Redaction, Theme

    free = Question.objects.get(section__consultation=consultation, kind="free_text")
    borough = Question.objects.get(section__consultation=consultation, kind="borough")
    kind = Question.objects.get(section__consultation=consultation, kind="respondent_type")
    individual = ({"type": "individual", "organisation": ""}, "As an individual")
    sent = {}
    for text, email in [(WORDS, "margaret@example.org"), (OTHER, "")]:
        sent[text], _ = consult.response_submit_complete(
            consultation=consultation,
            token=uuid.uuid4(),
            answers={free: (text, text), borough: ("E09000022", "Lambeth"), kind: individual},
            consent="anonymous",
            email=email,
        )
    officer = users[Role.POLICY_OFFICER]
    letter = consult.submission_add(
        user=officer,
        consultation=consultation,
        channel="letter",
        text="LetterWords: close the station and I will complain.",
        email="writer@example.org",
    )
    answers = {t: Answer.objects.get(response=r, question=free) for t, r in sent.items()}
    examples = [{"answer": a.pk, "text": t} for t, a in answers.items()]
    for version in (1, 2):
        frame = Codeframe.objects.create(
            consultation=consultation, question=free, version=version, created_by=officer
        )
        Theme.objects.create(codeframe=frame, label="Policing", examples=examples)
    letters = Codeframe.objects.create(consultation=consultation, version=1, created_by=officer)
    Theme.objects.create(
        codeframe=letters,
        label="Stations",
        examples=[{"response": letter.pk, "text": "LetterWords: close the station"}],
    )
    Redaction.objects.create(response=sent[WORDS], phrase="Margaret", reason="A name")
    return sent, letter


def _quoted() -> str:
    from policeplan.analysis.models import Theme

    return " ".join(e["text"] for t in Theme.objects.all() for e in t.examples)


def test_a_withdrawn_response_leaves_no_example_quote_or_mask_behind(client, coded, users):
    from policeplan.analysis.models import Redaction, Theme

    sent, _ = coded
    response = sent[WORDS]
    data = {"reference": response.reference, "email": "margaret@example.org", "confirm": "yes"}
    assert "Response withdrawn" in client.post("/consultations/withdraw/", data).text
    assert "Brixton" not in _quoted() and "Streatham" in _quoted()
    assert not Redaction.objects.filter(response=response).exists()
    client.force_login(users[Role.ANALYST])
    for frame in {t.codeframe_id for t in Theme.objects.all()}:
        page = client.get(f"/staff/analysis/codeframes/{frame}/").text
        assert "Brixton" not in page


def test_a_withdrawn_letter_leaves_no_example_quote(client, coded):
    _, letter = coded
    data = {"reference": letter.reference, "email": "writer@example.org", "confirm": "yes"}
    assert "Response withdrawn" in client.post("/consultations/withdraw/", data).text
    assert "LetterWords" not in _quoted() and "Brixton" in _quoted()


def test_retention_erases_the_example_quotes_taken_from_respondents(coded, consultation):  # noqa: F811
    from policeplan.analysis.models import Redaction

    consultation.retain_until = timezone.now().date() - timezone.timedelta(days=1)
    consultation.save(update_fields=["retain_until"])
    call_command("consultations_retention")
    consultation.refresh_from_db()
    assert consultation.personal_details_erased_at is not None
    assert _quoted() == ""
    # What people said stays for analysis, still masked where it is quoted.
    assert Redaction.objects.filter(phrase="Margaret").exists()
