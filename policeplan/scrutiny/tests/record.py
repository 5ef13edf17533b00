"""The office's record for tests: a published decision with a Part 2 (its text and a
document withheld), linked to the plan and to an exempt agenda item, and a draft decision;
built through the services, as staff would. Needs `conftest.build`'s body and meetings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan.plans import selectors as plans
from policeplan.scrutiny import services
from policeplan.scrutiny.models import Decision, DecisionDocument

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
