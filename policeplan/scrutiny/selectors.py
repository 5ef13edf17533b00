"""Reads for scrutiny. Everything a viewer is shown passes `scrutiny.disclosure.shown`, and
list pages get what they show in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from policeplan.scrutiny.disclosure import PUBLIC, Shown, Viewer, minutes_shown, shown
from policeplan.scrutiny.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Committee,
    Declaration,
    Meeting,
    Member,
    Minutes,
    MinutesStatus,
    Paper,
    Subscription,
)


@dataclass
class PaperView:
    paper: Paper
    shown: Shown


@dataclass
class ItemView:
    item: AgendaItem
    shown: Shown
    papers: list[PaperView] = field(default_factory=list)


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list[ItemView]
    declarations: list[Declaration]
    attendance: list[Attendance]
    minutes: Minutes | None
    actions: list[Action]


def committees_public() -> list[Committee]:
    return list(Committee.objects.order_by("name"))


def committee_by_slug(*, slug: str) -> Committee:
    committee = Committee.objects.filter(slug=slug).first()
    if committee is None:
        raise Http404("No such committee")
    return committee


def meeting_shown(*, meeting: Meeting, viewer: Viewer) -> Shown:
    return shown(
        viewer=viewer,
        committee_id=meeting.committee_id,
        published=meeting.is_published,
        exempt=False,
    )


def item_shown(*, item: AgendaItem, meeting: Meeting, viewer: Viewer) -> Shown:
    if meeting_shown(meeting=meeting, viewer=viewer) == Shown.HIDDEN:
        return Shown.HIDDEN
    return shown(
        viewer=viewer,
        committee_id=meeting.committee_id,
        published=meeting.is_published,
        exempt=item.exempt,
    )


def paper_shown(*, paper: Paper, item: AgendaItem, meeting: Meeting, viewer: Viewer) -> Shown:
    """A paper under an item the viewer may not see is not there at all for them."""
    if item_shown(item=item, meeting=meeting, viewer=viewer) != Shown.FULL:
        return Shown.HIDDEN
    return shown(
        viewer=viewer,
        committee_id=meeting.committee_id,
        published=paper.published_at is not None,
        exempt=paper.exempt,
    )


def meetings_for_viewer(*, committee: Committee, viewer: Viewer) -> list[Meeting]:
    meetings = committee.meetings.select_related("committee").order_by("starts_at", "id")
    return [m for m in meetings if meeting_shown(meeting=m, viewer=viewer) != Shown.HIDDEN]


def committee_page(
    *, committee: Committee, viewer: Viewer, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """The body's members serving today, its officers, and its meetings to come and past."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    members = [m for m in committee.members.all() if m.serving_on(today)]
    meetings = meetings_for_viewer(committee=committee, viewer=viewer)
    return {
        "members": sorted(members, key=lambda m: (ROLE_ORDER[m.role], m.name)),
        "officers": list(committee.officers.all()),
        "upcoming": [m for m in meetings if m.starts_at >= now],
        "past": [m for m in reversed(meetings) if m.starts_at < now],
    }


ROLE_ORDER = {"chair": 0, "deputy_chair": 1, "member": 2, "co_opted": 3}


def meeting_for_viewer(*, committee: Committee, meeting_id: int, viewer: Viewer) -> Meeting:
    meeting = (
        Meeting.objects.select_related("committee")
        .filter(committee=committee, pk=meeting_id)
        .first()
    )
    if meeting is None or meeting_shown(meeting=meeting, viewer=viewer) == Shown.HIDDEN:
        raise Http404("No such meeting")
    return meeting


def meeting_page(*, meeting: Meeting, viewer: Viewer) -> MeetingPage:
    """A meeting as this viewer may see it: agenda, papers, declarations, attendance,
    minutes and actions, each passed through the disclosure rule."""
    return _meeting_page(
        meeting=meeting,
        viewer=viewer,
        items=list(
            meeting.items.prefetch_related(Prefetch("papers", queryset=Paper.objects.all()))
        ),
        minutes=Minutes.objects.select_related("approved_by").filter(meeting=meeting).first(),
        declarations=list(meeting.declarations.select_related("member")),
        attendance=list(meeting.attendance.select_related("member", "officer")),
        actions=list(meeting.actions.select_related("item")),
    )


