"""Tests for policeplan.estates.hours: parsing, text, descriptions and open_at."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from policeplan.estates.hours import (
    LONDON,
    HoursError,
    Span,
    WeeklyHours,
    open_at,
    parse,
)

MO, TU, WE, TH, FR, SA, SU = range(7)
GMT = timezone(timedelta(0))
BST = timezone(timedelta(hours=1))


def always(hours: WeeklyHours | None):
    return lambda d: hours


# --- parsing ---------------------------------------------------------------------------


def test_parse_weekdays_and_saturday():
    hours = parse("Mo-Fr 08:00-20:00; Sa 10:00-16:00")
    assert hours.spans == (*(Span(d, 480, 1200) for d in range(5)), Span(SA, 600, 960))
    assert hours.day_spans(SU) == []


def test_parse_newlines_whitespace_and_case():
    hours = parse("  mo - FR 08:00 - 20:00 \n\n sa 10:00-16:00;  ")
    assert hours == parse("Mo-Fr 08:00-20:00; Sa 10:00-16:00")


def test_parse_day_list():
    hours = parse("Mo,We,Fr 09:00-17:00")
    assert [s.weekday for s in hours.spans] == [MO, WE, FR]
    assert hours.text == "Mo,We,Fr 09:00-17:00"


def test_parse_day_range_wrapping_the_week():
    hours = parse("Sa-Mo 10:00-14:00")
    assert [s.weekday for s in hours.spans] == [MO, SA, SU]
    assert hours.text == "Mo,Sa-Su 10:00-14:00"


def test_parse_several_time_ranges():
    hours = parse("Mo-Fr 08:00-12:00,13:00-17:00")
    assert hours.day_spans(TU) == [(480, 720), (780, 1020)]
    assert hours.text == "Mo-Fr 08:00-12:00,13:00-17:00"


def test_parse_24_00_closing_and_00_00_closing_mean_end_of_day():
    assert parse("Mo 20:00-24:00").spans == (Span(MO, 1200, 1440),)
    assert parse("Mo 20:00-00:00") == parse("Mo 20:00-24:00")
    assert not parse("Mo 20:00-24:00").spans[0].overnight


def test_parse_overnight_span():
    hours = parse("Fr 22:00-02:00")
    assert hours.spans == (Span(FR, 1320, 120),)
    assert hours.spans[0].overnight
    assert hours.spans[0].minutes == 240


def test_parse_all_day_and_24_7():
    assert parse("24/7") == parse("Mo-Su 00:00-24:00")
    assert parse("24/7").day_spans(WE) == [(0, 1440)]


@pytest.mark.parametrize("text", ["", "   ", "\n", "closed", "Closed", " CLOSED "])
def test_parse_closed(text):
    hours = parse(text)
    assert hours.spans == ()
    assert hours.text == "closed"
    assert hours.to_schema_org() == []
    assert hours.hours_per_week() == 0


def test_single_digit_hour_is_read():
    assert parse("Mo 8:30-17:00").day_spans(MO) == [(510, 1020)]


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Fr 08:00-20:00; Sa 10:00-16:00",
        "Mo,We,Fr 09:00-17:00",
        "Sa-Mo 10:00-14:00",
        "Mo-Fr 08:00-12:00,13:00-17:00",
        "Mo-Th 08:00-18:00; Fr-Sa 08:00-02:00; Su 10:00-16:00",
        "Su 22:00-03:00",
        "24/7",
        "Mo-Su 00:00-24:00",
        "Mo-Sa 00:00-24:00; Su 00:00-23:00",
        "Mo 00:00-12:00; Tu 13:00-13:30; We 08:30-18:45",
        "closed",
        "",
    ],
)
def test_round_trip(text):
    hours = parse(text)
    again = parse(hours.text)
    assert again == hours
    assert str(again) == hours.text
    assert parse("; ".join(hours.to_schema_org())) == hours


# --- merging ---------------------------------------------------------------------------


def test_overlapping_spans_merge():
    hours = parse("Mo 08:00-12:00,11:00-14:00; Mo 13:00-15:00")
    assert hours.spans == (Span(MO, 480, 900),)
    assert hours.hours_per_week() == 7


def test_touching_spans_merge():
    assert parse("Mo 08:00-12:00,12:00-17:00").text == "Mo 08:00-17:00"


def test_span_inside_another_is_absorbed():
    assert parse("Tu 08:00-20:00; Tu 10:00-11:00").text == "Tu 08:00-20:00"


def test_merge_across_midnight():
    assert parse("Mo 20:00-24:00; Tu 00:00-02:00").text == "Mo 20:00-02:00"
    assert parse("Su 22:00-24:00; Mo 00:00-02:00").text == "Su 22:00-02:00"


def test_overnight_overlap_longer_than_a_day_is_cut_at_midnight():
    hours = parse("Mo 06:00-18:00,17:00-07:00")
    assert hours.spans == (Span(MO, 360, 1440), Span(TU, 0, 420))
    assert hours.hours_per_week() == 25


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Mo-Fx 08:00-20:00", "'Fx' is not a day (use Mo, Tu, We, Th, Fr, Sa, Su)"),
        ("Monday 08:00-20:00", "'Monday' is not a day"),
        ("PH 08:00-20:00", "'PH' is not a day"),
        ("Mo Fr 08:00-20:00", "'Mo Fr' is not a day"),
        ("Mo,,Fr 08:00-20:00", "'' is not a day or a range of days"),
        ("Mo-We-Fr 08:00-20:00", "'Mo-We-Fr' is not a day or a range of days"),
        ("Mo 25:00-26:00", "'25:00' is not a time of day"),
        ("Mo 08:60-20:00", "'08:60' is not a time of day"),
        ("Mo 08:00-24:30", "'24:30' is not a time of day"),
        ("Mo 24:00-08:00", "'24:00' can only be a closing time"),
        ("Mo 08:00-08:00", "a span cannot open and close at the same time (08:00-08:00)"),
        ("Mo 00:00-00:00", "a span cannot open and close at the same time (00:00-00:00)"),
        ("Mo 8-17", "'8-17' is not a time range (use HH:MM-HH:MM)"),
        ("Mo 0800-1700", "'0800-1700' is not a time range"),
        ("Mo 08:00-20:00 extra", "'08:00-20:00 extra' is not a time range"),
        ("Mo 08:00", "'08:00' is not a time range"),
        ("Mo 08:00-12:00,", "'' is not a time range"),
        ("08:00-20:00", "'08:00-20:00': give days then times"),
        ("Mo-Fr", "'Mo-Fr': give days then times"),
        ("Mo-Fr off", "'Mo-Fr off': give days then times"),
        ("open sometimes", "give days then times"),
        ("closed; Mo 08:00-10:00", "'closed': give days then times"),
        (";", "';' has no opening hours in it"),
    ],
)
def test_parse_errors_name_the_bad_part(text, bad):
    with pytest.raises(HoursError) as caught:
        parse(text)
    assert bad in str(caught.value)


def test_hours_error_is_a_value_error():
    with pytest.raises(ValueError, match="'Xx' is not a day"):
        parse("Xx 08:00-09:00")


@pytest.mark.parametrize(
    ("args", "bad"),
    [
        ((7, 0, 60), "weekday 7"),
        ((0, 1440, 60), "opening minute 1440"),
        ((0, 0, 0), "closing minute 0"),
        ((0, 60, 60), "open and close at the same time (01:00-01:00)"),
    ],
)
def test_span_rejects_bad_values(args, bad):
    with pytest.raises(HoursError, match=bad.replace("(", r"\(").replace(")", r"\)")):
        Span(*args)


# --- text, schema.org and measures -----------------------------------------------------


def test_text_groups_consecutive_days():
    hours = parse("Mo 08:00-20:00; Tu 08:00-20:00; We-Fr 08:00-20:00; Sa 10:00-16:00")
    assert hours.text == "Mo-Fr 08:00-20:00; Sa 10:00-16:00"
    assert str(hours) == hours.text
    assert hours.to_schema_org() == ["Mo-Fr 08:00-20:00", "Sa 10:00-16:00"]


def test_text_and_schema_org_for_24_7():
    hours = parse("Mo-Su 00:00-24:00")
    assert hours.text == "24/7"
    assert hours.to_schema_org() == ["Mo-Su 00:00-24:00"]
    assert hours.hours_per_week() == 168


def test_schema_org_keeps_overnight_spans():
    assert parse("Fr-Sa 22:00-02:00").to_schema_org() == ["Fr-Sa 22:00-02:00"]


def test_hours_per_week():
    assert parse("Mo-Fr 08:00-20:00; Sa 10:00-16:30").hours_per_week() == 66.5
    assert parse("Fr 22:00-02:00").hours_per_week() == 4


@pytest.mark.parametrize(
    "text",
    [
        "24/7",
        "Mo-Su 00:00-24:00",
        "Mo-Su 00:00-12:00,12:00-24:00",
        "Mo-Su 06:00-18:00,18:00-06:00",
        "Mo-Su 08:00-20:00; Mo-Su 20:00-08:00",
    ],
)
def test_is_24_7(text):
    assert parse(text).is_24_7


def test_is_24_7_for_overnight_chain_built_directly():
    # Each day 12:00 to 11:59 next day, with the missing minute covered by 11:00-13:00.
    chain = tuple(Span(d, 720, 719) for d in range(7))
    fillers = tuple(Span(d, 660, 780) for d in range(7))
    assert WeeklyHours(chain + fillers).is_24_7
    assert WeeklyHours(chain + fillers).hours_per_week() == 168
    assert not WeeklyHours(chain).is_24_7
    assert not WeeklyHours(chain + fillers[:-1]).is_24_7


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Sa 00:00-24:00; Su 00:00-23:00",
        "Mo-Su 06:00-18:00; Mo-Sa 18:00-06:00; Su 19:00-06:00",
        "Mo-Fr 00:00-24:00",
        "closed",
    ],
)
def test_not_24_7_when_time_is_missing(text):
    assert not parse(text).is_24_7


# --- describe_day ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "weekday", "expected"),
    [
        ("Mo-Fr 08:00-20:00", MO, "8am to 8pm"),
        ("Mo-Fr 08:00-20:00", SA, "Closed"),
        ("Mo-Fr 08:00-12:00,13:00-17:00", WE, "8am to 12pm, 1pm to 5pm"),
        ("24/7", SU, "Open 24 hours"),
        ("Fr 22:00-02:00", FR, "10pm to 2am (next day)"),
        ("Fr 22:00-02:00", SA, "Closed"),
        ("Tu 08:30-18:00", TU, "8:30am to 6pm"),
        ("Tu 08:00-24:00", TU, "8am to midnight"),
        ("Tu 00:00-09:15", TU, "midnight to 9:15am"),
        ("Th 11:45-12:30", TH, "11:45am to 12:30pm"),
        ("Sa 21:00-00:30", SA, "9pm to 12:30am (next day)"),
        ("closed", MO, "Closed"),
    ],
)
def test_describe_day(text, weekday, expected):
    assert parse(text).describe_day(weekday) == expected


# --- open_at ---------------------------------------------------------------------------


def test_open_at_across_midnight():
    hours_on = always(parse("Fr 22:00-02:00"))
    # 12-13 June 2026 is Friday-Saturday, in BST.
    assert open_at(hours_on, datetime(2026, 6, 12, 23, 30, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 13, 1, 30, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 13, 1, 59, 59, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 13, 2, 0, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 12, 21, 59, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 14, 1, 30, tzinfo=LONDON))  # Sunday
    assert not open_at(hours_on, datetime(2026, 6, 12, 1, 30, tzinfo=LONDON))  # Friday


def test_open_at_same_day_bounds():
    hours_on = always(parse("Mo-Fr 08:00-20:00"))
    assert not open_at(hours_on, datetime(2026, 6, 15, 7, 59, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 15, 8, 0, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 15, 19, 59, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 15, 20, 0, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 13, 12, 0, tzinfo=LONDON))  # Saturday


def test_open_at_converts_from_other_zones():
    hours_on = always(parse("Mo-Fr 08:00-20:00"))
    # Summer (BST): 08:00 local is 07:00 UTC.
    assert not open_at(hours_on, datetime(2026, 6, 15, 6, 59, tzinfo=UTC))
    assert open_at(hours_on, datetime(2026, 6, 15, 7, 0, tzinfo=UTC))
    assert open_at(hours_on, datetime(2026, 6, 15, 18, 59, tzinfo=UTC))
    assert not open_at(hours_on, datetime(2026, 6, 15, 19, 0, tzinfo=UTC))
    # Winter (GMT): 08:00 local is 08:00 UTC.
    assert not open_at(hours_on, datetime(2026, 1, 12, 7, 59, tzinfo=UTC))
    assert open_at(hours_on, datetime(2026, 1, 12, 8, 0, tzinfo=UTC))
    # 03:00 in New York (UTC-4 in June) is 08:00 in London.
    new_york = timezone(timedelta(hours=-4))
    assert open_at(hours_on, datetime(2026, 6, 15, 3, 0, tzinfo=new_york))
    assert not open_at(hours_on, datetime(2026, 6, 15, 2, 59, tzinfo=new_york))


def test_open_at_clocks_go_forward_2026():
    # Sunday 29 March 2026: at 01:00 UTC, 01:00 GMT jumps to 02:00 BST.
    hours_on = always(parse("Sa 22:00-02:00; Su 08:00-20:00"))
    assert open_at(hours_on, datetime(2026, 3, 28, 22, 0, tzinfo=GMT))
    assert open_at(hours_on, datetime(2026, 3, 29, 0, 30, tzinfo=GMT))
    assert open_at(hours_on, datetime(2026, 3, 29, 0, 59, tzinfo=GMT))
    assert not open_at(hours_on, datetime(2026, 3, 29, 1, 0, tzinfo=GMT))  # 02:00 BST
    assert not open_at(hours_on, datetime(2026, 3, 29, 2, 0, tzinfo=BST))
    # The Sunday counter opens at 08:00 BST = 07:00 UTC, closes 20:00 BST = 19:00 UTC.
    assert not open_at(hours_on, datetime(2026, 3, 29, 6, 59, tzinfo=GMT))
    assert open_at(hours_on, datetime(2026, 3, 29, 7, 0, tzinfo=GMT))
    assert open_at(hours_on, datetime(2026, 3, 29, 8, 0, tzinfo=BST))
    assert open_at(hours_on, datetime(2026, 3, 29, 18, 59, tzinfo=GMT))
    assert not open_at(hours_on, datetime(2026, 3, 29, 19, 0, tzinfo=GMT))
    # The day before, still GMT: 08:00 local is 08:00 UTC.
    saturday = always(parse("Sa 08:00-20:00"))
    assert not open_at(saturday, datetime(2026, 3, 28, 7, 59, tzinfo=GMT))
    assert open_at(saturday, datetime(2026, 3, 28, 8, 0, tzinfo=GMT))


def test_open_at_clocks_go_back_2026():
    # Sunday 25 October 2026: at 01:00 UTC, 02:00 BST goes back to 01:00 GMT, so
    # 01:00-02:00 local happens twice: 00:00-01:00 UTC and again 01:00-02:00 UTC.
    hours_on = always(parse("Sa 22:00-02:00; Su 08:00-20:00"))
    assert not open_at(hours_on, datetime(2026, 10, 24, 20, 59, tzinfo=GMT))  # 21:59 BST
    assert open_at(hours_on, datetime(2026, 10, 24, 21, 0, tzinfo=GMT))  # 22:00 BST
    assert open_at(hours_on, datetime(2026, 10, 25, 0, 30, tzinfo=GMT))  # first 01:30 (BST)
    assert open_at(hours_on, datetime(2026, 10, 25, 1, 30, tzinfo=GMT))  # second 01:30 (GMT)
    assert open_at(hours_on, datetime(2026, 10, 25, 1, 59, tzinfo=GMT))
    assert not open_at(hours_on, datetime(2026, 10, 25, 2, 0, tzinfo=GMT))  # 02:00 GMT
    # Both readings of local 01:30 through the fold attribute.
    assert open_at(hours_on, datetime(2026, 10, 25, 1, 30, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON))
    # The Sunday counter now opens at 08:00 GMT = 08:00 UTC.
    assert not open_at(hours_on, datetime(2026, 10, 25, 7, 59, tzinfo=GMT))
    assert open_at(hours_on, datetime(2026, 10, 25, 8, 0, tzinfo=GMT))
    assert not open_at(hours_on, datetime(2026, 10, 25, 20, 0, tzinfo=GMT))
    # The Saturday before, still BST: 08:00 local is 07:00 UTC.
    saturday = always(parse("Sa 08:00-20:00"))
    assert not open_at(saturday, datetime(2026, 10, 24, 6, 59, tzinfo=GMT))
    assert open_at(saturday, datetime(2026, 10, 24, 7, 0, tzinfo=GMT))


def test_open_at_schedule_change_at_midnight():
    old, new = parse("Mo-Su 22:00-02:00"), parse("Mo-Su 09:00-17:00")
    change = date(2026, 6, 13)  # a Saturday

    def hours_on(d):
        return old if d < change else new

    # Friday night began under the old schedule and runs on past midnight.
    assert open_at(hours_on, datetime(2026, 6, 12, 23, 0, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 13, 1, 0, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 13, 2, 0, tzinfo=LONDON))
    # From then on, the new schedule alone.
    assert open_at(hours_on, datetime(2026, 6, 13, 10, 0, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 13, 23, 0, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 14, 1, 0, tzinfo=LONDON))


def test_open_at_new_overnight_schedule_does_not_reach_back():
    # A schedule taking effect on Saturday does not open the counter in the small hours
    # of that Saturday: its Friday overnight span belongs to a Friday it was not in force.
    change = date(2026, 6, 13)

    def hours_on(d):
        return parse("Mo-Su 22:00-02:00") if d >= change else None

    assert not open_at(hours_on, datetime(2026, 6, 13, 1, 0, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 13, 22, 0, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 14, 1, 0, tzinfo=LONDON))


def test_open_at_building_closed_from_a_date():
    closes_for_good = date(2026, 6, 13)

    def hours_on(d):
        return parse("Mo-Su 08:00-02:00") if d < closes_for_good else None

    assert open_at(hours_on, datetime(2026, 6, 12, 23, 59, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 13, 0, 0, tzinfo=LONDON))
    assert open_at(hours_on, datetime(2026, 6, 13, 1, 59, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 13, 2, 0, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 13, 9, 0, tzinfo=LONDON))
    assert not open_at(hours_on, datetime(2026, 6, 14, 1, 0, tzinfo=LONDON))


def test_open_at_asks_for_local_dates():
    asked: list[date] = []

    def hours_on(d):
        asked.append(d)
        return None

    # 23:30 UTC on 14 June is 00:30 BST on 15 June.
    assert not open_at(hours_on, datetime(2026, 6, 14, 23, 30, tzinfo=UTC))
    assert asked == [date(2026, 6, 15), date(2026, 6, 14)]


def test_open_at_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="no timezone"):
        open_at(always(parse("24/7")), datetime(2026, 6, 15, 12, 0))


def test_open_at_24_7():
    hours_on = always(parse("24/7"))
    start = datetime(2026, 3, 28, 0, 0, tzinfo=UTC)
    assert all(open_at(hours_on, start + timedelta(minutes=17 * i)) for i in range(600))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Mo-Fr 08:00-20:00; Sa 10:00-16:00",
            "Monday to Friday: 8am to 8pm; Saturday: 10am to 4pm",
        ),
        ("Tu 09:00-10:00", "Tuesday: 9am to 10am"),
        ("Mo,We,Fr 09:00-17:00", "Monday, Wednesday, Friday: 9am to 5pm"),
        ("24/7", "Open 24 hours, every day"),
        ("closed", "Closed"),
    ],
)
def test_a_week_is_described_for_people(text, words):
    from policeplan.estates import hours as hrs

    assert hrs.parse(text).describe() == words
