"""Dates and times as GOV.UK writes them, for pages, emails and files alike.

    day(d)              4 December 2026
    short_day(d)        4 Dec 2026 (in staff tables, where columns are narrow)
    short_at(dt)        4 Dec 2026, 6:30pm (in staff tables, where the time matters too)
    weekday(d)          Friday 4 December 2026
    month(d)            December 2026
    months(a, b)        April 2024 to March 2025 (a span of months as data files write them)
    time(t)             6:30pm, 10am, midday, midnight
    time_range(a, b)    6:30pm to 8:30pm
    at(dt)              6:30pm on Friday 4 December 2026
    when(a, b)          Friday 4 December 2026, 6:30pm to 8:30pm (an event across midnight:
                        10pm on Friday 4 December 2026 to 1am on Saturday 5 December 2026)

Aware datetimes are shown in the service's time zone (Europe/London). The Jinja filters of
the same names call these functions; nothing else formats a date for people to read.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


def _local_datetime(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if value.tzinfo is not None else value


def day(value: dt.date | dt.datetime | None) -> str:
    """4 December 2026"""
    if value is None:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


# GOV.UK's abbreviations (the style guide writes "Sept", not "Sep").
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec")


def short_day(value: dt.date | dt.datetime | None) -> str:
    """4 Dec 2026: GOV.UK's short form, for tables where a column is narrow (staff lists)."""
    if value is None:
        return ""
    value = _local(value)
    return f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}"


def weekday(value: dt.date | dt.datetime | None) -> str:
    """Friday 4 December 2026"""
    if value is None:
        return ""
    value = _local(value)
    return f"{WEEKDAYS[value.weekday()]} {day(value)}"


def month(value: dt.date | dt.datetime | None) -> str:
    """December 2026"""
    if value is None:
        return ""
    value = _local(value)
    return f"{MONTHS[value.month - 1]} {value.year}"


def short_at(value: dt.datetime | None) -> str:
    """4 Dec 2026, 6:30pm: a moment in a staff table, the day first like the table's other
    dates."""
    if value is None:
        return ""
    return f"{short_day(value)}, {time(value)}"


def months(start: str, end: str) -> str:
    """A span of months as data files write them ('2024-04', '2025-03'), as people read it:
    'April 2024 to March 2025'; one month is just 'March 2025'."""
    if not start or not end:
        return period(start or end)
    if start == end:
        return period(end)
    return f"{period(start)} to {period(end)}"


def time(value: dt.datetime | dt.time | None) -> str:
    """6:30pm, 10am, midday or midnight (never 12pm, 12am or 12 noon)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local_datetime(value).time()
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def time_range(start: dt.datetime | dt.time, end: dt.datetime | dt.time) -> str:
    """6:30pm to 8:30pm"""
    return f"{time(start)} to {time(end)}"


def at(value: dt.datetime | None) -> str:
    """6:30pm on Friday 4 December 2026"""
    if value is None:
        return ""
    return f"{time(value)} on {weekday(value)}"


def when(start: dt.datetime, end: dt.datetime) -> str:
    """When an event happens: Friday 4 December 2026, 6:30pm to 8:30pm; an event that ends on
    a later day gives both days."""
    if _local_datetime(start).date() == _local_datetime(end).date():
        return f"{weekday(start)}, {time_range(start, end)}"
    return f"{at(start)} to {at(end)}"


def period(value: str | None) -> str:
    """A period as data files write it, as people read it: '2024-02' is 'February 2024',
    '2022-06-30' is '30 June 2022'; anything else is shown as it is."""
    if not value:
        return ""
    try:
        if len(value) == 7:
            return month(dt.date.fromisoformat(f"{value}-01"))
        if len(value) == 10:
            return day(dt.date.fromisoformat(value))
    except ValueError:
        return value
    return value
