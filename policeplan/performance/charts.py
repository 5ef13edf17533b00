"""Charts from one definition: a Vega-Lite spec per chart, rendered to SVG on the server (so
every chart works without JavaScript and prints), and the same spec for reports. The one
place every app that draws a chart takes it from: dashboards, consultations, analysis and
reports define no chart of their own. Every chart sits beside a table of the same figures."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.core.cache import cache

from policeplan.performance import units

BLUE, LIGHT_BLUE, BLACK = "#1d70b8", "#b3d4ef", "#0b0c0c"
FONT = "Arial, sans-serif"  # the GOV.UK font is not available to the renderer

_AXIS = {
    "labelFont": FONT,
    "titleFont": FONT,
    "labelFontSize": 14,
    "titleFontSize": 14,
    "labelColor": BLACK,
    "titleColor": BLACK,
}


def _scale(unit: str, dataset: str = "") -> tuple[float, str]:
    """The factor from stored figures to the axis, and the axis's title with its unit."""
    return (100.0 if unit == "percentage" else 1.0), units.axis_title(unit, dataset)


def _scaled(x: float | None, factor: float) -> float | None:
    """A figure on the chart's scale; a missing or withheld one stays null (never 0)."""
    return None if x is None else x * factor


def trend_spec(
    points: list[dict[str, Any]],
    unit: str,
    breaks: list[dict[str, str]] | None = None,
    dataset: str = "",
) -> dict[str, Any]:
    """A line for the figures and a band for their 95% intervals, over time; a dashed rule
    and label where the series breaks. A withheld figure is null: the line breaks there."""
    factor, title = _scale(unit, dataset)
    values = [
        {
            "end": p["end"] + "-01",
            "value": _scaled(p["value"], factor),
            "lower": _scaled(p["lower"], factor),
            "upper": _scaled(p["upper"], factor),
            **_tip(p),
        }
        for p in points
    ]
    x = {
        "field": "end",
        "type": "temporal",
        "timeUnit": "yearmonth",
        "title": "Period ending",
        "axis": {**_AXIS, "format": "%b %Y", "labelOverlap": "greedy", "labelSeparation": 12},
    }
    layers: list[dict[str, Any]] = []
    if breaks:
        marks = {"values": [{"end": b["month"] + "-01", "label": b["label"]} for b in breaks]}
        at = {"field": "end", "type": "temporal", "timeUnit": "yearmonth"}
        layers = [
            {
                "data": marks,
                "mark": {"type": "rule", "color": BLACK, "strokeDash": [6, 4], "strokeWidth": 2},
                "encoding": {"x": at},
            },
            {
                "data": marks,
                "mark": {
                    "type": "text",
                    "align": "right",
                    "dx": -4,
                    "y": 8,
                    "font": FONT,
                    "fontSize": 13,
                },
                "encoding": {"x": at, "text": {"field": "label"}},
            },
        ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 640,
        "height": 260,
        "background": "white",
        "data": {"values": values},
        "layer": [
            {
                "mark": {
                    "type": "area",
                    "color": LIGHT_BLUE,
                    "invalid": "break-paths-show-domains",
                },
                "encoding": {
                    "x": x,
                    "y": {"field": "lower", "type": "quantitative", "title": title, "axis": _AXIS},
                    "y2": {"field": "upper"},
                },
            },
            {
                "mark": {
                    "type": "line",
                    "color": BLUE,
                    "strokeWidth": 3,
                    "point": {"color": BLUE, "size": 30},
                    "invalid": "break-paths-show-domains",  # a gap where a figure is withheld
                },
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative", "title": title, "axis": _AXIS},
                    "tooltip": TOOLTIP,
                },
            },
            *layers,
        ],
    }


def trend_since(spec: dict[str, Any], month: str) -> dict[str, Any]:
    """A trend chart cut to the periods ending from `month` (YYYY-MM) on, series breaks
    included: a report's chart of its recent years rather than every year on record."""
    first = month + "-01"

    def recent(data: dict[str, Any]) -> dict[str, Any]:
        return {"values": [v for v in data["values"] if v["end"] >= first]}

    return {
        **spec,
        "data": recent(spec["data"]),
        "layer": [
            {**layer, "data": recent(layer["data"])} if "data" in layer else layer
            for layer in spec["layer"]
        ],
    }


