"""The estate as records: one shape for each thing, used by the CSV downloads, the API and
the pages' schema.org markup, so they always agree."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from markupsafe import Markup

from policeplan.estates import selectors

BUILDING_COLUMNS = (
    "reference",
    "name",
    "address",
    "postcode",
    "borough",
    "borough_code",
    "latitude",
    "longitude",
    "type",
    "status",
    "step_free_access",
    "services",
    "opening_hours",
    "hours_from",
    "open_24_hours",
    "hours_per_week",
    "next_change_on",
    "next_change_hours",
)
DISPOSAL_COLUMNS = (
    "id",
    "building",
    "building_reference",
    "borough",
    "borough_code",
    "decision_reference",
    "decided_on",
    "estimated_receipt",
    "actual_receipt",
    "sold_on",
    "running_cost_saving",
    "withheld",
    "withheld_reason",
    "notes",
)

PLEDGE_COLUMNS = (
    "pledge",
    "rule",
    "at_least",
    "made_on",
    "date",
    "result",
    "kept",
    "since",
    "until",
    "not_kept_in",
    "not_kept_in_codes",
    "not_known_in",
)
PLEDGE_RECORD_COLUMNS = (
    "pledge",
    "rule",
    "at_least",
    "made_on",
    "from",
    "to",
    "result",
    "kept",
    "not_kept_in",
    "not_kept_in_codes",
    "not_known_in",
)


def _result(met: bool | None) -> str:
    return "not known" if met is None else ("kept" if met else "broken")


def pledge_records(day: datetime.date) -> list[dict[str, Any]]:
    """Each pledge checked on `day`: kept, broken, not known (no opening hours recorded) or
    not yet made, since and until when without a break, and the boroughs where it failed."""
    areas, every = selectors.boroughs(), list(selectors.buildings())
    found = []
    for pledge in selectors.pledges():
        made = day >= pledge.made_on
        check = selectors.pledge_check(pledge, day, areas=areas, every=every)
        spell = selectors.spell_on(selectors.pledge_history(pledge, areas=areas, every=every), day)
        failing = check.failing if made else []
        unknown = check.unknown if made else []
        found.append(
            {
                "pledge": pledge.title,
                "rule": pledge.rule,
                "at_least": pledge.at_least,
                "made_on": pledge.made_on,
                "date": day,
                "result": _result(check.met) if made else "not yet made",
                "kept": check.met if made else None,
                "since": spell.starts_on if made and spell else None,
                "until": spell.ends_on if made and spell else None,
                "not_kept_in": [a.name for a in failing],
                "not_kept_in_codes": [a.code for a in failing],
                "not_known_in": [a.name for a in unknown],
            }
        )
    return found


def pledge_record_rows() -> list[dict[str, Any]]:
    """Every pledge's record since it was made, one row per run of days with the same
    result and the same boroughs failing (changes already planned included)."""
    areas, every = selectors.boroughs(), list(selectors.buildings())
    rows = []
    for pledge in selectors.pledges():
        for spell in selectors.pledge_history(pledge, areas=areas, every=every):
            rows.append(
                {
                    "pledge": pledge.title,
                    "rule": pledge.rule,
                    "at_least": pledge.at_least,
                    "made_on": pledge.made_on,
                    "from": spell.starts_on,
                    "to": spell.ends_on,
                    "result": _result(spell.met),
                    "kept": spell.met,
                    "not_kept_in": [a.name for a in spell.failing],
                    "not_kept_in_codes": [a.code for a in spell.failing],
                    "not_known_in": [a.name for a in spell.unknown],
                }
            )
    return rows


def cell(value: Any) -> Any:
    """A value as a CSV cell: numbers stay numbers (so a negative longitude is not taken for
    a formula and escaped), the rest as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def building_record(building: Any, day: datetime.date) -> dict[str, Any]:
    """A building with the opening hours in force on `day` (None: no hours recorded then)."""
    schedule = selectors.schedule_on(building, day)
    weekly = selectors.hours_on(building, day)
    upcoming = [s for s in building.schedules.all() if s.starts_on > day]
    return {
        "reference": building.reference,
        "name": building.name,
        "address": building.address,
        "postcode": building.postcode,
        "borough": building.borough.name,
        "borough_code": building.borough.code,
        "latitude": building.latitude,
        "longitude": building.longitude,
        "type": building.get_kind_display(),
        "status": building.get_status_display(),
        "step_free_access": building.step_free,
        "services": list(building.services),
        "opening_hours": schedule.hours if schedule else None,
        "hours_from": schedule.starts_on if schedule else None,
        "open_24_hours": weekly.is_24_7 if weekly is not None else None,
        "hours_per_week": round(weekly.hours_per_week(), 2) if weekly is not None else None,
        "next_change_on": upcoming[0].starts_on if upcoming else None,
        "next_change_hours": upcoming[0].hours if upcoming else None,
    }


def structured_data(points: Iterable[selectors.AccessPoint], request: HttpRequest) -> Markup:
    """schema.org PoliceStation markup (JSON-LD) for the open access points, with their
    opening hours today; safe inside a <script> element."""
    items = []
    for point in points:
        if point.closed or point.weekly is None:
            continue
        b = point.building
        item: dict[str, Any] = {
            "@type": "PoliceStation",
            "name": b.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": b.address,
                "postalCode": b.postcode,
                "addressCountry": "GB",
            },
            "openingHours": point.weekly.to_schema_org(),
        }
        if b.located:
            item["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": b.latitude,
                "longitude": b.longitude,
            }
        items.append(item)
    if not items:
        return Markup("")
    text = json.dumps({"@context": "https://schema.org", "@graph": items}, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - JSON with <, > and & escaped, for a script element


def decision_links(references: Iterable[str]) -> dict[str, str]:
    """Disposal decision reference -> its page in the decisions log, for those published."""
    from policeplan.scrutiny.selectors_decisions import decisions_list

    wanted = {r for r in references if r}
    if not wanted:
        return {}
    return {
        d.reference: reverse("scrutiny:decision", kwargs={"slug": d.slug})
        for d in decisions_list().filter(reference__in=wanted)
    }
