"""A date and a time typed into a form, as one Europe/London date-time.

GOV.UK asks for a date as day, month and year boxes (`GovukDateField`) and a time as text
("18:00"); `DateTimesMixin` joins each pair into an aware date-time in the service's zone, so
a meeting at 6pm on a day in October is 6pm in London whether the clocks say BST or GMT.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from typing import Any

from django import forms

from policeplan.core.govuk import GovukForm

LONDON = zoneinfo.ZoneInfo("Europe/London")
TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


def time_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text="24-hour clock, for example 09:30 or 18:00",
        max_length=5,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )


def combine(day: datetime.date | None, time: str | None) -> datetime.datetime | None:
    if day is None or not time:
        return None
    match = TIME.match(time.strip())
    if match is None:
        return None
    return datetime.datetime(
        day.year, day.month, day.day, int(match[1]), int(match[2]), tzinfo=LONDON
    )


def split(value: datetime.datetime | None) -> tuple[Any, str]:
    if value is None:
        return None, ""
    local = value.astimezone(LONDON)
    return local.date(), local.strftime("%H:%M")


class DateTimesMixin(GovukForm, forms.Form):
    """Pairs of GOV.UK date input and time field, combined into Europe/London date-times."""

    pairs: tuple[tuple[str, str], ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, _ in self.pairs:
            if data.get(f"{name}_date") is None or f"{name}_time" in self.errors:
                continue
            value = combine(data.get(f"{name}_date"), data.get(f"{name}_time"))
            if value is None:
                self.add_error(f"{name}_time", "Enter a time like 09:30 or 18:00")
            else:
                data[name] = value
        return data

    def initial_from(self, obj: Any) -> None:
        for name, _ in self.pairs:
            day, time = split(getattr(obj, name))
            self.initial[f"{name}_date"] = day
            self.initial[f"{name}_time"] = time
