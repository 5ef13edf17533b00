"""Reads of the estate: boroughs, buildings with their hours on a date, open now, pledges
checked on any date, and how many residents live within a distance of an open counter.

Every public page, download and API call reads the estate through these, with a fixed number
of queries however many buildings there are (schedules are prefetched, never fetched per
building).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from policeplan.estates import coverage as cov
from policeplan.estates import hours as hrs
from policeplan.estates.models import (
    Building,
    BuildingKind,
    Disposal,
    HoursSchedule,
    Pledge,
    PledgeRule,
    ResidentPoint,
    StrategyDocument,
)
from policeplan.performance.models import Area, AreaLevel

DEFAULT_DISTANCE_M = 3000
DISTANCES_M = (1000, 2000, 3000, 5000, 8000)


# ---- Boroughs ---------------------------------------------------------------------------


def borough_slug(area: Area) -> str:
    return slugify(area.name)


def boroughs() -> list[Area]:
    """The boroughs of the office's own force area (the first in the geography
    configuration: in London, the Met's 32, not the City of London), by name."""
    from policeplan.performance.geography import config

    forces = config()
    codes = forces[0].all_boroughs if forces else []
    return list(Area.objects.filter(level=AreaLevel.BOROUGH, code__in=codes).order_by("name"))


def borough_by_slug(slug: str) -> Area:
    for area in boroughs():
        if borough_slug(area) == slug:
            return area
    raise Http404("No such borough")


# ---- Buildings and their hours ----------------------------------------------------------


def buildings(*, borough: Area | None = None) -> QuerySet[Building]:
    """Buildings with their borough and every schedule (oldest first), in two queries."""
    found = Building.objects.select_related("borough").prefetch_related(
        Prefetch("schedules", queryset=HoursSchedule.objects.order_by("starts_on"))
    )
    if borough is not None:
        found = found.filter(borough=borough)
    return found.order_by("borough__name", "name")


def building_get(*, pk: int) -> Building:
    try:
        return buildings().get(pk=pk)
    except Building.DoesNotExist:
        raise Http404("No such building") from None


def schedule_on(building: Building, day: datetime.date) -> HoursSchedule | None:
    """The schedule in force on a day (from the prefetched schedules), or None before the
    first: hours not recorded."""
    found = None
    for schedule in building.schedules.all():
        if schedule.starts_on <= day:
            found = schedule
        else:
            break
    return found


def hours_on(building: Building, day: datetime.date) -> hrs.WeeklyHours | None:
    schedule = schedule_on(building, day)
    return hrs.parse(schedule.hours) if schedule is not None else None


def hours_function(building: Building) -> Callable[[datetime.date], hrs.WeeklyHours | None]:
    return lambda day: hours_on(building, day)


PUBLIC_KINDS = {BuildingKind.POLICE_STATION, BuildingKind.FRONT_COUNTER, BuildingKind.CONTACT_POINT}


def is_public(building: Building) -> bool:
    """A public access point: a police station, front counter or contact point with opening
    hours recorded at some time (an office's or a custody suite's hours are not the
    public's)."""
    return building.kind in PUBLIC_KINDS and bool(building.schedules.all())


def counter_open_on(building: Building, day: datetime.date) -> bool:
    """Open to the public at some time in the week of that day's schedule."""
    weekly = hours_on(building, day)
    return weekly is not None and bool(weekly.spans)


def round_the_clock_on(building: Building, day: datetime.date) -> bool:
    weekly = hours_on(building, day)
    return weekly is not None and weekly.is_24_7


def open_on_the_day(building: Building, day: datetime.date) -> bool:
    """Open at some time that day (a span starting that day, by its schedule then)."""
    weekly = hours_on(building, day)
    return weekly is not None and bool(weekly.day_spans(day.weekday()))


@dataclass
class AccessPoint:
    building: Building
    today: str  # today's hours in words
    open_now: bool
    round_the_clock: bool
    closed: bool  # no public hours now (closed for good, or hours ended)
    open_today: bool
    weekly: hrs.WeeklyHours | None
    next_change: HoursSchedule | None
    next_words: str = ""  # the next change's hours, for people
    opens_on: datetime.date | None = None  # no hours yet: a counter still to open
    reopens_on: datetime.date | None = None  # closed now or from its next change, reopening
    reopen_words: str = ""
    nearest_open: Building | None = None
    nearest_m: float | None = None


