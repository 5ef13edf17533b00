"""The office's record for tests: a published decision with a Part 2 (its text and a
document withheld), linked to the plan and to an exempt agenda item, and a draft decision;
questions the body put (answered, overdue, at the exempt item, a draft). Built through the
services, as staff would. Needs `conftest.build`'s body and meetings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from policeplan.plans import selectors as plans
from policeplan.scrutiny import services
from policeplan.scrutiny.models import Decision, DecisionDocument, Question

# Words only in Part 2 or in a draft decision: they must never reach the public.
PART2_SECRET = "Ptarmigan"
DRAFT_DECISION = "Wryneck"


@dataclass
class Record:
    decision: Decision
    draft: Decision
    document: DecisionDocument
    part2_document: DecisionDocument


def pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"%PDF-1.4 {text}".encode(), "application/pdf")


def build_record(officer, built) -> Record:
    elements = plans.plan_elements_current()
    links = [e.lineage for e in elements if e.kind in ("priority", "outcome")][:2]
    decision = services.decision_save(
        user=officer,
        data={
            "reference": "pcd 1031",
            "title": "Contract for victims’ support services",
            "summary": "To award the contract for the **victims’ support** service.",
            "decision_maker": "Kaya Comer-Schwartz",
            "decision_maker_role": "Deputy Mayor for Policing and Crime",
            "decided_on": datetime.date(2024, 10, 3),
            "value": Decimal("1250000.00"),
            "exempt_summary": f"The {PART2_SECRET} bid scored highest on price.",
            "exempt_reason": "Commercially sensitive information",
            "meeting": built.past,
            "item": built.exempt,
        },
        plan_links=links,
    )
    document = services.decision_document_add(
        user=officer,
        decision=decision,
        data={"title": "Signed decision form"},
        upload=pdf("pcd-1031.pdf", "signed form"),
    )
    part2_document = services.decision_document_add(
        user=officer,
        decision=decision,
        data={"title": f"{PART2_SECRET} tender scores", "part2": True},
        upload=pdf("scores.pdf", f"{PART2_SECRET} scores"),
    )
    services.decision_publish(user=officer, decision=decision)
    draft = services.decision_save(
        user=officer,
        data={
            "reference": "DMPCD 2024-55",
            "title": f"{DRAFT_DECISION} estate disposal",
            "summary": f"To sell {DRAFT_DECISION} House.",
            "decision_maker": "Kaya Comer-Schwartz",
            "decision_maker_role": "Deputy Mayor for Policing and Crime",
            "decided_on": datetime.date(2024, 11, 1),
        },
        plan_links=[],
    )
    return Record(decision=decision, draft=draft, document=document, part2_document=part2_document)


# ---- Questions ---------------------------------------------------------------------------

DRAFT_QUESTION = "Bittern"


@dataclass
class Asked:
    answered: Question
    overdue: Question
    draft: Question
    at_exempt_item: Question


def build_questions(officer, built) -> Asked:
    """Questions the body put: one answered at its past meeting, one in writing long
    unanswered, one at the exempt item, and a draft."""
    elements = plans.plan_elements_current()
    links = [e.lineage for e in elements if e.kind == "priority"][:1]
    today = timezone.localdate()
    asked_at_meeting = timezone.localdate(built.past.starts_at)
    answered = services.question_save(
        user=officer,
        committee=built.committee,
        data={
            "item": built.item,
            "asked_by": "Susan Hall AM",
            "asked_on": asked_at_meeting,
            "text": "How will the plan measure trust in each community?",
            "answer": "By the **Public Attitude Survey**, borough by borough.",
            "answered_on": asked_at_meeting + datetime.timedelta(days=3),
            "answered_by": "Deputy Mayor for Policing and Crime",
        },
        plan_links=links,
    )
    overdue = services.question_save(
        user=officer,
        committee=built.committee,
        data={
            "asked_by": "Ann Lee",
            "asked_on": today - datetime.timedelta(days=60),
            "text": "How many front counters will stay open?",
        },
        plan_links=[],
    )
    at_exempt_item = services.question_save(
        user=officer,
        committee=built.committee,
        data={
            "item": built.exempt,
            "asked_by": "Susan Hall AM",
            "asked_on": asked_at_meeting,
            "text": "Was the contract tendered openly?",
        },
        plan_links=[],
    )
    draft = services.question_save(
        user=officer,
        committee=built.committee,
        data={
            "asked_by": "Susan Hall AM",
            "asked_on": today,
            "text": f"What of the {DRAFT_QUESTION} review?",
        },
        plan_links=[],
    )
    for question in (answered, overdue, at_exempt_item):
        services.question_publish(user=officer, question=question)
    return Asked(answered=answered, overdue=overdue, draft=draft, at_exempt_item=at_exempt_item)
