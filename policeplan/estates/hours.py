"""Opening hours of police front counters.

The text syntax follows schema.org ``openingHours``. Rules are separated by ``;`` or
newlines; each rule is a set of days then one or more time ranges::

    Mo-Fr 08:00-20:00; Sa 10:00-16:00
    Mo,We,Fr 09:00-17:00
    Sa-Mo 10:00-14:00             (a day range may wrap round the week)
    Mo-Fr 08:00-12:00,13:00-17:00
    Fr-Sa 22:00-02:00             (closes before it opens: runs past midnight)
    Mo-Su 00:00-24:00             (24:00 is allowed as a closing time only)
    24/7                          (every day 00:00-24:00)

Day names are Mo Tu We Th Fr Sa Su, in any case. Empty text, or the word ``closed``,
means closed all week. Anything else is refused with :class:`HoursError`.

All times are local wall-clock times in Europe/London: a counter open 08:00-20:00 opens
at 08:00 on the clock on the wall, whether that is GMT or BST (see :func:`open_at`).

Parsing gives a canonical :class:`WeeklyHours`: spans that overlap or touch are merged
(also across midnight, so ``Mo 20:00-24:00; Tu 00:00-02:00`` becomes ``Mo 20:00-02:00``),
and a stretch of 24 hours or more is cut at midnights.
"""

import functools
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

__all__ = ["LONDON", "HoursError", "Span", "WeeklyHours", "open_at", "parse"]

MAX_TEXT = 500  # characters, as stored (estates.models.HoursSchedule.hours)
DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"})
LONDON = zoneinfo.ZoneInfo("Europe/London")

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_INDEX = {name.lower(): i for i, name in enumerate(DAYS)}
_DAY = 24 * 60
_WEEK = 7 * _DAY
_RULE = re.compile(r"(?P<days>.*?)\s+(?P<times>\d.*)", re.DOTALL)
_RANGE = re.compile(r"(\d{1,2}:\d{2})-(\d{1,2}:\d{2})")


class HoursError(ValueError):
    """Opening hours text (or a span) that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Span:
    """Open from ``opens`` on ``weekday`` (0 = Monday) until ``closes``, in minutes.

    ``closes`` is 1..1440 (1440 is midnight at the end of the day). A span whose
    ``closes <= opens`` runs past midnight and closes on the next day.
    """

    weekday: int
    opens: int
    closes: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise HoursError(f"weekday {self.weekday} is not 0 (Monday) to 6 (Sunday)")
        if not 0 <= self.opens < _DAY:
            raise HoursError(f"opening minute {self.opens} is not 0 to 1439")
        if not 0 < self.closes <= _DAY:
            raise HoursError(f"closing minute {self.closes} is not 1 to 1440")
        if self.opens == self.closes:
            raise HoursError(
                "a span cannot open and close at the same time "
                f"({_clock(self.opens)}-{_clock(self.closes)})"
            )

    @property
    def overnight(self) -> bool:
        """True if the span closes after midnight, on the next day."""
        return self.closes <= self.opens

    @property
    def minutes(self) -> int:
        """How long the span is open, in minutes."""
        return self.closes - self.opens + (_DAY if self.overnight else 0)


@dataclass(frozen=True)
class WeeklyHours:
    """A week of opening hours: spans sorted by (weekday, opens). Build with :func:`parse`."""

    spans: tuple[Span, ...] = ()

    @classmethod
    def parse(cls, text: str) -> "WeeklyHours":
        """Same as the module-level :func:`parse`."""
        return parse(text)

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """Canonical text, which :func:`parse` reads back to an equal object."""
        if not self.spans:
            return "closed"
        if self.is_24_7:
            return "24/7"
        return "; ".join(self._rules())

    def to_schema_org(self) -> list[str]:
        """schema.org ``openingHours`` values, e.g. ``["Mo-Fr 08:00-20:00", "Sa 10:00-16:00"]``."""
        if self.is_24_7:
            return ["Mo-Su 00:00-24:00"]
        return self._rules()

    @property
    def is_24_7(self) -> bool:
        """True if open every minute of the week (spans may chain across midnights)."""
        return _intervals(self.spans) == [(0, _WEEK)]

    def hours_per_week(self) -> float:
        """Hours open in a week (overlapping spans are counted once)."""
        return sum(end - start for start, end in _intervals(self.spans)) / 60

    def day_spans(self, weekday: int) -> list[tuple[int, int]]:
        """The (opens, closes) minute pairs of the spans that start on ``weekday``."""
        return [(s.opens, s.closes) for s in self.spans if s.weekday == weekday]

    def describe_day(self, weekday: int) -> str:
        """For people, GOV.UK style: ``"8am to 8pm"``, ``"10pm to 2am (next day)"``."""
        spans = self.day_spans(weekday)
        if not spans:
            return "Closed"
        if spans == [(0, _DAY)]:
            return "Open 24 hours"
        parts = []
        for opens, closes in spans:
            part = f"{_human(opens)} to {_human(closes)}"
            parts.append(part + " (next day)" if closes <= opens else part)
        return ", ".join(parts)

    def describe(self) -> str:
        """The week for people: ``"Monday to Friday: 8am to 8pm; Saturday: 10am to 4pm"``
        (days not named are closed)."""
        if not self.spans:
            return "Closed"
        if self.is_24_7:
            return "Open 24 hours, every day"
        groups: dict[str, list[int]] = {}
        for day in range(7):
            groups.setdefault(self.describe_day(day), []).append(day)
        return "; ".join(
            f"{_days_words(days)}: {text}" for text, days in groups.items() if text != "Closed"
        )

    def _rules(self) -> list[str]:
        groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
        for day in range(7):
            spans = tuple(self.day_spans(day))
            if spans:
                groups.setdefault(spans, []).append(day)
        return [
            _days_text(days) + " " + ",".join(f"{_clock(o)}-{_clock(c)}" for o, c in spans)
            for spans, days in groups.items()
        ]


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _days_words(days: list[int]) -> str:
    """[0, 1, 2, 3, 4, 6] -> "Monday to Friday, Sunday"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]} to {DAY_NAMES[r[-1]]}" for r in runs
    )