def access_points(
    *, borough: Area | None = None, now: datetime.datetime | None = None
) -> list[AccessPoint]:
    """Every public access point (of a borough, or the force), with today's hours, whether
    it is open now and today (Europe/London), and for one closed for good the nearest counter
    open at some time today."""
    now = now or timezone.now()
    local = now.astimezone(hrs.LONDON)
    today = local.date()
    every = [b for b in buildings() if is_public(b)]
    open_today = [b for b in every if b.located and open_on_the_day(b, today)]
    points = []
    for building in every:
        if borough is not None and building.borough_id != borough.pk:
            continue
        weekly = hours_on(building, today)
        upcoming = [s for s in building.schedules.all() if s.starts_on > today]
        opens_on = upcoming[0].starts_on if weekly is None and upcoming else None
        closed = opens_on is None and (weekly is None or not weekly.spans)
        point = AccessPoint(
            building=building,
            today=(
                weekly.describe_day(today.weekday())
                if weekly is not None
                else ("Not open yet" if opens_on else "Not known")
            ),
            open_now=hrs.open_at(hours_function(building), now),
            round_the_clock=weekly is not None and weekly.is_24_7,
            closed=closed,
            open_today=open_on_the_day(building, today),
            weekly=weekly,
            next_change=upcoming[0] if upcoming else None,
            next_words=hrs.parse(upcoming[0].hours).describe() if upcoming else "",
            opens_on=opens_on,
        )
        # A closure (now, or the next change) with later hours recorded: it reopens.
        shut = closed or (upcoming and not hrs.parse(upcoming[0].hours).spans)
        after = upcoming if closed else upcoming[1:]
        reopening = next((s for s in after if hrs.parse(s.hours).spans), None)
        if shut and reopening is not None and opens_on is None:
            point.reopens_on = reopening.starts_on
            point.reopen_words = hrs.parse(reopening.hours).describe()
        if closed and building.located:
            best = min(
                (
                    (
                        cov.distance_m(
                            building.latitude,  # type: ignore[arg-type]
                            building.longitude,  # type: ignore[arg-type]
                            o.latitude,  # type: ignore[arg-type]
                            o.longitude,  # type: ignore[arg-type]
                        ),
                        o,
                    )
                    for o in open_today
                    if o.pk != building.pk
                ),
                default=None,
                key=lambda pair: pair[0],
            )
            if best is not None:
                point.nearest_m, point.nearest_open = best
        points.append(point)
    points.sort(key=lambda p: (p.closed, not p.round_the_clock, p.building.name))
    return points


# ---- Pledges ----------------------------------------------------------------------------


def pledges() -> list[Pledge]:
    return list(Pledge.objects.filter(archived_at__isnull=True))


def hours_recorded_on(every: Iterable[Building], day: datetime.date) -> bool:
    """Whether any building's opening hours are recorded for that day."""
    return any(schedule_on(b, day) is not None for b in every)


@dataclass
class PledgeCheck:
    """The pledge on a day. A borough fails when fewer of its counters than pledged count;
    when none of its counters has hours recorded for the day, it is not known (never
    'broken' for want of a record). A counter whose first recorded hours start later, in a
    borough whose other counters' hours are recorded, was not open yet."""

    pledge: Pledge
    day: datetime.date
    counts: dict[int, int]  # borough id -> counters that count towards the pledge
    failing: list[Area]
    unknown: list[Area] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        if self.failing:
            return False
        return None if self.unknown else True

    @property
    def known(self) -> bool:
        return self.met is not None


def _counts_towards(rule: str, weekly: hrs.WeeklyHours | None) -> bool:
    if weekly is None:
        return False
    return weekly.is_24_7 if rule == PledgeRule.ROUND_THE_CLOCK else bool(weekly.spans)


def _judge(
    pledge: Pledge,
    areas: list[Area],
    counts: dict[int, int],
    recorded: dict[int, int],
) -> tuple[list[Area], list[Area]]:
    failing: list[Area] = []
    unknown: list[Area] = []
    for area in areas:
        if counts.get(area.pk, 0) >= pledge.at_least:
            continue
        (failing if recorded.get(area.pk, 0) else unknown).append(area)
    return failing, unknown


def pledge_check(
    pledge: Pledge,
    day: datetime.date,
    *,
    areas: list[Area] | None = None,
    every: list[Building] | None = None,
) -> PledgeCheck:
    """Whether the pledge holds on a day, in which boroughs it does not, and in which it is
    not known."""
    areas = boroughs() if areas is None else areas
    every = list(buildings()) if every is None else every
    counts: dict[int, int] = {}
    recorded: dict[int, int] = {}
    for building in every:
        if not is_public(building):
            continue
        weekly = hours_on(building, day)
        if weekly is None:
            continue
        recorded[building.borough_id] = recorded.get(building.borough_id, 0) + 1
        if _counts_towards(pledge.rule, weekly):
            counts[building.borough_id] = counts.get(building.borough_id, 0) + 1
    failing, unknown = _judge(pledge, areas, counts, recorded)
    return PledgeCheck(pledge=pledge, day=day, counts=counts, failing=failing, unknown=unknown)


