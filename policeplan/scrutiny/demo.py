"""The demo's scrutiny body: the Police and Crime Committee reviewing the demo's draft plan,
with its members (the demo committee member's account sits on it), two past meetings with
papers, minutes and actions (one overdue), the office's decisions log (one decision with an
exempt Part 2, taken on an item of a demo meeting), and its review of the consultation draft:
its report with ten recommendations, MOPAC's responses (accepted, partly accepted, not
accepted) with milestones (one date moved, with its reason), actions and plan changes that
carry them out, and the questions the committee put (some answered, two long overdue).
Loaded through the services from demo.toml.

Demo only: the services stamp each publication with the moment they run, as they must. The
demo's story happened in 2021-23, so after each service the loader backdates, with
queryset.update(), the timestamps the public see (papers published a week before their
meeting, decisions on the day they were taken, a moved date when it was moved) to when they
happened in the story. Nothing outside the demo backdates."""

from __future__ import annotations

import datetime
import tomllib
import zoneinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan.core.models import User
from policeplan.plans import selectors as plans
from policeplan.plans.demo.pdf import text_pdf
from policeplan.scrutiny import services
from policeplan.scrutiny.models import (
    Action,
    Committee,
    DateChange,
    Decision,
    Meeting,
    OfficeResponse,
    Paper,
    Question,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
DATA = tomllib.loads(Path(__file__).with_name("demo.toml").read_text(encoding="utf-8"))
# Agenda and papers go out a week before the meeting; the meeting was set up three weeks
# before that.
PAPERS_BEFORE = datetime.timedelta(days=7)
SET_UP_BEFORE = datetime.timedelta(days=28)


def _london(value: datetime.datetime) -> datetime.datetime:
    return value.replace(tzinfo=LONDON)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """That London day of the demo's story, at that hour."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def _members(officer: User, committee: Committee) -> None:
    for raw in DATA["members"]:
        account = User.objects.filter(email=raw["account"]).first() if "account" in raw else None
        data = {k: v for k, v in raw.items() if k != "account"}
        services.member_save(user=officer, committee=committee, data={**data, "user": account})
    for raw in DATA["officers"]:
        services.officer_save(user=officer, committee=committee, data=raw)


def _paper(officer: User, item: Any, raw: dict[str, Any]) -> None:
    upload = None
    if "file" in raw:
        content = text_pdf([raw["title"], "", *raw["body"].strip().splitlines()[:30]])
        upload = SimpleUploadedFile(raw["file"], content, "application/pdf")
    paper = services.paper_save(
        user=officer,
        item=item,
        data={"title": raw["title"], "body": raw["body"].strip()},
        upload=upload,
    )
    services.paper_publish(user=officer, paper=paper)


def _meeting(officer: User, committee: Committee, raw: dict[str, Any]) -> Meeting:
    meeting = services.meeting_save(
        user=officer,
        committee=committee,
        data={
            "starts_at": _london(raw["starts_at"]),
            "ends_at": _london(raw["ends_at"]),
            "venue": raw["venue"],
            "webcast_link": raw["webcast_link"],
            "status": "held",
        },
    )
    for number, item_raw in enumerate(raw["items"], start=1):
        exempt = "exempt_reason" in item_raw
        item = services.agenda_item_save(
            user=officer,
            meeting=meeting,
            data={
                "number": number,
                "title": item_raw["title"],
                "description": item_raw.get("description", ""),
                "exempt": exempt,
                "exempt_reason": item_raw.get("exempt_reason", ""),
            },
        )
        for paper in item_raw.get("papers", []):
            _paper(officer, item, paper)
    services.meeting_publish(user=officer, meeting=meeting)
    services.minutes_save(
        user=officer,
        meeting=meeting,
        text=raw["minutes"].strip(),
        exempt_text=raw.get("exempt_minutes", ""),
    )
    # Demo-only backdating: the agenda and papers were published a week before the meeting,
    # and the meeting last changed when it was held (its open data and calendar show both).
    published = meeting.starts_at - PAPERS_BEFORE
    Paper.objects.filter(item__meeting=meeting).update(published_at=published)
    Meeting.objects.filter(pk=meeting.pk).update(
        published_at=published,
        created_at=meeting.starts_at - SET_UP_BEFORE,
        modified_at=meeting.ends_at,
    )
    meeting.refresh_from_db()
    return meeting


def _actions(officer: User, meeting: Meeting, raw: dict[str, Any]) -> None:
    for action_raw in raw.get("actions", []):
        action = meeting.actions.get(minutes_line__startswith=action_raw["line"])
        services.action_confirm(
            user=officer,
            action=action,
            data={"text": action.text, "owner": action.owner, "due_on": action_raw["due_on"]},
        )
        for update in action_raw["updates"]:
            services.action_update_add(
                user=officer,
                action=action,
                on=update["on"],
                text=update["text"],
                status=update["status"],
                dropped_reason=update.get("dropped_reason", ""),
            )


def _lineages(titles: list[str]) -> list[str]:
    """The current plan's priorities with these titles (one the plan lacks is an error)."""
    by_title = {e.title: e.lineage for e in plans.plan_elements_current() if e.kind == "priority"}
    return [by_title[title] for title in titles]


def _decisions(officer: User, meetings: list[Meeting]) -> None:
    for raw in DATA["decisions"]:
        meeting = meetings[raw["meeting"] - 1] if "meeting" in raw else None
        item = meeting.items.get(number=raw["item"]) if meeting and "item" in raw else None
        decision = services.decision_save(
            user=officer,
            data={
                "reference": raw["reference"],
                "title": raw["title"],
                "summary": raw["summary"].strip(),
                "decision_maker": raw["decision_maker"],
                "decision_maker_role": raw["decision_maker_role"],
                "decided_on": raw["decided_on"],
                "value": Decimal(raw["value"]) if "value" in raw else None,
                "exempt_summary": raw.get("exempt_summary", ""),
                "exempt_reason": raw.get("exempt_reason", ""),
                "meeting": meeting,
                "item": item,
            },
            plan_links=_lineages(raw.get("priorities", [])),
        )
        for doc in raw.get("documents", []):
            lines = [doc["title"], "", raw["reference"], raw["title"], ""]
            body = raw["summary"].strip().splitlines()[:20]
            content = text_pdf(
                lines + (["Exempt: not for publication."] if doc.get("part2") else body)
            )
            services.decision_document_add(
                user=officer,
                decision=decision,
                data={"title": doc["title"], "part2": doc.get("part2", False)},
                upload=SimpleUploadedFile(doc["file"], content, "application/pdf"),
            )
        services.decision_publish(user=officer, decision=decision)
        # Demo-only backdating: published on the day it was taken.
        Decision.objects.filter(pk=decision.pk).update(published_at=_at(raw["decided_on"], 9))


def _element(kind: str, title: str) -> tuple[str, str]:
    """A demo plan element by its title, as (element, lineage), from any published version."""
    from policeplan.plans.models import Commitment, Measure, Outcome, Priority

    model: Any = {
        "priority": Priority,
        "outcome": Outcome,
        "measure": Measure,
        "commitment": Commitment,
    }[kind]
    field = "text" if kind == "commitment" else "title"
    item = model.objects.filter(**{field: title}).exclude(**_draft_filter(kind)).first()
    return kind, str(item.lineage)


def _draft_filter(kind: str) -> dict[str, str]:
    version = {"outcome": "priority__version", "measure": "outcome__priority__version"}
    return {f"{version.get(kind, 'version')}__state": "draft"}


def _response(
    officer: User, recommendation: Any, raw: dict[str, Any], published_at: datetime.datetime
) -> None:
    response = services.response_save(
        user=officer,
        recommendation=recommendation,
        data={
            "decision": raw["decision"],
            "reasons": raw["reasons"],
            "will_do": raw.get("will_do", ""),
            "target_on": raw.get("target_on"),
        },
    )
    milestones = [
        (
            services.milestone_save(
                user=officer,
                response=response,
                data={"title": m["title"], "due_on": m["due_on"]},
            ),
            m,
        )
        for m in raw.get("milestones", [])
    ]
    services.response_publish(user=officer, response=response)
    # Demo-only backdating: published with the final plan, before the response was due.
    OfficeResponse.objects.filter(pk=response.pk).update(published_at=published_at)
    for milestone, m in milestones:
        if "moved_to" in m:  # published, so the move needs its reason
            services.milestone_save(
                user=officer,
                response=response,
                milestone=milestone,
                data={"title": m["title"], "due_on": m["moved_to"]},
                change_reason=m["reason"],
            )
            # Demo-only backdating: the date was moved before it was missed, not today.
            DateChange.objects.filter(milestone=milestone).update(changed_at=_at(m["moved_on"], 10))
        for update in m.get("updates", []):
            services.milestone_update_add(
                user=officer,
                milestone=milestone,
                on=update["on"],
                text=update["text"],
                done=update.get("done", False),
            )


def _review(officer: User, committee: Committee) -> None:
    """The review of the consultation draft, the report, MOPAC's responses, and the actions
    and plan changes that carry the recommendations out."""
    from policeplan.plans.models import PlanVersion

    draft = PlanVersion.objects.filter(state="consultation").order_by("number").first()
    if draft is None:
        return
    review = services.plan_review_open(
        committee=committee, version=draft, user=officer, opens_on=DATA["review"]["opens_on"]
    )
    # Open until the committee had reported, as it agreed with MOPAC (not the default period).
    services.plan_review_dates(
        user=officer,
        review=review,
        opens_on=DATA["review"]["opens_on"],
        closes_on=DATA["review"]["closes_on"],
    )
    raw = DATA["report"]
    report = services.report_save(
        user=officer,
        committee=committee,
        data={
            "kind": raw["kind"],
            "title": raw["title"],
            "body": raw["body"].strip(),
            "plan_version": draft,
            "response_due_on": raw["response_due_on"],
        },
    )
    recommendations = [
        services.recommendation_save(
            user=officer,
            report=report,
            data={
                "number": number,
                "text": rec["text"],
                "links": [_element(kind, title) for kind, title in rec.get("links", [])],
            },
        )
        for number, rec in enumerate(DATA["recommendations"], start=1)
    ]
    services.report_publish(user=officer, report=report, on=raw["published_on"])
    for recommendation, rec in zip(recommendations, DATA["recommendations"], strict=True):
        _response(officer, recommendation, rec["response"], _london(raw["responses_published_at"]))
        if "action" in rec:
            action = Action.objects.get(
                meeting__committee=committee, minutes_line__startswith=rec["action"]
            )
            services.action_save(
                user=officer,
                meeting=action.meeting,
                action=action,
                data={"recommendation": recommendation},
            )
    _plan_changes(recommendations)


def _plan_changes(recommendations: list[Any]) -> None:
    """The final plan's changes (recorded by the analysts for 'you said, we did') cite the
    recommendations that led to them too."""
    from policeplan.analysis import selectors as analysis
    from policeplan.analysis import services as analysis_services
    from policeplan.consultations.models import Consultation

    cited: dict[str, list[Any]] = {}
    for recommendation, rec in zip(recommendations, DATA["recommendations"], strict=True):
        if "plan_change" in rec:
            cited.setdefault(rec["plan_change"], []).append(recommendation)
    analyst = User.objects.filter(
        role="analyst", email__endswith="@demo.policeplan.example"
    ).first()
    draft = recommendations[0].report.plan_version if recommendations else None
    for consultation in Consultation.objects.filter(plan_version=draft):
        for change in analysis.plan_changes(consultation=consultation):
            if change.item in cited:
                analysis_services.plan_change_save(
                    user=analyst,
                    consultation=consultation,
                    change=change,
                    data={
                        "item": change.item,
                        "summary": change.summary,
                        "themes": list(change.themes.all()),
                        "recommendations": cited[change.item],
                        "measure_lineage": change.measure_lineage,
                    },
                )


def _questions(officer: User, committee: Committee, meetings: list[Meeting]) -> None:
    for raw in DATA["questions"]:
        meeting = meetings[raw["meeting"] - 1] if "meeting" in raw else None
        item = meeting.items.get(number=raw["item"]) if meeting and "item" in raw else None
        question = services.question_save(
            user=officer,
            committee=committee,
            data={
                "meeting": meeting,
                "item": item,
                "asked_by": raw["asked_by"],
                "asked_on": raw["asked_on"],
                "text": raw["text"],
                "answer": raw.get("answer", ""),
                "answered_on": raw.get("answered_on"),
                "answered_by": raw.get("answered_by", ""),
            },
            plan_links=_lineages(raw.get("priorities", [])),
        )
        services.question_publish(user=officer, question=question)
        # Demo-only backdating: published the day it was put.
        Question.objects.filter(pk=question.pk).update(published_at=_at(raw["asked_on"], 17))


def load() -> Committee:
    """Create the demo committee. Needs the demo staff (plans.demo.loader.load_demo)."""
    officer = User.objects.get(role="policy_officer", email__endswith="@demo.policeplan.example")
    committee = services.committee_save(user=officer, data=DATA["committee"])
    _members(officer, committee)
    meetings: list[Meeting] = []
    for raw in DATA["meetings"]:
        meeting = _meeting(officer, committee, raw)
        _actions(officer, meeting, raw)
        if raw.get("approves_previous"):
            services.minutes_approve(user=officer, minutes=meetings[-1].minutes, at_meeting=meeting)
        meetings.append(meeting)
    _decisions(officer, meetings)
    _review(officer, committee)
    _questions(officer, committee, meetings)
    return committee
