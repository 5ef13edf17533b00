"""A consultation on the demo plan's consultation draft, built through the services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from policeplan.consultations import services
from policeplan.plans.models import PlanVersion, VersionState

PRIVACY = "MOPAC holds your response to improve the plan. We delete names after a year."


def build(officer, *, slug="have-your-say", one_page=False, opens=None, closes=None):
    draft = PlanVersion.objects.get(state=VersionState.CONSULTATION)
    now = timezone.now()
    consultation = services.consultation_save(
        user=officer,
        data={
            "title": "Have your say on the draft plan",
            "slug": slug,
            "plan_version": draft,
            "summary": "Tell us what you think of the **draft** plan.",
            "opens_at": opens or now - datetime.timedelta(days=1),
            "closes_at": closes or now + datetime.timedelta(days=30),
            "privacy_notice": PRIVACY,
            "retain_until": (now + datetime.timedelta(days=365)).date(),
            "one_page": one_page,
            "contact_email": "consult@mopac.example",
        },
    )
    priority = draft.priorities.order_by("order").first()
    about = services.section_save(
        user=officer, consultation=consultation, data={"title": "About you"}
    )
    services.question_save(
        user=officer,
        section=about,
        data={
            "kind": "respondent_type",
            "text": "Are you responding as an individual?",
            "required": True,
        },
    )
    services.question_save(
        user=officer,
        section=about,
        data={"kind": "borough", "text": "Which borough do you live in?", "required": True},
    )
    services.question_save(
        user=officer,
        section=about,
        data={"kind": "postcode_district", "text": "What is the first part of your postcode?"},
    )
    plan = services.section_save(
        user=officer, consultation=consultation, data={"title": "The priorities"}
    )
    services.question_save(
        user=officer,
        section=plan,
        data={"kind": "priority_scale", "text": "How far do you agree with each priority?"},
    )
    services.question_save(
        user=officer,
        section=plan,
        data={"kind": "priority_ranking", "text": "Rank the priorities"},
    )
    services.question_save(
        user=officer,
        section=plan,
        data={
            "kind": "free_text",
            "text": "What should the plan do differently?",
            "max_length": 100,
            "priority": priority,
            "required": True,
        },
    )
    services.question_save(
        user=officer,
        section=plan,
        data={
            "kind": "multiple",
            "text": "Which of these matter most to you?",
            "options": ["Visible patrols", "Faster response", "Support for victims"],
        },
    )
    services.question_save(
        user=officer,
        section=plan,
        data={"kind": "agree_scale", "text": "The plan is clear."},
    )
    services.stage_save(
        user=officer,
        consultation=consultation,
        data={"title": "Consultation opens", "starts_on": now.date()},
    )
    return services.consultation_publish(user=officer, consultation=consultation)


@pytest.fixture
def consultation(demo, users):
    return build(users["policy_officer"])


@pytest.fixture
def one_page(demo, users):
    return build(users["policy_officer"], slug="quick-survey", one_page=True)
