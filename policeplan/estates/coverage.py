"""Share of residents living within a straight-line distance of an open police front counter.

Distances are great-circle ("as the crow flies") distances, not travel times. Residents are
represented by :class:`ResidentPoint` values - normally ONS LSOA population-weighted centroids
read with :func:`read_centroids` - each carrying the number of people it stands for.

This module is deliberately free of Django so it can be used and tested on its own.
"""

from __future__ import annotations

import csv
import math
import pathlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# numpy and shapely load with the first calculation, not at start-up (tests/test_startup.py).

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres
_CHUNK = 4096  # points per numpy block, bounds memory at _CHUNK x len(counters) floats


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class ResidentPoint:
    """A place standing for ``population`` residents, e.g. an LSOA population-weighted centroid."""

    code: str
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class Coverage:
    """Result of :func:`coverage`.

    ``share`` is ``covered / total``, or ``None`` when ``total`` is 0 (no residents known - this
    is never reported as 0). ``nearest_m`` maps each point's code to its distance in metres to the
    nearest counter (``None`` when there are no counters); if codes repeat, the last point wins.
    """

    covered: int
    total: int
    share: float | None
    points: int
    points_covered: int
    nearest_m: dict[str, float | None] = field(default_factory=dict)


def nearest_m(point: ResidentPoint, counters: Sequence[tuple[float, float]]) -> float | None:
    """Distance in metres from ``point`` to the nearest counter ``(lat, lon)``; None if none."""
    return min(
        (distance_m(point.latitude, point.longitude, lat, lon) for lat, lon in counters),
        default=None,
    )


def coverage(
    points: Iterable[ResidentPoint], counters: Sequence[tuple[float, float]], within_m: float
) -> Coverage:
    """Residents whose point lies within ``within_m`` metres (inclusive) of any counter.

    A point is covered when its great-circle distance to at least one counter ``(lat, lon)`` is
    ``<= within_m``. With no counters nothing is covered: the share is then 0.0 if residents are
    known, and ``None`` if the total population is 0. The search is vectorised with numpy; the
    distance to each point's nearest counter is then recomputed with :func:`distance_m`, so the
    threshold comparison agrees exactly with that function.
    """
    if not within_m >= 0:
        raise ValueError(f"within_m must be a non-negative number, not {within_m!r}")
    pts = list(points)
    for p in pts:
        if p.population < 0:
            raise ValueError(f"point {p.code!r} has a negative population ({p.population})")
    total = sum(p.population for p in pts)
    nearest: dict[str, float | None] = {}
    covered = points_covered = 0
    if counters and pts:
        import numpy as np

        c_lat = np.radians(np.array([c[0] for c in counters], dtype=float))
        c_lon = np.radians(np.array([c[1] for c in counters], dtype=float))
        for start in range(0, len(pts), _CHUNK):
            block = pts[start : start + _CHUNK]
            p_lat = np.radians(np.array([p.latitude for p in block], dtype=float))[:, None]
            p_lon = np.radians(np.array([p.longitude for p in block], dtype=float))[:, None]
            hav = (
                np.sin((c_lat - p_lat) / 2) ** 2
                + np.cos(p_lat) * np.cos(c_lat) * np.sin((c_lon - p_lon) / 2) ** 2
            )
            for p, idx in zip(block, np.argmin(hav, axis=1).tolist(), strict=True):
                d = distance_m(p.latitude, p.longitude, *counters[idx])
                nearest[p.code] = d
                if d <= within_m:
                    covered += p.population
                    points_covered += 1
    else:
        nearest = dict.fromkeys((p.code for p in pts), None)
    return Coverage(
        covered=covered,
        total=total,
        share=covered / total if total else None,
        points=len(pts),
        points_covered=points_covered,
        nearest_m=nearest,
    )


# --- ONS LSOA population-weighted centroid files ------------------------------------------


class CentroidError(ValueError):
    """A centroid file could not be read; the message names the file, line and field."""


_CODE_RE = re.compile(r"LSOA\d\dCD", re.IGNORECASE)
_LAT_NAMES, _LON_NAMES = ("lat", "latitude"), ("long", "lon", "longitude")
_WGS84_BOX = ((-9.0, 3.0), (49.0, 61.0))  # (longitude, latitude) ranges, Great Britain
_BNG_BOX = ((0.0, 700_000.0), (0.0, 1_300_000.0))  # (easting, northing) ranges


