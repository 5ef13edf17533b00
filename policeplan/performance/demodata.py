"""Synthetic demonstration data: plausible London volumes for the demo plan's measures, made
from a fixed seed, written in the published MPS and PAS layouts and brought in through the
ordinary importers. Every page says the figures are for demonstration only."""

from __future__ import annotations

import csv
import math
import random
import tempfile
from pathlib import Path
from typing import Any

from policeplan.performance import geography
from policeplan.warehouse import synthetic

# (major, minor, monthly count for a borough of 270,000 people, yearly trend)
CRIMES = [
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", 190, -0.02),
    ("SEXUAL OFFENCES", "RAPE", 28, 0.03),
    ("SEXUAL OFFENCES", "OTHER SEXUAL OFFENCES", 45, 0.02),
    ("DRUG OFFENCES", "TRAFFICKING OF DRUGS", 14, 0.05),
    ("BURGLARY", "RES BURGLARY OF A HOME", 75, -0.06),
]
SURVEY = [
    ("Trust MPS", 0.73, -0.015),
    ('"Good Job" local', 0.55, -0.01),
    ("Treat everyone fairly", 0.66, -0.01),
]
MONTHS = [f"{y}{m:02d}" for y in (2022, 2023, 2024, 2025) for m in range(1, 13)][
    3:39
]  # Apr 2022 to Mar 2025
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


def write_files(folder: Path, seed: int = 2022) -> dict[str, Path]:
    # Inputs for the importers in the publishers' own layouts, made of our own words and
    # figures: not outputs for people, so not passed through policeplan.safecells.
    rng = random.Random(seed)  # noqa: S311 - made-up figures, not secrets
    boroughs = [c for f in geography.config() for c in f.all_boroughs if c != "E09000001"]
    names = geography.configured_borough_names()
    size = {code: rng.uniform(0.6, 1.5) for code in boroughs}  # relative size of each borough
    mps = folder / "demo-mps-borough.csv"
    with mps.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["MajorText", "MinorText", "BoroughName", *MONTHS])
        for code in boroughs:
            for major, minor, base, trend in CRIMES:
                row = []
                for i, month in enumerate(MONTHS):
                    season = 1 + 0.08 * math.sin((int(month[4:]) - 4) / 12 * 2 * math.pi)
                    row.append(_poisson(rng, base * size[code] * season * (1 + trend) ** (i / 12)))
                writer.writerow([major, minor, names[code], *row])
    pas = folder / "demo-pas-borough.csv"
    with pas.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Date", "Survey", "Borough", "Measure", "Proportion", "MPS"])
        for measure, level, trend in SURVEY:
            local = {code: rng.gauss(0, 0.06) for code in boroughs}
            for q, date in enumerate(QUARTERS):
                london = level + trend * q / 4
                for code in boroughs:
                    share = min(0.97, max(0.05, rng.gauss(london + local[code], 0.015)))
                    writer.writerow(
                        [
                            date,
                            "PAS",
                            names[code],
                            measure,
                            f"{share:.2f}".replace(".", ","),
                            f"{london:.2f}".replace(".", ","),
                        ]
                    )
    population = folder / "demo-population-borough.csv"
    with population.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["borough", "year", "population"])
        for code in boroughs:
            for year in (2022, 2023, 2024):
                writer.writerow(
                    [names[code], year, round(270_000 * size[code] * (1.005 ** (year - 2022)))]
                )
    stop_search = folder / "stop-and-search"
    synthetic.write_stop_search(
        stop_search,
        force=geography.config()[0].code,
        months=[f"{m[:4]}-{m[4:]}" for m in MONTHS],
        seed=seed,
    )
    return {"mps-crime": mps, "pas": pas, "population": population, "police-uk": stop_search}


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


def load(*, user: Any = None) -> list[Any]:
    """Configure the geography and import the synthetic files; return the imports."""
    from policeplan.performance.services import (
        data_import_create,
        data_import_run,
        geography_configure,
    )

    geography_configure(user=user)
    results = []
    with tempfile.TemporaryDirectory(prefix="policeplan-demo-data-") as tmp:
        files = write_files(Path(tmp))
        for kind in ("population", "mps-crime", "pas", "police-uk"):
            data_import = data_import_create(
                user=user, kind=kind, paths=[files[kind]], source="Synthetic demonstration data"
            )
            results.append(data_import_run(data_import_id=data_import.pk))
        from policeplan.performance.figures import measure_figures_import

        rng = random.Random(2025)  # noqa: S311 - made-up figures, not secrets
        for lineage, path in write_reported_figures(Path(tmp), rng).items():
            measure_figures_import(user=user, lineage=lineage, path=path)
    return results
