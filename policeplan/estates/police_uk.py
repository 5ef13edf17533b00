"""Police buildings ("locations") from data.police.uk, for importing a force's police stations
into the estate register.

The API has no force-level list of buildings: each neighbourhood document
(GET /api/{force}/{neighbourhood_id}, https://data.police.uk/docs/method/neighbourhood/) carries
a `locations` array, and GET /api/{force}/neighbourhoods lists the neighbourhoods ({id, name}).
So a force's buildings are read neighbourhood by neighbourhood and merged; a station serving
several neighbourhoods is listed under each.

Each location item has name, address, postcode, latitude, longitude (strings), type ("station"),
description and telephone; any may be null or empty. The API gives no id for a location, so
`Location.source_id` is built from the normalised name and postcode (or address when the
postcode is missing): "charing-cross-police-station/WC2N4JP". It holds nothing about the force
(a saved file does not say which force it came from): keep it beside the force id.

Everything from the server is treated as hostile: shapes are checked, neighbourhood ids are
quoted into paths, text is cleaned of control characters and capped in length, and bodies
are capped in size.
"""

from __future__ import annotations

import html
import http.client
import json
import math
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import nh3

from policeplan.warehouse.download import Client, DownloadError

MAX_BYTES = 20 * 1024 * 1024  # a neighbourhood document is a few kilobytes
MAX_LENGTHS = {"name": 200, "address": 500, "telephone": 50, "type": 50, "description": 200_000}
MAX_DESCRIPTION = 5000  # characters of plain text, once the HTML is stripped
FORCE_ID = re.compile(r"[a-z0-9-]{1,60}")
POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
BLOCK_END = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)


class LocationsError(ValueError):
    """The data could not be read: the message names the URL or file and what was wrong."""


@dataclass(frozen=True)
class Location:
    source_id: str
    name: str
    address: str
    postcode: str
    latitude: float | None
    longitude: float | None
    kind: str
    telephone: str
    description: str
    neighbourhoods: tuple[str, ...] = ()


def parse_neighbourhood(doc: object, *, where: str) -> list[Location]:
    """The locations of one neighbourhood document (neighbourhood id taken from its `id`)."""
    neighbourhood = doc.get("id") if isinstance(doc, dict) else None
    return _parse(doc, where, _text(neighbourhood, 200) if isinstance(neighbourhood, str) else "")


def fetch_force_locations(
    client: Client, force: str, *, progress: Callable[[int, int], None] | None = None
) -> list[Location]:
    """Every location of `force`, fetched neighbourhood by neighbourhood and merged."""
    if not isinstance(force, str) or not FORCE_ID.fullmatch(force):
        raise LocationsError(f"{force!r} is not a force id (lower-case letters, digits, hyphens)")
    list_path = f"/api/{force}/neighbourhoods"
    listing = _get_json(client, list_path)
    if not isinstance(listing, list):
        raise LocationsError(f"{list_path}: expected a list of neighbourhoods")
    ids: list[str] = []
    for index, item in enumerate(listing):
        raw = item.get("id") if isinstance(item, dict) else None
        if not isinstance(raw, str) or raw.strip() in {"", ".", "..", "neighbourhoods"}:
            raise LocationsError(f"{list_path}: neighbourhood [{index}] has no usable id")
        if len(raw) > 200:
            raise LocationsError(f"{list_path}: neighbourhood [{index}] id is too long")
        ids.append(raw)
    found: list[Location] = []
    for done, neighbourhood in enumerate(ids, start=1):
        path = f"/api/{force}/{urllib.parse.quote(neighbourhood, safe='')}"
        found.extend(_parse(_get_json(client, path), path, neighbourhood))
        if progress is not None:
            progress(done, len(ids))
    return _merge(found)


def read_locations_file(path: Path) -> list[Location]:
    """Locations from a saved file: one neighbourhood document, a list of them, or a dict
    {neighbourhood_id: document}."""
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise LocationsError(f"{path}: could not be read ({error.strerror or error})") from None
    return read_locations_bytes(body, where=str(path))


