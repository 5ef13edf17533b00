"""Published quotes (summary of responses, its PDF, "you said, we did") come only from texts
whose theme an analyst has confirmed (reviewed into it, or coded blind into it agreeing with
the machine), never from the machine's assignment alone."""

from __future__ import annotations

import io
import uuid

import pytest
from django.utils import timezone

from policeplan.analysis import services
from policeplan.analysis.models import CodedText, Codeframe, TextTheme, Theme, ThemeResponse
from policeplan.consultations import services as consult
from policeplan.consultations.models import Answer, Question
from policeplan.consultations.tests.conftest import consultation  # noqa: F401
from policeplan.core.roles import Role

pytestmark = pytest.mark.django_db

TEXTS = {
    "machine": "Women should be able to walk home at night without fear.",
    "reviewed": "Youth clubs keep young people away from gangs.",
    "blind": "Ask young people what they need before you decide.",
    "disagreed": "Street lights on the estate have been broken for months.",
}


@pytest.fixture
def published(consultation, users):  # noqa: F811
    """Four consenting answers all given 'Involving young people' by the machine: one left
    so, one reviewed into it, one coded blind into it, one coded blind into another theme."""
    free = Question.objects.get(section__consultation=consultation, kind="free_text")
    borough = Question.objects.get(section__consultation=consultation, kind="borough")
    kind = Question.objects.get(section__consultation=consultation, kind="respondent_type")
    frame = Codeframe.objects.create(
        consultation=consultation,
        question=free,
        version=1,
        finalised_at=timezone.now(),
        created_by=users[Role.ANALYST],
    )
    young = Theme.objects.create(codeframe=frame, label="Involving young people", order=0)
    safety = Theme.objects.create(codeframe=frame, label="Women's safety", order=1)
    coded = {}
    for key, text in TEXTS.items():
        response, _ = consult.response_submit_complete(
            consultation=consultation,
            token=uuid.uuid4(),
            answers={
                free: (text, text),
                borough: ("E09000022", "Lambeth"),
                kind: ({"type": "individual", "organisation": ""}, "As an individual"),
            },
            consent="anonymous",
        )
        answer = Answer.objects.get(response=response, question=free)
        coded[key] = CodedText.objects.create(
            codeframe=frame,
            answer=answer,
            response=response,
            confidence=0.9,
            machine=[{"theme": str(young.lineage), "confidence": 0.9}],
        )
        TextTheme.objects.create(coded=coded[key], theme=young, confidence=0.9)
    analyst = users[Role.ANALYST]
    services.coded_text_review(user=analyst, coded=coded["reviewed"], themes=[str(young.lineage)])
    CodedText.objects.filter(pk__in=[coded["blind"].pk, coded["disagreed"].pk]).update(
        in_sample=True
    )
    services.blind_code(
        user=analyst, coded=CodedText.objects.get(pk=coded["blind"].pk), themes=[str(young.lineage)]
    )
    services.blind_code(
        user=analyst,
        coded=CodedText.objects.get(pk=coded["disagreed"].pk),
        themes=[str(safety.lineage)],
    )
    ThemeResponse.objects.create(
        consultation=consultation,
        lineage=young.lineage,
        label=young.label,
        slug="involving-young-people",
        you_said="Involve us.",
        we_did="A youth panel.",
    )
    consultation.results_published_at = timezone.now()
    consultation.save(update_fields=["results_published_at"])
    return consultation


def test_a_machine_only_assignment_is_never_quoted_in_the_published_summary(client, published):
    from pypdf import PdfReader

    slug = published.slug
    pages = {
        "summary": client.get(f"/consultations/{slug}/results/").text,
        "you said": client.get(
            f"/consultations/{slug}/you-said-we-did/involving-young-people/"
        ).text,
    }
    pdf = client.get(f"/consultations/{slug}/results.pdf")
    reader = PdfReader(io.BytesIO(pdf.content))
    pages["pdf"] = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for name, text in pages.items():
        assert TEXTS["reviewed"] in text, name
        assert TEXTS["blind"] in text, name
        assert TEXTS["machine"] not in text, name
        assert TEXTS["disagreed"] not in text, name