@dataclass
class PledgeSpell:
    """A run of days over which the pledge's result did not change."""

    starts_on: datetime.date
    ends_on: datetime.date | None  # None: still so
    failing: list[Area] = field(default_factory=list)
    unknown: list[Area] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        if self.failing:
            return False
        return None if self.unknown else True

    @property
    def known(self) -> bool:
        return self.met is not None


def pledge_history(
    pledge: Pledge,
    *,
    until: datetime.date | None = None,
    areas: list[Area] | None = None,
    every: list[Building] | None = None,
) -> list[PledgeSpell]:
    """The pledge's record from the day it was made: its result can change only on a day a
    schedule starts, so it is judged on those days and merged into spells (newest last).
    Schedules already recorded for later dates show what a planned closure will do.

    Each day only the buildings whose hours change that day are looked at again (the
    boroughs' counts are carried from day to day), so a long record of many buildings costs
    one step per schedule, not one per building per day."""
    areas = boroughs() if areas is None else areas
    every = [b for b in (list(buildings()) if every is None else every) if is_public(b)]
    state: dict[int, tuple[bool, bool]] = {}  # building id -> (recorded, counts)
    counts: dict[int, int] = {}
    recorded: dict[int, int] = {}
    changes: dict[datetime.date, list[tuple[Building, HoursSchedule]]] = {}
    for building in every:
        for schedule in building.schedules.all():
            if schedule.starts_on > pledge.made_on:
                changes.setdefault(schedule.starts_on, []).append((building, schedule))

    def settle(building: Building, weekly: hrs.WeeklyHours | None) -> None:
        area = building.borough_id
        was = state.get(building.pk, (False, False))
        now = (weekly is not None, _counts_towards(pledge.rule, weekly))
        state[building.pk] = now
        for tally, before, after in ((recorded, was[0], now[0]), (counts, was[1], now[1])):
            tally[area] = tally.get(area, 0) + int(after) - int(before)

    for building in every:
        settle(building, hours_on(building, pledge.made_on))
    days = sorted(d for d in changes if until is None or d <= until)
    spells: list[PledgeSpell] = []
    for day in [pledge.made_on, *days]:
        for building, schedule in changes.get(day, []) if day != pledge.made_on else []:
            settle(building, hrs.parse(schedule.hours))
        failing, unknown = _judge(pledge, areas, counts, recorded)
        key = ([a.pk for a in failing], [a.pk for a in unknown])
        if (
            spells
            and ([a.pk for a in spells[-1].failing], [a.pk for a in spells[-1].unknown]) == key
        ):
            continue
        if spells:
            spells[-1].ends_on = day - datetime.timedelta(days=1)
        spells.append(PledgeSpell(starts_on=day, ends_on=None, failing=failing, unknown=unknown))
    return spells


def spell_on(spells: list[PledgeSpell], day: datetime.date) -> PledgeSpell | None:
    """The run of days around `day` over which the pledge was kept (or broken, or not
    known) without a break: consecutive spells with the same result joined, whichever
    boroughs failed in each."""
    for index, spell in enumerate(spells):
        if spell.starts_on <= day and (spell.ends_on is None or day <= spell.ends_on):
            first = index
            while first > 0 and spells[first - 1].met == spell.met:
                first -= 1
            last = index
            while last + 1 < len(spells) and spells[last + 1].met == spell.met:
                last += 1
            return PledgeSpell(
                starts_on=spells[first].starts_on,
                ends_on=spells[last].ends_on,
                failing=spell.failing,
                unknown=spell.unknown,
            )
    return None


# ---- Distance coverage ------------------------------------------------------------------


@dataclass
class AccessCoverage:
    area: Area | None  # None: the whole force
    day: datetime.date
    within_m: int
    result: cov.Coverage | None  # None: not known (see `reason`)
    methods: list[str]
    population_years: list[int]
    reason: str = ""


def resident_points(*, borough: Area | None = None) -> list[ResidentPoint]:
    points = ResidentPoint.objects.all()
    if borough is not None:
        points = points.filter(borough=borough)
    return list(points)


