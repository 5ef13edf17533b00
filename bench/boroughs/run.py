"""Benchmark: the boroughs' pages and what they compute, on the demo (32 boroughs, about 90
buildings with their schedules, about 6,300 resident points, 64 local priorities).

Loads the demo into its own SQLite database under var/bench/ the first time, then, in this
process, times: the local priorities' figures for every menu crime (the dashboards' engine
over the warehouse, cold), one evidence pack from them, a pledge's record since it was made,
the residents near an open counter for every borough on one day, and each public page
through Django's test client (warm: the fastest of --repeat, with its query count). Prints
the figures and writes bench/results/boroughs.json. Goal: every page in <= 1 s warm.

    .venv/bin/python bench/boroughs/run.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench" / "boroughs.sqlite3"
PAGES = [
    "/boroughs/",
    "/boroughs/barnet/",
    "/boroughs/local-priorities/",
    "/boroughs/barnet/local-priorities/{year}/",
    "/front-counters/",
    "/boroughs/barnet/front-counters/",
    "/front-counters/pledges/",
    "/front-counters/residents-nearby/",
    "/estate/disposals/",
    "/front-counters/buildings.csv",
    "/api/v1/estate/buildings",
]


def _timed(run):
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="warm runs; the fastest counts")
    args = parser.parse_args()
    DB.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policeplan.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from policeplan.estates import selectors as estate
    from policeplan.estates.models import Building, ResidentPoint
    from policeplan.plans.localpriorities import selectors as local

    cache.clear()
    figures, figures_cold = _timed(local.menu_figures)
    barnet = next(a for a in local.force_boroughs() if a.name == "Barnet")
    year = local.current_year()
    _, pack_s = _timed(lambda: local.evidence_pack(borough=barnet, year=year, figures=figures))
    (pledge,) = estate.pledges()
    _, history_s = _timed(lambda: estate.pledge_history(pledge))
    today = datetime.date.today()
    _, coverage_s = _timed(lambda: estate.coverage_by_borough(day=today))
    client = Client(HTTP_HOST="localhost")
    pages = {}
    for path in PAGES:
        path = path.format(year=year)
        client.get(path)  # warm: charts drawn, figures cached
        best, queries = None, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                response, seconds = _timed(lambda path=path: client.get(path))
            assert response.status_code == 200, (path, response.status_code)
            best = seconds if best is None else min(best, seconds)
            queries = len(captured)
        pages[path] = {"warm_s": round(best, 3), "queries": queries}
    result = {
        "benchmark": "boroughs",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "buildings": Building.objects.count(),
        "resident_points": ResidentPoint.objects.count(),
        "menu_figures_cold_s": round(figures_cold, 2),
        "evidence_pack_s": round(pack_s, 3),
        "pledge_history_s": round(history_s, 3),
        "coverage_all_boroughs_s": round(coverage_s, 3),
        "pages": pages,
    }
    for key, value in result.items():
        if key != "pages":
            print(f"{key:>26}: {value}")
    for path, figures_ in pages.items():
        print(f"{path:>45}: {figures_['warm_s']:.3f} s, {figures_['queries']} queries")
    out = ROOT / "bench" / "results" / "boroughs.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