def read_locations_bytes(body: bytes, *, where: str) -> list[Location]:
    """Locations from saved JSON (an uploaded file): one neighbourhood document, a list of
    them, or a dict {neighbourhood_id: document}; errors name `where`."""
    doc = _decode(body, where)
    found: list[Location] = []
    if isinstance(doc, dict) and "locations" in doc:
        found = parse_neighbourhood(doc, where=where)
    elif isinstance(doc, list):
        for index, item in enumerate(doc):
            found.extend(parse_neighbourhood(item, where=f"{where} [{index}]"))
    elif isinstance(doc, dict):
        for key, item in doc.items():
            found.extend(_parse(item, f"{where} [{key!r}]", _text(key, 200)))
    else:
        raise LocationsError(f"{where}: expected a neighbourhood document, a list or a dict")
    return _merge(found)


def _get_json(client: Client, path: str) -> object:
    url = client.base_url.rstrip("/") + path
    try:
        with client._open(path) as response:
            body = response.read(MAX_BYTES + 1)
    except DownloadError as error:
        raise LocationsError(str(error)) from None
    except (OSError, http.client.HTTPException) as error:
        raise LocationsError(f"{url} could not be read: {error!r}") from None
    return _decode(body, url)


def _decode(body: bytes, where: str) -> object:
    if len(body) > MAX_BYTES:
        raise LocationsError(f"{where}: larger than {MAX_BYTES:,} bytes")
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise LocationsError(f"{where}: not JSON") from None


def _parse(doc: object, where: str, neighbourhood: str) -> list[Location]:
    if not isinstance(doc, dict):
        raise LocationsError(f"{where}: expected a neighbourhood document (a JSON object)")
    items = doc.get("locations")
    if not isinstance(items, list):
        raise LocationsError(f"{where}: 'locations' is not a list")
    locations = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise LocationsError(f"{where}: location [{index}] is not an object")
        try:
            locations.append(_location(item, neighbourhood))
        except LocationsError as error:
            raise LocationsError(f"{where}: location [{index}]: {error}") from None
    return locations


def _location(item: dict, neighbourhood: str) -> Location:
    fields = {}
    for key, limit in MAX_LENGTHS.items():
        value = item.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            raise LocationsError(f"'{key}' is not text")
        fields[key] = "" if value is None else _text(str(value), limit)
    address = _address(fields["address"])
    name = " ".join(fields["name"].split()) or address.split(", ")[0]
    if not name:
        raise LocationsError("has neither a name nor an address")
    postcode = _postcode(item.get("postcode"))
    latitude, longitude = _coordinates(item.get("latitude"), item.get("longitude"))
    key = postcode.replace(" ", "") or _slug(address)[:120]
    return Location(
        source_id=f"{_slug(name)[:120]}/{key}",
        name=name,
        address=address,
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
        kind=" ".join(fields["type"].split()),
        telephone=" ".join(fields["telephone"].split()),
        description=_plain(fields["description"]),
        neighbourhoods=(neighbourhood,) if neighbourhood else (),
    )


def _text(value: str, limit: int) -> str:
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))[:limit]


def _address(value: str) -> str:
    parts = (" ".join(part.split()) for part in re.split(r"[\n,]", value))
    return ", ".join(part for part in parts if part)


def _postcode(value: object) -> str:
    if not isinstance(value, str):
        return ""
    match = POSTCODE.fullmatch("".join(value.upper().split()))
    return f"{match[1]} {match[2]}" if match else ""


def _coordinate(value: object, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        number = float(value.strip()[:40] if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def _coordinates(latitude: object, longitude: object) -> tuple[float | None, float | None]:
    lat, lon = _coordinate(latitude, 49.0, 61.0), _coordinate(longitude, -9.0, 3.0)
    return (lat, lon) if lat is not None and lon is not None else (None, None)


def _plain(value: str) -> str:
    cleaned = nh3.clean(BLOCK_END.sub(" ", value), tags=set())
    return " ".join(html.unescape(cleaned).split())[:MAX_DESCRIPTION]


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")


def _merge(locations: Iterable[Location]) -> list[Location]:
    """One Location per source_id, in first-seen order: the first copy's details, coordinates
    from a later copy when the first had none, and every neighbourhood it was listed under."""
    merged: dict[str, Location] = {}
    for location in locations:
        seen = merged.get(location.source_id)
        if seen is None:
            merged[location.source_id] = location
            continue
        extra = tuple(n for n in location.neighbourhoods if n not in seen.neighbourhoods)
        merged[location.source_id] = replace(seen, neighbourhoods=seen.neighbourhoods + extra)
        if seen.latitude is None and location.latitude is not None:
            merged[location.source_id] = replace(
                merged[location.source_id],
                latitude=location.latitude,
                longitude=location.longitude,
            )
    return list(merged.values())
