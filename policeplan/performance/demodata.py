"""The demo's performance figures. Real published files (the extract committed with the demo,
or a folder laid out like ../shared/data) come in through the ordinary importers, so every
measure with public data shows the published figures. Only the measures no public data
covers (reported elsewhere: victim satisfaction, knife crime victims under 25, ...) get
figures made up from a fixed seed, stored as made up, so every page showing them says so."""

from __future__ import annotations

import csv
import math
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policeplan.performance import geography

# (kind of import, the paths it reads under the data folder). Those that exist are read: the
# demo's extract holds the stop-and-search months as a zip archive, ../shared/data as a folder.
STEPS: list[tuple[str, list[str]]] = [
    ("ons-lookup", ["ons/lookups"]),
    ("population", ["ons/population-borough/population_clean.csv"]),
    ("tile-grid", ["geography/tile-grid/grid.csv"]),
    ("boundaries", ["geography/boundaries/london-boroughs_1179.geojson"]),
    ("pas", ["mopac-pas/PAS_buroughs.csv"]),
    ("pas", ["mopac-pas/PAS_Total.csv"]),
    (
        "mps-crime",  # both category schemes in one import: the measures are recomputed once
        [
            "mps-recorded-crime/borough/mps_borough_historical.csv",
            "mps-recorded-crime/borough/mps_borough_recent.csv",
            "mps-recorded-crime/borough-old-scheme/borough-historical.csv",
            "mps-recorded-crime/borough-old-scheme/borough-recent.csv",
        ],
    ),
    (
        "police-uk",
        [
            "police-uk/metropolitan/stop-and-search",
            "police-uk/metropolitan/stop-and-search-2023.zip",
        ],
    ),
]
# Quarter ends of the made-up figures (the plan's years, April 2022 to March 2025).
QUARTERS = [
    "30/06/2022",
    "30/09/2022",
    "31/12/2022",
    "31/03/2023",
    "30/06/2023",
    "30/09/2023",
    "31/12/2023",
    "31/03/2024",
    "30/06/2024",
    "30/09/2024",
    "31/12/2024",
    "31/03/2025",
]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method is too slow for large means; the normal approximation is fine above 30.
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


# Measures reported elsewhere: (share or yearly count in a borough of 270,000 people, yearly
# trend, people asked a year in such a borough; None for a count). Made up, like the rest.
REPORTED = {
    "count": (40.0, -0.05, None),  # knife crime with injury, victims under 25
    "percentage": (0.66, -0.01, 250),  # victim satisfaction, feeling safe, charge rates
}
LEVELS = {"Offences resulting in a charge or summons": (0.07, 0.004, 7000)}


def write_reported_figures(folder: Path, rng: random.Random) -> dict[str, Path]:
    """A figures file for each measure of the plan that is reported elsewhere: rolling years
    to each quarter's end, for the areas the measure is reported for."""
    from policeplan.plans import selectors as plan_selectors

    config = geography.config()[0]
    boroughs = [c for c in config.all_boroughs if c != "E09000001"]
    bcus = {
        code: [c for c in members if c != "E09000001"] for code, (_, members) in config.bcus.items()
    }
    ends = [f"{d[6:]}-{d[3:5]}" for d in QUARTERS]
    out = {}
    for measure in plan_selectors.measures_reported_elsewhere():
        level, trend, asked = LEVELS.get(measure["title"], REPORTED[measure["unit"]])
        local = {code: rng.gauss(0, 0.05 if asked else 0.3) for code in boroughs}
        size = {code: rng.uniform(0.6, 1.5) for code in boroughs}
        path = folder / f"reported-{str(measure['lineage'])[:8]}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["area_code", "period_type", "last_month", "numerator", "base"])
            for q, end in enumerate(ends):
                shift = (1 + trend) ** (q / 4) if not asked else 1.0
                figures: dict[str, tuple[int, int]] = {}
                for code in boroughs:
                    if asked:
                        base = round(asked * size[code])
                        share = min(0.97, max(0.02, level + trend * q / 4 + local[code] / 2))
                        figures[code] = (sum(rng.random() < share for _ in range(base)), base)
                    else:
                        mean = level * size[code] * shift * math.exp(local[code])
                        figures[code] = (_poisson(rng, mean), 0)
                areas = {config.code: boroughs, **(bcus if "bcu" in measure["levels"] else {})}
                if "borough" in measure["levels"]:
                    areas.update({code: [code] for code in boroughs})
                for code, members in areas.items():
                    numerator = sum(figures[m][0] for m in members)
                    bases = sum(figures[m][1] for m in members)
                    writer.writerow([code, "rolling_12", end, numerator, bases if asked else ""])
        out[str(measure["lineage"])] = path
    return out


def load(
    *,
    root: Path,
    source: str,
    user: Any = None,
    skipped: Callable[[str, list[str]], None] | None = None,
) -> list[Any]:
    """Configure the geography, import the real files under `root` (the steps whose files
    are absent are passed to `skipped`), then store made-up figures for the measures
    reported elsewhere. Returns the imports, in order."""
    from policeplan.performance.figures import measure_figures_import
    from policeplan.performance.services import (
        data_import_create,
        data_import_run,
        geography_configure,
    )

    geography_configure(user=user)
    results = []
    for kind, paths in STEPS:
        present = [root / p for p in paths if (root / p).exists()]
        if not present:
            if skipped:
                skipped(kind, paths)
            continue
        data_import = data_import_create(user=user, kind=kind, paths=present, source=source)
        results.append(data_import_run(data_import_id=data_import.pk))
    with tempfile.TemporaryDirectory(prefix="policeplan-demo-figures-") as tmp:
        rng = random.Random(2025)  # noqa: S311 - made-up figures, not secrets
        for lineage, path in write_reported_figures(Path(tmp), rng).items():
            measure_figures_import(user=user, lineage=lineage, path=path, made_up=True)
    return results
