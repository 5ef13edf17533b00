"""Area boundaries from a GeoJSON file, for maps.

Each feature names its area by an ONS code in its properties (`code`, or a column such as
LAD22CD or LAD24CD) and has a Polygon or MultiPolygon geometry in longitude and latitude
(WGS84, as GeoJSON requires). Geometries are simplified for drawing on a page: about 20 m at
London's latitude, invisible at map size, and far smaller than survey-grade boundaries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from policeplan.warehouse.errors import FileRejected, shown

CODE = re.compile(r"^[EWSN]\d{8}$")
CODE_PROPERTIES = ("code", "gss_code", "LAD24CD", "LAD23CD", "LAD22CD", "LAD21CD", "lad_code")
TOLERANCE = 0.0002  # degrees: about 14 m north-south and 20 m east-west in London


@dataclass(frozen=True)
class Boundary:
    code: str
    name: str
    geometry: dict[str, Any]  # simplified GeoJSON geometry, coordinates rounded to 5 places


def read_boundaries(path: Path, name: str = "") -> list[Boundary]:
    """Every feature's code and simplified geometry; any bad feature refuses the whole file."""
    name = name or path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise FileRejected(name, "the file is not UTF-8 text: save it as GeoJSON") from None
    except RecursionError:
        raise FileRejected(
            name, "the JSON is nested far more deeply than any GeoJSON file: refused"
        ) from None
    except json.JSONDecodeError as error:
        message = f"this is not valid JSON ({error.msg})"
        raise FileRejected(name, message, line=error.lineno) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise FileRejected(name, "a boundary file must be a GeoJSON FeatureCollection")
    features = data.get("features") or []
    if not isinstance(features, list):
        raise FileRejected(name, "‘features’ must be a list of GeoJSON features")
    if not features:
        raise FileRejected(name, "the file holds no features")
    out: list[Boundary] = []
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise FileRejected(name, f"feature {number} is not a GeoJSON feature with properties")
        properties = feature.get("properties") or {}
        where = f"feature {number}"
        key = next((k for k in CODE_PROPERTIES if k in properties), "")
        code = str(properties.get(key, "")).strip() if key else ""
        if not key or not CODE.match(code):
            raise FileRejected(
                name,
                f"{where} has no ONS area code (like E09000003) in ‘code’ or ‘LAD22CD’",
                field="properties.code",
            )
        area_name = str(properties.get("name") or properties.get(f"{key[:-2]}NM", "") or code)
        where = f"feature {number} ({shown(area_name)})"
        if code in seen:
            raise FileRejected(name, f"{where}: {code} appears twice", field=key)
        seen.add(code)
        out.append(Boundary(code, area_name, _geometry(name, feature.get("geometry"), where)))
    return out


def _geometry(name: str, raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("type") not in {"Polygon", "MultiPolygon"}:
        raise FileRejected(name, f"{where}: the geometry must be a Polygon or MultiPolygon")
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError):
        raise FileRejected(name, f"{where}: the coordinates are not a polygon") from None
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise FileRejected(
            name,
            f"{where}: the coordinates are not longitude and latitude (WGS84); convert the file, "
            "for example from British National Grid, first",
        )
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    simple = shapely.set_precision(
        shapely.simplify(geometry, TOLERANCE, preserve_topology=True), 0.00001
    )
    return json.loads(json.dumps(mapping(simple)))  # plain lists, ready to store as JSON