def read_centroids(path: pathlib.Path) -> dict[str, tuple[float, float]]:
    """Read an ONS "LSOA population weighted centroids" CSV into ``{code: (lat, lon)}`` (WGS84).

    The code column is any header matching ``LSOA\\d\\dCD`` (any case). Coordinates come from
    ``LAT``/``LONG`` columns when present, otherwise from ``X``/``Y``, which are taken as WGS84
    longitude/latitude or British National Grid easting/northing (EPSG:27700) according to the
    first data row, and every row must then fit that system. BNG is converted with
    :func:`_bng_to_wgs84`. Any problem raises :class:`CentroidError`; nothing partial is returned.
    """
    name = path.name

    def fail(line: int, fld: str | None, msg: str) -> CentroidError:
        return CentroidError(f"{name}, line {line}{f', field {fld}' if fld else ''}: {msg}")

    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise fail(1, None, "the file is empty")
        header = [h.strip() for h in header]
        lower = [h.lower() for h in header]
        codes = [i for i, h in enumerate(header) if _CODE_RE.fullmatch(h)]
        if len(codes) != 1:
            found = "no" if not codes else "more than one"
            raise fail(1, "LSOAnnCD", f"{found} LSOA code column (such as LSOA11CD or LSOA21CD)")
        lat_i = next((lower.index(n) for n in _LAT_NAMES if n in lower), None)
        lon_i = next((lower.index(n) for n in _LON_NAMES if n in lower), None)
        if lat_i is not None or lon_i is not None:
            wanted = {"LONG": lon_i, "LAT": lat_i}
        else:
            wanted = {"X": lower.index("x") if "x" in lower else None}
            wanted["Y"] = lower.index("y") if "y" in lower else None
        missing = [k for k, v in wanted.items() if v is None]
        if missing:
            raise fail(1, "/".join(missing), "no such coordinate column in the header")
        (xf, xi), (yf, yi) = [(header[v], v) for v in wanted.values() if v is not None]
        rows: list[tuple[int, str, float, float]] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            values = []
            for fld, i in ((header[codes[0]], codes[0]), (xf, xi), (yf, yi)):
                if i >= len(row) or not row[i].strip():
                    raise fail(line, fld, "missing value")
                values.append(row[i].strip())
            nums = []
            for fld, raw in ((xf, values[1]), (yf, values[2])):
                try:
                    num = float(raw)
                except ValueError:
                    num = math.nan
                if not math.isfinite(num):
                    raise fail(line, fld, f"{raw!r} is not a number")
                nums.append(num)
            rows.append((line, values[0], nums[0], nums[1]))
    if not rows:
        raise fail(2, None, "the file has a header but no data rows")
    box, system = _WGS84_BOX, "WGS84 longitude/latitude"
    if "LAT" not in wanted and not _inside(_WGS84_BOX, rows[0][2], rows[0][3]):
        box, system = _BNG_BOX, "British National Grid easting/northing"
    result: dict[str, tuple[float, float]] = {}
    first_line: dict[str, int] = {}
    for line, code, x, y in rows:
        for fld, v, (lo, hi) in ((xf, x, box[0]), (yf, y, box[1])):
            if not lo <= v <= hi:
                raise fail(line, fld, f"{v:g} is outside {lo:g}..{hi:g} ({system})")
        if code in first_line:
            raise fail(
                line,
                header[codes[0]],
                f"duplicate code {code!r} (first on line {first_line[code]})",
            )
        first_line[code] = line
        result[code] = (y, x) if box is _WGS84_BOX else _bng_to_wgs84(x, y)
    return result


def _inside(box: tuple[tuple[float, float], tuple[float, float]], x: float, y: float) -> bool:
    return box[0][0] <= x <= box[0][1] and box[1][0] <= y <= box[1][1]