def ranked_spec(bars: list[dict[str, Any]], unit: str, dataset: str = "") -> dict[str, Any]:
    """Areas ranked by their figure, with interval whiskers."""
    factor, title = _scale(unit, dataset)
    values = [
        {
            "area": b["area"],
            "value": b["value"] * factor,
            "lower": b["lower"] * factor,
            "upper": b["upper"] * factor,
            **_tip(b),
        }
        for b in bars
    ]
    y = {
        "field": "area",
        "type": "nominal",
        "sort": {"field": "value", "order": "descending"},
        "title": None,
        "axis": _AXIS,
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 560,
        "height": {"step": 18},
        "background": "white",
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "color": BLUE},
                "encoding": {
                    "y": y,
                    "x": {"field": "value", "type": "quantitative", "title": title, "axis": _AXIS},
                    "tooltip": TOOLTIP,
                },
            },
            {
                "mark": {"type": "rule", "color": BLACK},
                "encoding": {
                    "y": y,
                    "x": {"field": "lower", "type": "quantitative"},
                    "x2": {"field": "upper"},
                },
            },
        ],
    }


# What the interactive chart says of a point on hover: the figures as the table shows them.
TOOLTIP = [
    {"field": "label", "type": "nominal", "title": "Period"},
    {"field": "shown", "type": "nominal", "title": "Figure"},
    {"field": "interval", "type": "nominal", "title": "95% interval"},
]


def count_bars_spec(
    rows: list[tuple[str, int]],
    *,
    label: str,
    count: str,
    step: int = 24,
    by_count: bool = False,
    label_limit: int | None = None,
) -> dict[str, Any]:
    """Horizontal bars of whole-number counts, one a row, named as the table beside the chart
    names them (responses a week, texts a theme): across the page, so long names can be read
    in full. `by_count` puts the largest first; otherwise the rows keep their order."""
    y: dict[str, Any] = {
        "field": "label",
        "type": "nominal",
        "sort": "-x" if by_count else None,
        "title": None,
    }
    config_axis: dict[str, Any] = {"labelFontSize": 14, "titleFontSize": 14}
    if by_count and label_limit:
        y["axis"] = {"labelLimit": label_limit}
    elif label_limit:
        config_axis["labelLimit"] = label_limit
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 420,
        "height": {"step": step},
        "data": {"values": [{"label": name, "count": n} for name, n in rows]},
        "mark": {"type": "bar", "color": BLUE},
        "encoding": {
            "y": y,
            "x": {
                "field": "count",
                "type": "quantitative",
                "title": count,
                "axis": {"tickMinStep": 1, "format": "d"},
            },
        },
        "config": {"font": "Arial", "axis": config_axis},
        "description": f"{count} by {label}",
    }


def _tip(item: dict[str, Any]) -> dict[str, str]:
    return {k: item.get(k, "") for k in ("label", "shown", "interval")}