@functools.lru_cache(maxsize=4096)  # the same few texts, read for every building and day
def parse(text: str) -> WeeklyHours:
    """Read opening hours text (syntax in the module docstring); raise HoursError if bad.
    Dashes as word processors write them (en and em dashes, the minus sign) read as hyphens;
    text of more than MAX_TEXT characters, or hours whose canonical text would be, is refused
    (the text is stored)."""
    if len(text) > MAX_TEXT:
        raise HoursError(
            f"opening hours may be at most {MAX_TEXT} characters (these are {len(text):,})"
        )
    stripped = text.strip().translate(DASHES)
    if not stripped or stripped.lower() == "closed":
        return WeeklyHours()
    rules = [rule.strip() for rule in re.split(r"[;\n]", stripped)]
    rules = [rule for rule in rules if rule]
    if not rules:
        raise HoursError(f"{stripped!r} has no opening hours in it")
    spans: list[Span] = []
    for rule in rules:
        spans.extend(_parse_rule(rule))
    found = WeeklyHours(_canonical(spans))
    if len(found.text) > MAX_TEXT:
        raise HoursError(
            f"these opening hours are too many to record: written out they take "
            f"{len(found.text):,} characters, and at most {MAX_TEXT} are kept"
        )
    return found


def open_at(
    hours_on: Callable[[date], WeeklyHours | None], when: datetime, tz: tzinfo = LONDON
) -> bool:
    """Whether the place is open at the instant ``when`` (which must be timezone-aware).

    ``hours_on(d)`` gives the schedule in force on local calendar date ``d`` (None means
    closed that day). ``when`` is turned into local wall-clock time in ``tz``, so opening
    hours follow the clock through GMT/BST changes: a wall-clock time that happens twice
    (01:00-02:00 on the night clocks go back) is open both times if a span covers it, and
    one that never happens (01:00-02:00 when clocks go forward) is skipped.

    Open if a span of the schedule in force on the local date covers the local time, or
    if the schedule in force on the previous local date has an overnight span, starting on
    that previous day, that has not yet closed. So a night that began under one schedule
    ends under it: when a new schedule takes effect at midnight on date D, or the building
    closes from date D (``hours_on`` gives None from D), the previous night's overnight
    span still runs until its closing time on D; after that only D's schedule counts.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{when!r} has no timezone; give an aware datetime")
    local = when.astimezone(tz)
    today = local.date()
    minute = local.hour * 60 + local.minute
    hours = hours_on(today)
    if hours is not None:
        for span in hours.spans:
            end = _DAY if span.overnight else span.closes
            if span.weekday == today.weekday() and span.opens <= minute < end:
                return True
    yesterday = today - timedelta(days=1)
    previous = hours_on(yesterday)
    if previous is not None:
        for span in previous.spans:
            if span.weekday == yesterday.weekday() and span.overnight and minute < span.closes:
                return True
    return False


def _parse_rule(rule: str) -> list[Span]:
    if rule == "24/7":
        return [Span(day, 0, _DAY) for day in range(7)]
    match = _RULE.fullmatch(rule)
    if match is None:
        raise HoursError(f"{rule!r}: give days then times, e.g. 'Mo-Fr 08:00-20:00'")
    days = _parse_days(rule, _tidy(match["days"]))
    spans: list[Span] = []
    for item in _tidy(match["times"]).split(","):
        found = _RANGE.fullmatch(item)
        if found is None:
            raise HoursError(f"{rule!r}: {item!r} is not a time range (use HH:MM-HH:MM)")
        opens, closes = _parse_clock(rule, found[1]), _parse_clock(rule, found[2])
        if opens == _DAY:
            raise HoursError(f"{rule!r}: '24:00' can only be a closing time")
        if opens == closes:
            raise HoursError(f"{rule!r}: a span cannot open and close at the same time ({item})")
        spans.extend(Span(day, opens, closes or _DAY) for day in days)
    return spans


def _parse_days(rule: str, text: str) -> list[int]:
    days: list[int] = []
    for item in text.split(","):
        names = item.split("-")
        if not item or len(names) > 2:
            raise HoursError(f"{rule!r}: {item!r} is not a day or a range of days (e.g. Mo-Fr)")
        first, last = (_parse_day(rule, name) for name in (names[0], names[-1]))
        days.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
    return sorted(set(days))


def _parse_day(rule: str, name: str) -> int:
    if name.lower() not in _DAY_INDEX:
        raise HoursError(f"{rule!r}: {name!r} is not a day (use {', '.join(DAYS)})")
    return _DAY_INDEX[name.lower()]


def _parse_clock(rule: str, text: str) -> int:
    hour, minute = (int(part) for part in text.split(":"))  # digits, as _RANGE matched
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise HoursError(f"{rule!r}: {text!r} is not a time of day")
    return hour * 60 + minute


def _tidy(text: str) -> str:
    """Drop whitespace around commas and hyphens."""
    return re.sub(r"\s*([,-])\s*", r"\1", text.strip())


def _intervals(spans: tuple[Span, ...] | list[Span]) -> list[tuple[int, int]]:
    """The open time as merged [start, end) minute intervals of the week from Monday 00:00."""
    raw: list[tuple[int, int]] = []
    for span in spans:
        start = span.weekday * _DAY + span.opens
        end = start + span.minutes
        raw.extend([(start, end)] if end <= _WEEK else [(start, _WEEK), (0, end - _WEEK)])
    merged: list[tuple[int, int]] = []
    for start, end in sorted(raw):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _canonical(spans: list[Span]) -> tuple[Span, ...]:
    """Merge spans that overlap or touch; cut stretches of 24 hours or more at midnights."""
    intervals = _intervals(spans)
    if len(intervals) > 1 and intervals[0][0] == 0 and intervals[-1][1] == _WEEK:
        first, last = intervals.pop(0), intervals.pop()  # joined across Sunday midnight
        intervals.append((last[0], _WEEK + first[1]))
    out: list[Span] = []
    for start, end in intervals:
        while start < end:
            weekday, minute = divmod(start % _WEEK, _DAY)
            length = end - start
            if length <= _DAY - minute:
                out.append(Span(weekday, minute, minute + length))
            elif length < _DAY:
                out.append(Span(weekday, minute, minute + length - _DAY))
            else:
                out.append(Span(weekday, minute, _DAY))
                start += _DAY - minute
                continue
            break
    return tuple(sorted(out, key=lambda s: (s.weekday, s.opens)))


def _days_text(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        DAYS[run[0]] if len(run) == 1 else f"{DAYS[run[0]]}-{DAYS[run[-1]]}" for run in runs
    )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _human(minute: int) -> str:
    if minute in (0, _DAY):
        return "midnight"
    hour, mins = divmod(minute, 60)
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if not mins else f"{hour}:{mins:02d}{suffix}"
