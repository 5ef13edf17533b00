"""Figures for measures the office receives already counted (a victim survey, a partner's
return): read from a CSV, checked row by row, and given the same 95% intervals as computed
figures.

Columns: area_code, period_type (month, quarter, financial_year or rolling_12), last_month
(YYYY-MM, the period's last month), numerator (the count, or the people agreeing), and base
(the survey base for a percentage, the residents for a rate; empty for a count).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policeplan.warehouse import csvfile, periods, stats
from policeplan.warehouse.errors import FileRejected, shown

COLUMNS = ("area_code", "period_type", "last_month", "numerator", "base")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class FigureRow:
    line: int
    area_code: str
    period: periods.Period
    value: float
    lower: float
    upper: float
    numerator: float
    denominator: float | None


def read_figures(path: Path, *, unit: str, name: str = "") -> list[FigureRow]:
    """Every row as a figure with its interval; the first bad row refuses the whole file."""
    name = name or path.name
    header = csvfile.read_header(path, name=name)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise FileRejected(name, f"the columns {', '.join(missing)} are missing", line=1)
    out: list[FigureRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in csvfile.dict_rows(path, name=name):
        figure = _row(name, line, row, unit)
        key = (figure.area_code, figure.period.kind, figure.period.key)
        if key in seen:
            raise FileRejected(name, f"the same area and period as line {seen[key]}", line=line)
        seen[key] = line
        out.append(figure)
    if not out:
        raise FileRejected(name, "the file has no figures")
    return out


def _row(file: str, line: int, row: dict[str, str], unit: str) -> FigureRow:
    def fail(field: str, message: str) -> FileRejected:
        return FileRejected(file, message, line=line, field=field)

    code = (row.get("area_code") or "").strip()
    if not code:
        raise fail("area_code", "enter the area's code")
    kind = (row.get("period_type") or "").strip()
    if kind not in periods.KINDS:
        raise fail("period_type", f"‘{shown(kind)}’ is not one of {', '.join(periods.KINDS)}")
    last = (row.get("last_month") or "").strip()
    if not MONTH.match(last):
        raise fail("last_month", f"‘{shown(last)}’ is not a month like 2024-03")
    period = _period(kind, last)
    if period is None:
        raise fail("last_month", f"{last} is not the last month of a {kind.replace('_', ' ')}")
    numerator = _number(row.get("numerator"), fail, "numerator")
    base_text = (row.get("base") or "").strip()
    if unit == "count":
        if base_text:
            raise fail("base", "a count has no base: leave it empty")
        e = stats.poisson_count(int(numerator))
        return FigureRow(line, code, period, e.value, e.lower, e.upper, numerator, None)
    base = _number(base_text, fail, "base")
    if base <= 0:
        raise fail("base", "the base must be more than 0")
    if unit == "percentage":
        if numerator > base:
            raise fail("numerator", "more people agreeing than the base")
        e = stats.wilson(numerator, base)
    else:
        e = stats.rate(int(numerator), base)
    return FigureRow(line, code, period, e.value, e.lower, e.upper, numerator, base)


def _number(text: str | None, fail: Callable[[str, str], FileRejected], field: str) -> float:
    raw = (text or "").strip().replace(",", "")
    try:
        value = float(raw)
    except ValueError:
        raise fail(field, f"‘{shown(text)}’ is not a number") from None
    if value < 0 or (field == "numerator" and value != int(value)):
        raise fail(field, f"‘{shown(text)}’ must be a whole number, 0 or more")
    return value


def _period(kind: str, last: str) -> periods.Period | None:
    if kind == "month":
        return periods.month(last)
    if kind == "rolling_12":
        return periods.rolling_12(last)
    year = periods.financial_year_of(last)
    candidates = (
        [periods.financial_year(year)]
        if kind == "financial_year"
        else [periods.quarter(year, n) for n in (1, 2, 3, 4)]
    )
    return next((p for p in candidates if p.end == last), None)
