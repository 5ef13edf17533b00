"""What a reader asked to see of a measure (an area, a kind of period, one period), checked
against what the measure has. One rule for every page, download and API answer: a query
for something the measure does not have is answered "not available" with what it does
have, never with the force area or the headline period shown as if they were asked for.

A value that cannot be a code at all (too long, odd characters, given twice) is malformed
(400); a well-formed value the measure has no figures for is not available (404).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from policeplan.warehouse import periods

AREA_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
PERIOD_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
SHOWN_LENGTH = 40  # how much of a bad value a message quotes


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass
class Unavailable(Exception):
    """A query the measure cannot answer: the parameter, the value as asked (shortened), why,
    and what the measure has instead."""

    status: int  # 400 malformed, 404 not available
    parameter: str
    value: str
    message: str
    available: tuple[Option, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "detail": self.message,
            "parameter": self.parameter,
            "value": self.value,
            "available": [{"value": o.value, "label": o.label} for o in self.available],
        }

    def as_text(self) -> str:
        lines = [self.message]
        if self.available:
            lines.append(f"Choose one of these for {self.parameter}:")
            lines += [f"  {o.value}: {o.label}" for o in self.available]
        return "\n".join(lines) + "\n"


def quoted(value: str) -> str:
    """A value as a message may repeat it: printable, and no longer than SHOWN_LENGTH."""
    text = "".join(c if c.isprintable() else "?" for c in value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def single(query: Mapping[str, Any], name: str, options: tuple[Option, ...] = ()) -> str | None:
    """The one value of a parameter, None when absent; given twice, it is malformed (which
    one was meant?), answered with the `options` there are."""
    given = query.getlist(name) if hasattr(query, "getlist") else [query.get(name)]
    values: list[str] = [str(v) for v in given if v is not None]
    if not values:
        return None
    if len(set(values)) > 1:
        raise Unavailable(
            400,
            name,
            quoted(values[0]),
            f"Give one {name}, not {len(values)} different ones.",
            options,
        )
    return values[0]


def area_options(areas: Sequence[Any]) -> tuple[Option, ...]:
    suffix = {"force": " (force area)", "bcu": " (BCU)"}
    return tuple(Option(a.code, a.name + suffix.get(a.level, "")) for a in areas)


def kind_options(kinds: Sequence[str]) -> tuple[Option, ...]:
    return tuple(Option(k, periods.KIND_LABELS[k]) for k in kinds)


def choose_area(value: str | None, areas: Sequence[Any], *, name: str = "area") -> Any:
    """The area asked for among those with figures; None when none was asked for."""
    if value is None or value == "":
        return None
    if not AREA_CODE.match(value):
        raise Unavailable(
            400,
            name,
            quoted(value),
            f"‘{quoted(value)}’ is not an area code (like E09000003 for a borough).",
            area_options(areas),
        )
    found = next((a for a in areas if a.code.lower() == value.lower()), None)
    if found is None:
        raise Unavailable(
            404,
            name,
            value,
            f"This measure has no figures for the area ‘{value}’."
            if areas
            else "This measure has no figures for any area yet.",
            area_options(areas),
        )
    return found


def choose_kind(value: str | None, kinds: Sequence[str], *, name: str = "period") -> str | None:
    """The kind of period asked for among those the measure has; None when none was asked."""
    if value is None or value == "":
        return None
    if value not in periods.KINDS:
        raise Unavailable(
            400,
            name,
            quoted(value),
            f"‘{quoted(value)}’ is not a kind of period: use one of {', '.join(periods.KINDS)}.",
            kind_options(kinds),
        )
    if value not in kinds:
        raise Unavailable(
            404,
            name,
            value,
            f"This measure has no figures by {periods.KIND_LABELS[value].lower()}.",
            kind_options(kinds),
        )
    return value


def choose_period(value: str | None, keys: Sequence[Option], *, name: str = "key") -> str | None:
    """One period (its key, like 2024-25) among those with figures; None when none asked."""
    if value is None or value == "":
        return None
    if not PERIOD_KEY.match(value):
        raise Unavailable(
            400,
            name,
            quoted(value),
            f"‘{quoted(value)}’ is not a period (like 2024-25 or R12-2024-03).",
            tuple(keys),
        )
    if value not in {o.value for o in keys}:
        raise Unavailable(
            404, name, value, f"This measure has no figures for the period ‘{value}’.", tuple(keys)
        )
    return value
