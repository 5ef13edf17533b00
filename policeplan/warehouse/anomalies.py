"""What looks wrong in a dataset's months: gaps, a month whose data stops early, and months far
out of line with their neighbours."""

from __future__ import annotations

import calendar
import datetime
import statistics


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def find(
    month_counts: dict[str, int], *, last_dates: dict[str, datetime.date] | None = None
) -> list[dict]:
    """Anomalies as {month, kind, message} dicts, in month order."""
    months = sorted(month_counts)
    found: list[dict] = []
    if not months:
        return found
    for month in _months_between(months[0], months[-1]):
        if month not in month_counts:
            found.append(
                {"month": month, "kind": "missing", "message": f"No data for {_label(month)}."}
            )
    for month, last in sorted((last_dates or {}).items()):
        year, mon = int(month[:4]), int(month[5:7])
        month_end = datetime.date(year, mon, calendar.monthrange(year, mon)[1])
        if (month_end - last).days > 3:
            found.append(
                {
                    "month": month,
                    "kind": "stops early",
                    "message": f"The data for {_label(month)} stops on {last:%-d %B %Y}.",
                }
            )
    for index, month in enumerate(months):
        neighbours = [month_counts[m] for m in months[max(0, index - 3) : index + 4] if m != month]
        if len(neighbours) < 3:
            continue
        usual = statistics.median(neighbours)
        count = month_counts[month]
        if usual and (count < 0.5 * usual or count > 1.6 * usual):
            found.append(
                {
                    "month": month,
                    "kind": "out of line",
                    "message": f"{_label(month)} has {count:,} rows against a usual {usual:,.0f} in the months around it.",
                }
            )
    return sorted(found, key=lambda a: (a["month"], a["kind"]))


def _label(month: str) -> str:
    if len(month) == 7:
        return datetime.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")
    return month
