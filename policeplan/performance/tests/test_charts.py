"""The one chart definition every app uses: a withheld or missing figure is a gap, never 0;
maps of the same figures shade them alike; the SVG is hidden from screen readers."""

from __future__ import annotations

from policeplan.performance import charts


def _point(end: str, value: float | None) -> dict:
    lower = None if value is None else value * 0.9
    upper = None if value is None else value * 1.1
    return {"end": end, "value": value, "lower": lower, "upper": upper, "label": end}


def test_a_withheld_figure_is_a_gap_in_the_line_not_zero():
    spec = charts.trend_spec(
        [_point("2024-03", 0.5), _point("2024-06", None), _point("2024-09", 0.25)], "percentage"
    )
    drawn = spec["data"]["values"]
    assert [p["value"] for p in drawn] == [50.0, None, 25.0]  # percentages on the axis
    assert drawn[1]["lower"] is None and drawn[1]["upper"] is None
    assert drawn[0]["end"] == "2024-03-01"


def test_a_series_break_is_marked_where_it_happens():
    spec = charts.trend_spec(
        [_point("2024-03", 2.0), _point("2024-06", 3.0)],
        "rate_per_1000",
        [{"month": "2024-04", "label": "New recording system"}],
    )
    rule, text = spec["layer"][2], spec["layer"][3]
    assert rule["data"]["values"] == [{"end": "2024-04-01", "label": "New recording system"}]
    assert rule["mark"]["strokeDash"] and text["encoding"]["text"] == {"field": "label"}


def test_maps_shade_the_same_figures_alike_and_a_withheld_one_white():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, None]
    cuts, legend = charts.bands(values)
    assert len(legend) == 5 and legend[0]["low"] == 1.0 and legend[-1]["high"] == 5.0
    assert charts.shade(None, cuts) == ("#ffffff", charts.BLACK)
    assert charts.shade(1.0, cuts)[0] == charts.SHADES[0][0]
    assert charts.shade(5.0, cuts)[0] == charts.SHADES[4][0]
    assert charts.bands([None, None]) == ([], [])  # nothing shown: no legend, no map
    tiles = [{"x": 0, "y": 0, "value": None, "label": "A", "name": "A", "text": ""}]
    assert charts.tile_map(tiles) == {}


def test_the_svg_is_hidden_from_screen_readers_and_cached():
    spec = charts.trend_spec([_point("2024-03", 2.0), _point("2024-06", 3.0)], "count")
    first = charts.svg(spec)
    assert first.startswith('<svg aria-hidden="true" focusable="false" ')
    assert charts.svg(spec) == first


def test_the_spec_is_safe_inside_a_script_element():
    text = charts.spec_json({"title": "</script><b>&"})
    assert "<" not in text and ">" not in text and "&" not in text


def test_count_bars_keep_their_names_and_whole_numbers():
    spec = charts.count_bars_spec(
        [("Week beginning 2 November 2026", 3), ("Week beginning 9 November 2026", 0)],
        label="week",
        count="Responses",
    )
    assert [v["label"] for v in spec["data"]["values"]] == [
        "Week beginning 2 November 2026",
        "Week beginning 9 November 2026",
    ]
    assert [v["count"] for v in spec["data"]["values"]] == [3, 0]
    assert spec["encoding"]["y"]["sort"] is None  # the table's order
    ranked = charts.count_bars_spec(
        [("A", 1), ("B", 5)], label="theme", count="Texts", by_count=True
    )
    assert ranked["encoding"]["y"]["sort"] == "-x"
    drawn = charts.svg(spec)
    assert drawn.startswith("<svg") and "Week beginning 2 November 2026" in drawn