def _bng_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """British National Grid (OSGB36) easting/northing to WGS84 ``(lat, lon)`` in degrees.

    Inverse transverse Mercator on the Airy 1830 ellipsoid followed by the standard OSGB36 to
    WGS84 Helmert transformation (Ordnance Survey, "A guide to coordinate systems in Great
    Britain"). Accurate to a few metres - ample for population-weighted centroids.
    """
    a, b, f0 = 6_377_563.396, 6_356_256.909, 0.9996012717
    lat0, lon0, e0, n0 = math.radians(49.0), math.radians(-2.0), 400_000.0, -100_000.0
    e2, n = 1 - (b * b) / (a * a), (a - b) / (a + b)

    def meridional(phi: float) -> float:
        dp, sp = phi - lat0, phi + lat0
        m = (1 + n + 1.25 * n**2 + 1.25 * n**3) * dp
        m -= (3 * n + 3 * n**2 + 2.625 * n**3) * math.sin(dp) * math.cos(sp)
        m += (1.875 * n**2 + 1.875 * n**3) * math.sin(2 * dp) * math.cos(2 * sp)
        return b * f0 * (m - 35 / 24 * n**3 * math.sin(3 * dp) * math.cos(3 * sp))

    phi = lat0 + (northing - n0) / (a * f0)
    while abs(northing - n0 - meridional(phi)) >= 1e-5:
        phi += (northing - n0 - meridional(phi)) / (a * f0)
    s, t = math.sin(phi), math.tan(phi)
    nu = a * f0 / math.sqrt(1 - e2 * s * s)
    rho = a * f0 * (1 - e2) / (1 - e2 * s * s) ** 1.5
    eta2, sec, de = nu / rho - 1, 1 / math.cos(phi), easting - e0
    lat = (
        phi
        - t / (2 * rho * nu) * de**2
        + t / (24 * rho * nu**3) * (5 + 3 * t**2 + eta2 - 9 * t**2 * eta2) * de**4
        - t / (720 * rho * nu**5) * (61 + 90 * t**2 + 45 * t**4) * de**6
    )
    lon = (
        lon0
        + sec / nu * de
        - sec / (6 * nu**3) * (nu / rho + 2 * t**2) * de**3
        + sec / (120 * nu**5) * (5 + 28 * t**2 + 24 * t**4) * de**5
        - sec / (5040 * nu**7) * (61 + 662 * t**2 + 1320 * t**4 + 720 * t**6) * de**7
    )
    # Airy 1830 geodetic -> cartesian, Helmert OSGB36 -> WGS84, cartesian -> GRS80 geodetic.
    nu_a = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    x1 = nu_a * math.cos(lat) * math.cos(lon)
    y1 = nu_a * math.cos(lat) * math.sin(lon)
    z1 = nu_a * (1 - e2) * math.sin(lat)
    sc = 1 - 20.4894e-6
    rx, ry, rz = (math.radians(v / 3600) for v in (0.1502, 0.2470, 0.8421))
    x2 = 446.448 + sc * x1 - rz * y1 + ry * z1
    y2 = -125.157 + rz * x1 + sc * y1 - rx * z1
    z2 = 542.060 - ry * x1 + rx * y1 + sc * z1
    a2, b2 = 6_378_137.0, 6_356_752.3141
    e2w, p = 1 - (b2 * b2) / (a2 * a2), math.hypot(x2, y2)
    phi = math.atan2(z2, p * (1 - e2w))
    for _ in range(10):
        phi = math.atan2(z2 + e2w * a2 / math.sqrt(1 - e2w * math.sin(phi) ** 2) * math.sin(phi), p)
    return math.degrees(phi), math.degrees(math.atan2(y2, x2))


# --- Demo approximation -------------------------------------------------------------------

_MAX_GRID = 1_000_000


def even_spread_points(
    code_prefix: str, geometry: dict, population: int, spacing_m: float = 500
) -> list[ResidentPoint]:
    """DEMO ONLY: pretend residents are spread evenly across an area, as grid points.

    This assumes residents are spread evenly across the whole area, which is not true (parks,
    rivers and industrial land have nobody; estates have many). It exists only for the demo,
    which ships no LSOA population-weighted centroids; real figures must use
    :func:`read_centroids`.

    ``geometry`` is a GeoJSON Polygon or MultiPolygon in WGS84 lon/lat. A regular grid of points
    ``spacing_m`` apart (metres turned into degrees at the middle latitude of the bounding box)
    is laid over it and the points inside are kept; if none is, the representative point is used.
    ``population`` is shared out in whole people as evenly as possible, summing exactly to it.
    Codes are ``f"{code_prefix}-{i:04d}"``.
    """
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"expected a Polygon or MultiPolygon, not {geometry.get('type')!r}")
    if population < 0 or not spacing_m > 0:
        raise ValueError("population must be >= 0 and spacing_m > 0")
    import numpy as np
    import shapely
    from shapely.geometry import shape

    area = shape(geometry)
    if area.is_empty:
        raise ValueError("the geometry is empty")
    min_lon, min_lat, max_lon, max_lat = area.bounds
    dlat = math.degrees(spacing_m / EARTH_RADIUS_M)
    dlon = dlat / math.cos(math.radians((min_lat + max_lat) / 2))
    lats = np.arange(min_lat + dlat / 2, max_lat, dlat)
    lons = np.arange(min_lon + dlon / 2, max_lon, dlon)
    if len(lats) * len(lons) > _MAX_GRID:
        raise ValueError(f"spacing_m={spacing_m} gives more than {_MAX_GRID:,} grid points")
    grid_lon, grid_lat = (g.ravel() for g in np.meshgrid(lons, lats))
    inside = shapely.contains_xy(area, grid_lon, grid_lat)
    coords = list(zip(grid_lat[inside].tolist(), grid_lon[inside].tolist(), strict=True))
    if not coords:
        rep = area.representative_point()
        coords = [(rep.y, rep.x)]
    base, extra = divmod(population, len(coords))
    return [
        ResidentPoint(f"{code_prefix}-{i:04d}", lat, lon, base + (1 if i < extra else 0))
        for i, (lat, lon) in enumerate(coords)
    ]
