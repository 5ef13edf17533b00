"""A scrutiny body with a published past meeting (an open item with a paper, an exempt item
with its own paper, draft and approved minutes, actions), a draft meeting to come, and a
second body: built through the services, as staff would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from policeplan.scrutiny import services
from policeplan.scrutiny.models import (
    Action,
    AgendaItem,
    Committee,
    Meeting,
    Member,
    Milestone,
    OfficeResponse,
    Paper,
    Recommendation,
    Report,
)

# Words that must never reach the public: each is only in exempt or unpublished content.
SECRET = "Nightjar"
DRAFT_SECRET = "Kestrel"


@dataclass
class Built:
    committee: Committee
    other: Committee
    past: Meeting
    next: Meeting
    draft: Meeting
    item: AgendaItem
    exempt: AgendaItem
    paper: Paper
    exempt_paper: Paper
    withheld_paper: Paper
    draft_paper: Paper
    chair: Member
    action: Action
    proposed: Action


def build(officer, member_account=None) -> Built:
    now = timezone.now().replace(second=0, microsecond=0)
    committee = services.committee_save(
        user=officer,
        data={
            "name": "Police and Crime Committee",
            "slug": "police-and-crime-committee",
            "kind": "committee",
            "description": "The London Assembly committee that scrutinises MOPAC.",
            "contact_email": "pcc@example.org",
        },
    )
    other = services.committee_save(
        user=officer,
        data={"name": "Another Panel", "slug": "another-panel", "kind": "panel"},
    )
    chair = services.member_save(
        user=officer,
        committee=committee,
        data={
            "name": "Susan Hall",
            "role": "chair",
            "affiliation": "Conservative",
            "term_from": datetime.date(2024, 5, 1),
            "user": member_account,
        },
    )
    services.member_save(
        user=officer,
        committee=committee,
        data={"name": "Ann Lee", "role": "co_opted", "term_from": datetime.date(2024, 5, 1)},
    )
    services.officer_save(
        user=officer,
        committee=committee,
        data={"name": "Kaya Comer-Schwartz", "job_title": "Deputy Mayor for Policing and Crime"},
    )
    past = services.meeting_save(
        user=officer,
        committee=committee,
        data={
            "starts_at": now - datetime.timedelta(days=30),
            "ends_at": now - datetime.timedelta(days=30) + datetime.timedelta(hours=2),
            "venue": "The Chamber, City Hall, Kamal Chunchie Way, London E16 1ZE",
            "webcast_link": "https://example.org/webcast",
            "status": "held",
        },
    )
    item = services.agenda_item_save(
        user=officer,
        meeting=past,
        data={"number": 1, "title": "Question and answer session: the draft plan"},
    )
    exempt = services.agenda_item_save(
        user=officer,
        meeting=past,
        data={
            "number": 2,
            "title": f"Contract award to {SECRET} Ltd",
            "description": f"The {SECRET} bid.",
            "exempt": True,
            "exempt_reason": "Information about the financial affairs of a company",
        },
    )
    paper = services.paper_save(
        user=officer,
        item=item,
        data={"title": "Cover report", "body": "The committee **questions** the office."},
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf"),
    )
    exempt_paper = services.paper_save(
        user=officer,
        item=exempt,
        data={"title": f"{SECRET} tender", "body": f"{SECRET} pricing."},
        upload=SimpleUploadedFile("tender.pdf", b"%PDF-1.4 tender", "application/pdf"),
    )
    withheld_paper = services.paper_save(
        user=officer,
        item=item,
        data={
            "title": f"Appendix: {SECRET} names",
            "body": f"{SECRET} list.",
            "exempt": True,
            "exempt_reason": "Information about individuals",
        },
    )
    draft_paper = services.paper_save(
        user=officer,
        item=item,
        data={"title": f"{DRAFT_SECRET} draft", "body": f"{DRAFT_SECRET} text."},
    )
    for p in (paper, exempt_paper, withheld_paper):
        services.paper_publish(user=officer, paper=p)
    services.meeting_publish(user=officer, meeting=past)
    action = services.action_save(
        user=officer,
        meeting=past,
        data={
            "text": "Write to the committee about stop and search",
            "owner": "MOPAC",
            "due_on": timezone.localdate() - datetime.timedelta(days=2),
            "item": item,
        },
    )
    services.action_save(
        user=officer,
        meeting=past,
        data={"text": f"Chase {SECRET} on the contract", "owner": "MOPAC", "item": exempt},
    )
    services.minutes_save(
        user=officer,
        meeting=past,
        text="The committee questioned the Deputy Mayor.\n\n"
        "ACTION: Tamara Barnett to contact Andy Opie about what services MOPAC can offer",
        exempt_text=f"{SECRET} contract approved.",
    )
    proposed = past.actions.get(minutes_line__startswith="Tamara")
    next_meeting = services.meeting_save(
        user=officer,
        committee=committee,
        data={
            "starts_at": now + datetime.timedelta(days=10),
            "online_link": "https://example.org/join",
            "status": "confirmed",
        },
    )
    services.meeting_publish(user=officer, meeting=next_meeting)
    draft = services.meeting_save(
        user=officer,
        committee=committee,
        data={
            "title": f"{DRAFT_SECRET} session",
            "starts_at": now + datetime.timedelta(days=40),
            "venue": "City Hall",
            "status": "scheduled",
        },
    )
    return Built(
        committee=committee,
        other=other,
        past=past,
        next=next_meeting,
        draft=draft,
        item=item,
        exempt=exempt,
        paper=paper,
        exempt_paper=exempt_paper,
        withheld_paper=withheld_paper,
        draft_paper=draft_paper,
        chair=chair,
        action=action,
        proposed=proposed,
    )


@pytest.fixture
def built(users):
    return build(users["policy_officer"], users["committee_member"])


# Words only in a draft report and a draft response: never public.
DRAFT_REPORT_SECRET = "Merganser"
DRAFT_RESPONSE_SECRET = "Osprey"


@dataclass
class Recs:
    report: Report
    draft_report: Report
    linked: Recommendation  # to a measure and a priority, accepted, with milestones
    unanswered: Recommendation  # its response is a draft
    draft_rec: Recommendation
    response: OfficeResponse
    milestone: Milestone
    measure: Any  # the final plan's measure the first recommendation links to
    action: Action


def build_recommendations(officer, built: Built) -> Recs:
    """On the demo plan: the body's published report on the consultation draft with two
    recommendations (one linked to a measure and a priority, answered, with a milestone and
    an action; one whose response is still a draft) and a draft report."""
    from policeplan.plans.models import Measure, PlanVersion

    draft = PlanVersion.objects.get(state="consultation")
    final = PlanVersion.objects.get(state="final")
    measure = Measure.objects.get(
        outcome__priority__version=final, title="Residential burglary rate"
    )
    priority = measure.outcome.priority
    report = services.report_save(
        user=officer,
        committee=built.committee,
        data={
            "kind": "draft_plan",
            "title": "Our report on the draft plan",
            "body": "We reviewed the **draft**.",
            "plan_version": draft,
        },
    )
    linked = services.recommendation_save(
        user=officer,
        report=report,
        data={
            "number": 1,
            "text": "Publish burglary figures by borough every quarter.",
            "links": [("measure", str(measure.lineage)), ("priority", str(priority.lineage))],
        },
    )
    unanswered = services.recommendation_save(
        user=officer,
        report=report,
        data={"number": 2, "text": "Explain how victims are kept informed."},
    )
    services.report_publish(user=officer, report=report, on=timezone.localdate())
    response = services.response_save(
        user=officer,
        recommendation=linked,
        data={
            "decision": "accepted",
            "reasons": "Londoners asked for it too.",
            "will_do": "Publish them from April.",
            "target_on": timezone.localdate() + datetime.timedelta(days=90),
        },
    )
    milestone = services.milestone_save(
        user=officer,
        response=response,
        data={
            "title": "First quarterly release",
            "due_on": timezone.localdate() + datetime.timedelta(days=30),
        },
    )
    services.response_publish(user=officer, response=response)
    services.response_save(
        user=officer,
        recommendation=unanswered,
        data={"decision": "not_accepted", "reasons": f"{DRAFT_RESPONSE_SECRET} reasons."},
    )
    draft_report = services.report_save(
        user=officer,
        committee=built.committee,
        data={"kind": "investigation", "title": f"{DRAFT_REPORT_SECRET} investigation"},
    )
    draft_rec = services.recommendation_save(
        user=officer,
        report=draft_report,
        data={"number": 1, "text": f"{DRAFT_REPORT_SECRET} recommendation."},
    )
    action = services.action_save(
        user=officer,
        meeting=built.past,
        data={
            "text": "Send the committee the burglary release plan",
            "owner": "MOPAC",
            "recommendation": linked,
            "item": built.item,
        },
    )
    return Recs(
        report=report,
        draft_report=draft_report,
        linked=linked,
        unanswered=unanswered,
        draft_rec=draft_rec,
        response=response,
        milestone=milestone,
        measure=measure,
        action=action,
    )
