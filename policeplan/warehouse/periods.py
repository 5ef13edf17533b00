"""Reporting periods built from months: the month itself, financial quarters and years
(April to March, as policing reports them) and rolling 12 months. Only complete periods
are reported: a quarter with a month missing is not a quarter."""

from __future__ import annotations

import functools
from dataclasses import dataclass

KINDS = ("month", "quarter", "financial_year", "rolling_12")
KIND_LABELS = {
    "month": "Month",
    "quarter": "Quarter",
    "financial_year": "Financial year",
    "rolling_12": "Rolling year (12 months)",
}
_MONTH_NAMES = [
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
]


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    end: str  # last month, YYYY-MM (the sort key within a kind)
    start: str  # first month
    label: str
    key: str  # stable id for URLs and the database, e.g. "2024-25", "2024-25-Q1", "2024-06"

    @property
    def months(self) -> tuple[str, ...]:
        return _months_between(self.start, self.end)


@functools.lru_cache(maxsize=4096)
def _months_between(start: str, end: str) -> tuple[str, ...]:
    return tuple(_month(i) for i in range(_index(start), _index(end) + 1))


def months_between(start: str, end: str) -> tuple[str, ...]:
    """Every month from `start` to `end`, inclusive."""
    return _months_between(start, end)


def shift(m: str, months: int) -> str:
    """The month `months` after (or, negative, before) `m`."""
    return _month(_index(m) + months)


def month(m: str) -> Period:
    return Period("month", m, m, f"{_MONTH_NAMES[int(m[5:7]) - 1]} {m[:4]}", m)


def financial_year_of(m: str) -> int:
    """The calendar year in which the month's financial year starts."""
    return int(m[:4]) if int(m[5:7]) >= 4 else int(m[:4]) - 1


def financial_year(start_year: int) -> Period:
    label = f"{start_year}-{str(start_year + 1)[2:]}"
    return Period("financial_year", f"{start_year + 1}-03", f"{start_year}-04", label, label)


def quarter(start_year: int, q: int) -> Period:
    first = _index(f"{start_year}-04") + 3 * (q - 1)
    fy = f"{start_year}-{str(start_year + 1)[2:]}"
    return Period("quarter", _month(first + 2), _month(first), f"{fy} Q{q}", f"{fy}-Q{q}")


def rolling_12(end: str) -> Period:
    start = _month(_index(end) - 11)
    return Period("rolling_12", end, start, f"12 months to {month(end).label}", f"R12-{end}")


def complete_periods(months: set[str], kind: str) -> list[Period]:
    """Every period of `kind` all of whose months are in `months`, oldest first."""
    if not months:
        return []
    if kind == "month":
        return [month(m) for m in sorted(months)]
    candidates: list[Period] = []
    years = sorted({financial_year_of(m) for m in months})
    if kind == "financial_year":
        candidates = [financial_year(y) for y in years]
    elif kind == "quarter":
        candidates = [quarter(y, q) for y in years for q in (1, 2, 3, 4)]
    elif kind == "rolling_12":
        candidates = [rolling_12(m) for m in sorted(months)]
    else:
        raise ValueError(f"Unknown kind of period ‘{kind}’")
    return [p for p in candidates if all(m in months for m in p.months)]


def same_period_last_year(period: Period) -> Period:
    back = lambda m: _month(_index(m) - 12)  # noqa: E731
    if period.kind == "month":
        return month(back(period.end))
    if period.kind == "financial_year":
        return financial_year(financial_year_of(period.start) - 1)
    if period.kind == "quarter":
        return quarter(financial_year_of(period.start) - 1, int(period.key[-1]))
    return rolling_12(back(period.end))
