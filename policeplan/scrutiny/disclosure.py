"""What each viewer may see of a body's meetings: one policy, called by every page, feed,
calendar, email and export of the scrutiny app (and by the API when it comes).

- Unpublished meetings and papers, exempt items (with their papers and minutes) and exempt
  papers are restricted: seen by staff who run scrutiny (`Perm.RUN_SCRUTINY`) and by the
  members of that body whose staff account is linked to a seat they hold today (committee
  members see their own body's drafts, never another's, and not once their term has
  ended). Everyone else sees:
- nothing at all of an unpublished meeting or paper (it does not exist for them, so a page
  for one is "not found");
- of an exempt item, only its number and the reason it is exempt: never its title,
  description, papers, declarations or actions;
- of an exempt paper on an open item, only that a paper is withheld and why;
- a meeting's minutes only once approved, and never the minutes of its exempt items;
- a report, and its recommendations, only once published (the body's own members see their
  body's drafts, as they draft them);
- the office's response to a recommendation only once published: a draft response is the
  office's alone (those who run scrutiny), not the body's.

The office's own records (its decisions log) are the office's, not a body's: a draft
decision and the exempt part of a decision (Part 2, with its documents) are seen only by
those who run scrutiny, never by committee members; the public see that a Part 2 is withheld
and why (`office_shown`). Questions put to the office belong to the body that asked them and
follow `shown` like its meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q

from policeplan.core.roles import Perm, can


class Shown(StrEnum):
    FULL = "full"  # shown as it is
    WITHHELD = "withheld"  # its place and the reason shown, nothing of its content
    HIDDEN = "hidden"  # not shown at all


@dataclass(frozen=True)
class Viewer:
    """Who is looking, worked out once per request: every body's restricted content, or
    only that of the bodies in `bodies`."""

    everything: bool
    bodies: frozenset[int]

    def restricted_ok(self, committee_id: int) -> bool:
        return self.everything or committee_id in self.bodies


PUBLIC = Viewer(everything=False, bodies=frozenset())


def viewer_for(user: Any) -> Viewer:
    """The viewer for a request's user (one query for a committee member, none otherwise)."""
    if can(user, Perm.RUN_SCRUTINY):
        return Viewer(everything=True, bodies=frozenset())
    if not can(user, Perm.SCRUTINY_DRAFTS):
        return PUBLIC
    from django.utils import timezone

    from policeplan.scrutiny.models import Member

    today = timezone.localdate()
    seats = Member.objects.filter(user=user, term_from__lte=today).filter(
        Q(term_to__isnull=True) | Q(term_to__gte=today)
    )
    return Viewer(
        everything=False,
        bodies=frozenset(seats.values_list("committee_id", flat=True)),
    )


def shown(*, viewer: Viewer, committee_id: int, published: bool, exempt: bool) -> Shown:
    """How much of one meeting, item or paper this viewer sees: the one rule."""
    if viewer.restricted_ok(committee_id):
        return Shown.FULL
    if not published:
        return Shown.HIDDEN
    if exempt:
        return Shown.WITHHELD
    return Shown.FULL


def minutes_shown(*, viewer: Viewer, committee_id: int, approved: bool) -> Shown:
    """Draft minutes are the body's and the office's until a meeting approves them."""
    return shown(viewer=viewer, committee_id=committee_id, published=approved, exempt=False)


def office_shown(*, viewer: Viewer, published: bool, exempt: bool) -> Shown:
    """How much of one of the office's own records (a decision, or its Part 2) this viewer
    sees: everything for those who run scrutiny; for anyone else nothing of a draft, and of
    an exempt part only that it is withheld and why."""
    if viewer.everything:
        return Shown.FULL
    if not published:
        return Shown.HIDDEN
    if exempt:
        return Shown.WITHHELD
    return Shown.FULL


def office_records_visible(*, viewer: Viewer) -> Q:
    """Which of the office's records (decisions) a list, export or API may hold for this
    viewer, as `office_shown` decides for each: drafts only for those who run scrutiny."""
    if viewer.everything:
        return Q()
    return Q(published_at__isnull=False)


def report_shown(*, viewer: Viewer, committee_id: int, published: bool) -> Shown:
    """A report and its recommendations: the body's and the office's until published."""
    return shown(viewer=viewer, committee_id=committee_id, published=published, exempt=False)


def response_shown(*, viewer: Viewer, published: bool) -> Shown:
    """The office's response to a recommendation: its own until published."""
    return Shown.FULL if published or viewer.everything else Shown.HIDDEN


def body_records_visible(*, viewer: Viewer, committee_id: int) -> Q:
    """Which of a body's records (the questions it put) a list may hold for this viewer, as
    `shown` decides for each: drafts only for those who may see the body's drafts."""
    if viewer.restricted_ok(committee_id):
        return Q()
    return Q(published_at__isnull=False)
