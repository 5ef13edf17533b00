"""The kinds of report the office publishes and the period each edition covers: a quarterly
performance update per financial quarter, an annual report per financial year and the
committee's monthly pack per month. Periods are the warehouse's (April to March years)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models

from policeplan.warehouse import periods


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly performance update"
    ANNUAL = "annual", "Annual report"
    MONTHLY = "monthly", "Committee monthly pack"


# The URL segment of each kind's archive.
SLUGS = {
    ReportKind.QUARTERLY: "quarterly-performance-updates",
    ReportKind.ANNUAL: "annual-reports",
    ReportKind.MONTHLY: "committee-packs",
}
KIND_BY_SLUG = {slug: kind for kind, slug in SLUGS.items()}
# The kind of period each report covers, as the warehouse names it.
PERIOD_KIND = {
    ReportKind.QUARTERLY: "quarter",
    ReportKind.ANNUAL: "financial_year",
    ReportKind.MONTHLY: "month",
}
EXAMPLES: dict[str, str] = {
    ReportKind.QUARTERLY: "2025-26-Q2",
    ReportKind.ANNUAL: "2023-24",
    ReportKind.MONTHLY: "2026-03",
}

# ASCII digits only: \d would take Arabic-Indic or full-width digits, which int() reads, and
# make a second edition of a period under another spelling.
_FINANCIAL_YEAR = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_QUARTER = re.compile(r"^([0-9]{4})-([0-9]{2})-Q([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class BadPeriod(ValueError):
    """A period key that is not one of the kind's (the message says what is expected)."""


@dataclass(frozen=True)
class ReportPeriod:
    key: str  # "2023-24", "2025-26-Q2", "2026-03"
    label: str  # "2023-24", "July to September 2025", "March 2026"
    start: str  # first month, YYYY-MM
    end: str  # last month, YYYY-MM


def _year(text: str) -> bool:
    return FIRST_YEAR <= int(text) <= LAST_YEAR


def period_of(kind: str, key: str) -> ReportPeriod:
    """The period a report of this kind covers, from its key; BadPeriod when the key is not
    one (wrong shape, a year whose two halves do not follow, a month out of range)."""
    key = key.strip()
    expected = f"Enter the period like {EXAMPLES.get(kind, '')}" if kind in EXAMPLES else ""
    if kind == ReportKind.ANNUAL:
        found = _FINANCIAL_YEAR.match(key)
        if not found or (int(found[1]) + 1) % 100 != int(found[2]) or not _year(found[1]):
            raise BadPeriod(expected)
        p = periods.financial_year(int(found[1]))
        return ReportPeriod(
            p.key, f"{p.label} (April {p.start[:4]} to March {p.end[:4]})", p.start, p.end
        )
    if kind == ReportKind.QUARTERLY:
        found = _QUARTER.match(key)
        if not found or (int(found[1]) + 1) % 100 != int(found[2]) or not _year(found[1]):
            raise BadPeriod(expected)
        p = periods.quarter(int(found[1]), int(found[3]))
        first = periods.month(p.start).label.split()[0]
        return ReportPeriod(
            p.key, f"{p.label} ({first} to {periods.month(p.end).label})", p.start, p.end
        )
    if kind == ReportKind.MONTHLY:
        found = _MONTH.match(key)
        if not found or not _year(found[1]):
            raise BadPeriod(expected)
        month = f"{found[1]}-{found[2]}"
        return ReportPeriod(month, periods.month(month).label, month, month)
    raise BadPeriod("Choose a kind of report")