def access_coverage(
    *,
    day: datetime.date,
    within_m: int = DEFAULT_DISTANCE_M,
    borough: Area | None = None,
    every: list[Building] | None = None,
    points: list[ResidentPoint] | None = None,
) -> AccessCoverage:
    """The share of residents (of a borough, or everyone with a point) living within
    `within_m` metres in a straight line of a front counter open on `day` (in any borough:
    people cross borough lines to reach one)."""
    every = list(buildings()) if every is None else every
    points = resident_points(borough=borough) if points is None else points
    if borough is not None:
        points = [p for p in points if p.borough_id == borough.pk]
    public = [b for b in every if b.located and is_public(b)]
    counters = [(b.latitude, b.longitude) for b in public if counter_open_on(b, day)]
    # Counters in a borough with no counter's hours recorded for the day might have been
    # open: if counting them would change the answer, it is not known.
    recorded = {b.borough_id for b in public if schedule_on(b, day) is not None}
    maybe = [(b.latitude, b.longitude) for b in public if b.borough_id not in recorded]
    residents = [cov.ResidentPoint(p.code, p.latitude, p.longitude, p.population) for p in points]
    reason, result = "", None
    if not points:
        reason = "where residents live is not recorded"
    elif not hours_recorded_on(public, day):
        reason = "no opening hours are recorded for that date"
    else:
        result = cov.coverage(residents, counters, within_m)  # type: ignore[arg-type]
        if maybe:
            at_most = cov.coverage(residents, counters + maybe, within_m)  # type: ignore[arg-type]
            if at_most.covered != result.covered:
                reason = "opening hours are not recorded for every counter near residents then"
                result = None
    return AccessCoverage(
        area=borough,
        day=day,
        within_m=within_m,
        result=result,
        methods=sorted({p.get_method_display() for p in points}),
        population_years=sorted({p.population_year for p in points}),
        reason=reason,
    )


def coverage_by_borough(
    *, day: datetime.date, within_m: int = DEFAULT_DISTANCE_M
) -> list[AccessCoverage]:
    every = list(buildings())
    points = resident_points()
    return [
        access_coverage(day=day, within_m=within_m, borough=area, every=every, points=points)
        for area in boroughs()
    ]


# ---- Disposals and strategy -------------------------------------------------------------


def disposals() -> QuerySet[Disposal]:
    return Disposal.objects.filter(archived_at__isnull=True).select_related("building__borough")


@dataclass
class DisposalTotal:
    """Sums of the published figures; a sum is None when no disposal in it has that figure
    published (all withheld or not known): never a £0 that was not."""

    key: str
    count: int = 0
    estimated: Decimal | None = None
    actual: Decimal | None = None
    saving: Decimal | None = None
    withheld: int = 0


def disposal_totals(rows: Iterable[Disposal], *, by: str) -> list[DisposalTotal]:
    """Totals by financial year of the decision ('year') or by borough ('borough'), of the
    figures that are published: exempt rows are counted but their figures left out."""
    totals: dict[str, DisposalTotal] = {}
    for row in rows:
        if by == "year":
            key = financial_year(row.decided_on) if row.decided_on else "No decision date"
        else:
            key = row.building.borough.name
        total = totals.setdefault(key, DisposalTotal(key=key))
        total.count += 1
        if row.exempt:
            total.withheld += 1
            continue
        for name, value in (
            ("estimated", row.estimated_receipt),
            ("actual", row.actual_receipt),
            ("saving", row.running_cost_saving),
        ):
            if value is not None:
                setattr(total, name, (getattr(total, name) or Decimal(0)) + value)
    return [totals[k] for k in sorted(totals)]


def financial_year(day: datetime.date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{str(start + 1)[2:]}"


def strategy_documents() -> QuerySet[StrategyDocument]:
    return StrategyDocument.objects.filter(archived_at__isnull=True)


def partnerships() -> dict[int, Any]:
    """Borough id -> its community safety partnership."""
    from policeplan.estates.models import Partnership

    return {p.borough_id: p for p in Partnership.objects.select_related("borough")}


def representations(*, partnership: Any) -> list[Any]:
    """The partnership's written representations: letters, emails and forum submissions
    that staff recorded as sent on behalf of an organisation of its name, to a published
    consultation. Online answers are left out: anyone can type a partnership's name into the
    questionnaire, and only staff can vouch that a submission came from it."""
    from policeplan.consultations.models import WRITTEN_CHANNELS, Response, ResponseStatus

    return list(
        Response.objects.filter(
            respondent_type="organisation",
            organisation__iexact=partnership.name,
            status=ResponseStatus.SUBMITTED,
            channel__in=WRITTEN_CHANNELS,
            consultation__published_at__isnull=False,
            consultation__archived_at__isnull=True,
        )
        .select_related("consultation")
        .order_by("-submitted_at")
    )
