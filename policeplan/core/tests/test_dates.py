"""Dates and times as GOV.UK writes them, on pages and in emails alike."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from policeplan.core import dates
from policeplan.jinja import format_date

LONDON = ZoneInfo("Europe/London")


def test_days_and_times_read_as_gov_uk_writes_them():
    start = dt.datetime(2026, 12, 4, 18, 30, tzinfo=LONDON)
    end = dt.datetime(2026, 12, 4, 20, 30, tzinfo=LONDON)
    assert dates.day(start) == "4 December 2026"
    assert dates.weekday(start) == "Friday 4 December 2026"
    assert dates.month(dt.date(2026, 12, 4)) == "December 2026"
    assert dates.when(start, end) == "Friday 4 December 2026, 6:30pm to 8:30pm"
    assert dates.at(start) == "6:30pm on Friday 4 December 2026"
    assert dates.time(dt.time(10, 0)) == "10am"
    assert dates.time(dt.time(12, 0)) == "midday"
    assert dates.time(dt.time(0, 0)) == "midnight"
    assert dates.time(dt.time(12, 5)) == "12:05pm"
    assert dates.time(dt.time(0, 30)) == "12:30am"


def test_times_are_shown_in_london_time_and_events_across_midnight_name_both_days():
    utc = dt.UTC
    # 17:00 UTC in June is 6pm in London (British Summer Time).
    assert dates.at(dt.datetime(2026, 6, 5, 17, 0, tzinfo=utc)) == "6pm on Friday 5 June 2026"
    start = dt.datetime(2026, 12, 4, 22, 0, tzinfo=LONDON)
    assert dates.when(start, start + dt.timedelta(hours=3)) == (
        "10pm on Friday 4 December 2026 to 1am on Saturday 5 December 2026"
    )


def test_the_date_filter_writes_gov_uk_dates_and_refuses_time_formats():
    assert format_date(dt.date(2026, 12, 4)) == "4 December 2026"
    assert format_date(dt.date(2026, 12, 4), "j M Y") == "4 Dec 2026"
    try:
        format_date(dt.datetime(2026, 12, 4, 18, 30, tzinfo=LONDON), "g:i a")
    except ValueError as error:
        assert "at, time, when" in str(error)
    else:
        raise AssertionError("a time format was accepted")


def test_periods_from_data_files_read_as_people_read_them():
    assert dates.period("2024-02") == "February 2024"
    assert dates.period("2022-06-30") == "30 June 2022"
    assert dates.period("2024-13") == "2024-13"  # not a month: shown as it is
    assert dates.period("") == ""


def test_staff_tables_write_short_gov_uk_dates():
    assert dates.short_day(dt.date(2026, 12, 1)) == "1 Dec 2026"
    assert dates.short_day(dt.date(2026, 9, 30)) == "30 Sept 2026"  # GOV.UK's abbreviation
    # 23:30 UTC on 31 May is 00:30 on 1 June in London: the day London saw.
    assert dates.short_day(dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC)) == "1 Jun 2026"
    assert dates.short_day(None) == ""


def test_a_span_of_months_reads_as_gov_uk_writes_it():
    assert dates.months("2024-04", "2025-03") == "April 2024 to March 2025"
    assert dates.months("2025-03", "2025-03") == "March 2025"
    assert dates.months("", "2025-03") == "March 2025"


def test_a_moment_in_a_staff_table_gives_the_short_day_then_the_time():
    assert dates.short_at(dt.datetime(2026, 12, 1, 18, 30, tzinfo=LONDON)) == "1 Dec 2026, 6:30pm"
    assert dates.short_at(None) == ""
