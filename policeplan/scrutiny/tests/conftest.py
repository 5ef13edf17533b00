"""A scrutiny body with a published past meeting (an open item with a paper, an exempt item
with its own paper, draft and approved minutes, actions), a draft meeting to come, and a
second body: built through the services, as staff would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from policeplan.scrutiny import services
from policeplan.scrutiny.models import Action, AgendaItem, Committee, Meeting, Member, Paper

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