def _meeting_page(
    *,
    meeting: Meeting,
    viewer: Viewer,
    items: list[AgendaItem],
    minutes: Minutes | None,
    declarations: list[Declaration],
    attendance: list[Attendance],
    actions: list[Action],
) -> MeetingPage:
    """The one place a meeting's parts pass the disclosure rule (items' papers prefetched)."""
    views = []
    withheld_items = set()
    for item in items:
        item_view = ItemView(item=item, shown=item_shown(item=item, meeting=meeting, viewer=viewer))
        if item_view.shown != Shown.FULL:
            withheld_items.add(item.pk)
        for paper in item.papers.all():
            paper_view = paper_shown(paper=paper, item=item, meeting=meeting, viewer=viewer)
            if paper_view != Shown.HIDDEN:
                item_view.papers.append(PaperView(paper=paper, shown=paper_view))
        views.append(item_view)
    if minutes is not None and (
        minutes_shown(
            viewer=viewer,
            committee_id=meeting.committee_id,
            approved=minutes.status == MinutesStatus.APPROVED,
        )
        != Shown.FULL
    ):
        minutes = None
    restricted = viewer.restricted_ok(meeting.committee_id)
    return MeetingPage(
        meeting=meeting,
        items=views,
        declarations=[
            d for d in declarations if d.item_id is None or d.item_id not in withheld_items
        ],
        attendance=attendance,
        minutes=minutes,
        actions=[
            a
            for a in actions
            if (restricted or a.confirmed_at is not None)
            and (a.item_id is None or a.item_id not in withheld_items)
        ],
    )


def meeting_pages_public(
    *, committee: Committee | None = None, meeting_id: int | None = None
) -> list[MeetingPage]:
    """Published meetings as the public sees them (for open data: the OCD JSON and the API),
    oldest first, in a fixed number of queries however many there are."""
    meetings = (
        Meeting.objects.filter(published_at__isnull=False)
        .select_related("committee")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.prefetch_related(
                    Prefetch("papers", queryset=Paper.objects.all())
                ),
            ),
            Prefetch("minutes", queryset=Minutes.objects.select_related("approved_by")),
            Prefetch("declarations", queryset=Declaration.objects.select_related("member")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("member", "officer")),
            Prefetch("actions", queryset=Action.objects.select_related("item")),
        )
        .order_by("starts_at", "id")
    )
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    if meeting_id is not None:
        meetings = meetings.filter(pk=meeting_id)
    pages = []
    for meeting in meetings:
        if meeting_shown(meeting=meeting, viewer=PUBLIC) == Shown.HIDDEN:
            continue
        try:
            minutes: Minutes | None = meeting.minutes
        except Minutes.DoesNotExist:
            minutes = None
        pages.append(
            _meeting_page(
                meeting=meeting,
                viewer=PUBLIC,
                items=list(meeting.items.all()),
                minutes=minutes,
                declarations=list(meeting.declarations.all()),
                attendance=list(meeting.attendance.all()),
                actions=list(meeting.actions.all()),
            )
        )
    return pages


def paper_for_viewer(
    *, committee: Committee, meeting_id: int, paper_id: int, viewer: Viewer
) -> Paper:
    """A paper the viewer may read in full, or 404 (withheld papers have no page)."""
    meeting = meeting_for_viewer(committee=committee, meeting_id=meeting_id, viewer=viewer)
    paper = Paper.objects.select_related("item").filter(item__meeting=meeting, pk=paper_id).first()
    if paper is None or (
        paper_shown(paper=paper, item=paper.item, meeting=meeting, viewer=viewer) != Shown.FULL
    ):
        raise Http404("No such paper")
    paper.item.meeting = meeting
    return paper


def papers_feed(*, committee: Committee, limit: int = 50) -> list[Paper]:
    """The newest papers the public may read (the Atom feed and alerts): feeds are public
    whoever fetches them, so they never carry a draft or exempt paper."""
    papers = (
        Paper.objects.filter(item__meeting__committee=committee, published_at__isnull=False)
        .select_related("item__meeting__committee")
        .order_by("-published_at", "-id")
    )
    out = []
    for paper in papers:
        meeting = paper.item.meeting
        if paper_shown(paper=paper, item=paper.item, meeting=meeting, viewer=PUBLIC) == Shown.FULL:
            out.append(paper)
        if len(out) >= limit:
            break
    return out


def public_paper(*, paper_id: int) -> Paper | None:
    """The paper, if the public may read it (for alerts)."""
    paper = Paper.objects.select_related("item__meeting__committee").filter(pk=paper_id).first()
    if paper is None:
        return None
    item = paper.item
    shown_ = paper_shown(paper=paper, item=item, meeting=item.meeting, viewer=PUBLIC)
    return paper if shown_ == Shown.FULL else None