def spec_json(spec: dict[str, Any]) -> str:
    """The spec as JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(spec, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def svg(spec: dict[str, Any]) -> str:
    """The chart as SVG, hidden from screen readers (the table beside it carries the figures)."""
    key = "chart:" + hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        import vl_convert  # loaded by the first chart, not at start-up

        cached = vl_convert.vegalite_to_svg(spec)
        cached = re.sub(r"^<svg ", '<svg aria-hidden="true" focusable="false" ', cached, count=1)
        cache.set(key, cached, 60 * 60)
    return cached


# Five shades of GOV.UK blue, light to dark, with the text colour that reads on each (AA).
SHADES = [
    ("#d2e2f1", BLACK),
    ("#a5c5e2", BLACK),
    ("#77a9d4", BLACK),
    ("#4a8cc6", BLACK),
    ("#1d70b8", "#ffffff"),
]
TILE, GAP = 52, 4


def bands(values: list[float | None]) -> tuple[list[float], list[dict[str, Any]]]:
    """Fifths of the figures shown (withheld ones are None): the four cut points and the
    legend, one entry per shade. Every map of the same figures shades them alike."""
    shown = sorted(v for v in values if v is not None)
    if not shown:
        return [], []
    cuts = [shown[min(len(shown) - 1, int(len(shown) * q / 5))] for q in range(1, 5)]
    edges = [shown[0], *cuts, shown[-1]]
    return cuts, [{"fill": SHADES[i][0], "low": edges[i], "high": edges[i + 1]} for i in range(5)]


def shade(value: float | None, cuts: list[float]) -> tuple[str, str]:
    """The fill and text colour for a figure; white for a withheld one."""
    if value is None:
        return "#ffffff", BLACK
    return SHADES[sum(value >= c for c in cuts)]


def boundary_spec(areas: list[dict[str, Any]]) -> dict[str, Any]:
    """The areas drawn within their boundaries, shaded as the tile map is. Each area: name,
    geometry (GeoJSON, longitude and latitude) and fill."""
    features = [
        {
            "type": "Feature",
            "geometry": a["geometry"],
            "properties": {"name": a["name"], "fill": a["fill"], "shown": a.get("shown", "")},
        }
        for a in areas
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 620,
        "height": 480,
        "background": "#ffffff",
        "data": {"values": features},
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": BLACK, "strokeWidth": 0.8},
        "encoding": {
            "color": {"field": "properties.fill", "type": "nominal", "scale": None},
            "tooltip": [
                {"field": "properties.name", "type": "nominal", "title": "Borough"},
                {"field": "properties.shown", "type": "nominal", "title": "Figure"},
            ],
        },
        "config": {"view": {"stroke": None}},
    }


def tile_map(tiles: list[dict[str, Any]]) -> dict[str, Any]:
    """Squares at each area's place on the tile grid, shaded by fifths of the figures shown.
    Each tile: x, y, label, name, value (None when withheld), text (the figure as shown)."""
    cuts, legend = bands([t["value"] for t in tiles])
    if not legend:
        return {}
    placed = []
    for t in tiles:
        fill, ink = shade(t["value"], cuts)
        placed.append(
            {
                **t,
                "px": t["x"] * (TILE + GAP),
                "py": t["y"] * (TILE + GAP),
                "fill": fill,
                "ink": ink,
            }
        )
    width = max(t["px"] for t in placed) + TILE
    height = max(t["py"] for t in placed) + TILE
    return {"tiles": placed, "width": width, "height": height, "size": TILE, "legend": legend}


def estate_map_spec(
    outlines: list[dict[str, Any]], points: list[dict[str, Any]], *, width: int = 620
) -> dict[str, Any]:
    """Police buildings as points over borough outlines (the list beside the map carries the
    same facts). Outline: name, geometry, highlighted (the borough the page is about). Point:
    name, latitude, longitude, state ("24 hours", "Open today", "Closed")."""
    markers = {
        "24 hours": ("#00703c", "diamond"),
        "Open today": ("#1d70b8", "circle"),
        "Not open today": ("#505a5f", "square"),
        "Closed": ("#d4351c", "cross"),
    }
    present = [s for s in markers if any(p["state"] == s for p in points)]
    features = [
        {
            "type": "Feature",
            "geometry": o["geometry"],
            "properties": {
                "name": o["name"],
                "fill": "#d2e2f1" if o.get("highlighted") else "#f3f2f1",
            },
        }
        for o in outlines
    ]
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": features},
            "mark": {"type": "geoshape", "stroke": "#505a5f", "strokeWidth": 0.6},
            "encoding": {"color": {"field": "properties.fill", "type": "nominal", "scale": None}},
        }
    ]
    if points:
        layers.append(
            {
                "data": {"values": points},
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 140,
                    "stroke": BLACK,
                    "strokeWidth": 0.6,
                },
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "color": {
                        "field": "state",
                        "type": "nominal",
                        "title": "Front counter",
                        "scale": {"domain": present, "range": [markers[s][0] for s in present]},
                    },
                    "shape": {
                        "field": "state",
                        "type": "nominal",
                        "scale": {"domain": present, "range": [markers[s][1] for s in present]},
                    },
                    "tooltip": [
                        {"field": "name", "type": "nominal", "title": "Building"},
                        {"field": "state", "type": "nominal", "title": "Front counter"},
                    ],
                },
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": width,
        "height": int(width * 0.75),
        "background": "#ffffff",
        "projection": {"type": "mercator"},
        "layer": layers,
        "config": {
            "view": {"stroke": None},
            # The map is drawn 620 wide and shown smaller: type large enough to read then.
            "legend": {
                "orient": "bottom",
                "labelFontSize": 20,
                "titleFontSize": 20,
                "symbolSize": 260,
            },
        },
    }