def public_meeting(*, meeting_id: int) -> Meeting | None:
    """The meeting, if the public may see it (for alerts)."""
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    if meeting is None or meeting_shown(meeting=meeting, viewer=PUBLIC) != Shown.FULL:
        return None
    return meeting


def meetings_calendar(*, committee: Committee) -> list[Meeting]:
    """The meetings in the public calendar (.ics)."""
    return meetings_for_viewer(committee=committee, viewer=PUBLIC)


def actions_for_viewer(*, committee: Committee | None, viewer: Viewer) -> list[Action]:
    """Confirmed actions from the body's meetings (every body's, for None) the viewer may
    see, with their updates; never an action from an exempt item the viewer may not see."""
    actions = (
        Action.objects.filter(confirmed_at__isnull=False)
        .select_related("meeting__committee", "item")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.order_by("on", "id")))
        .order_by("due_on", "id")
    )
    if committee is not None:
        actions = actions.filter(meeting__committee=committee)
    out = []
    for action in actions:
        meeting = action.meeting
        if meeting_shown(meeting=meeting, viewer=viewer) == Shown.HIDDEN:
            continue
        if action.item is not None and (
            item_shown(item=action.item, meeting=meeting, viewer=viewer) != Shown.FULL
        ):
            continue
        out.append(action)
    return out


def actions_public(*, committee: Committee | None = None) -> list[Action]:
    """The actions the public sees (the API and the public download), of one body or all."""
    return actions_for_viewer(committee=committee, viewer=PUBLIC)


def meetings_public(*, committee: Committee | None = None) -> list[Meeting]:
    """Every body's published meetings (or one body's), oldest first."""
    meetings = (
        Meeting.objects.filter(published_at__isnull=False)
        .select_related("committee")
        .order_by("starts_at", "id")
    )
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    return [m for m in meetings if meeting_shown(meeting=m, viewer=PUBLIC) != Shown.HIDDEN]


# ---- Staff -------------------------------------------------------------------------------


def committees_for_staff(*, viewer: Viewer) -> QuerySet[Committee]:
    committees = Committee.objects.order_by("name")
    if viewer.everything:
        return committees
    return committees.filter(pk__in=viewer.bodies)


def committee_for_staff(*, committee_id: int, viewer: Viewer) -> Committee:
    committee = Committee.objects.filter(pk=committee_id).first()
    if committee is None or not viewer.restricted_ok(committee.pk):
        raise Http404("No such committee")
    return committee


def meeting_for_staff(*, meeting_id: int, viewer: Viewer) -> Meeting:
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    if meeting is None or not viewer.restricted_ok(meeting.committee_id):
        raise Http404("No such meeting")
    return meeting


def committee_staff_page(*, committee: Committee) -> dict[str, Any]:
    return {
        "members": list(committee.members.select_related("user")),
        "officers": list(committee.officers.all()),
        "meetings": list(committee.meetings.order_by("-starts_at", "-id")),
        "to_confirm": list(
            Action.objects.filter(meeting__committee=committee, confirmed_at__isnull=True)
            .select_related("meeting")
            .order_by("meeting__starts_at", "id")
        ),
    }


def action_for_staff(*, action_id: int, viewer: Viewer) -> Action:
    action = (
        Action.objects.select_related("meeting__committee", "item").filter(pk=action_id).first()
    )
    if action is None or not viewer.restricted_ok(action.meeting.committee_id):
        raise Http404("No such action")
    return action


def later_meetings(*, meeting: Meeting) -> list[Meeting]:
    """Meetings that may approve this one's minutes: the body's later ones that are published
    and have already started (a meeting to come cannot have approved anything yet)."""
    return list(
        Meeting.objects.filter(
            committee_id=meeting.committee_id,
            starts_at__gt=meeting.starts_at,
            starts_at__lte=timezone.now(),
            published_at__isnull=False,
        )
        .select_related("committee")
        .order_by("starts_at")
    )


def members_serving(*, meeting: Meeting) -> list[Member]:
    day = timezone.localdate(meeting.starts_at)
    return [m for m in meeting.committee.members.all() if m.serving_on(day)]


def subscription_by_token(*, token: str, include_cancelled: bool = False) -> Subscription | None:
    subscriptions = Subscription.objects.select_related("committee").filter(token=token)
    if not include_cancelled:
        subscriptions = subscriptions.filter(unsubscribed_at__isnull=True)
    return subscriptions.first()
