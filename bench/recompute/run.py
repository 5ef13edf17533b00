"""Benchmark: recompute every street-crime measure for London, the 12 BCUs and the boroughs
over 60 months of about 5 million records, and again after one new month arrives.

The records are the real City of London and Barnet rows from ../shared/data, tiled across
60 months (April 2020 to March 2025) and across real London LSOAs. Five measures count
different crime types. Prints the seconds for a full recompute and for one new month;
writes bench/results/recompute.json.

    .venv/bin/python bench/recompute/run.py [--rows 5000000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tiling import build_file  # noqa: E402

CRIME_TYPES = [
    "Burglary",
    "Violence and sexual offences",
    "Robbery",
    "Anti-social behaviour",
    "Vehicle crime",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"The real data in {SHARED} is needed to build the benchmark file.")
    work = Path(tempfile.mkdtemp(prefix="policeplan-bench-recompute-"))
    os.environ.update(VAR_DIR=str(work / "var"), DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policeplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from policeplan.performance.measures import measures_recompute
    from policeplan.performance.models import MeasureValue
    from policeplan.performance.services import data_import_create, data_import_run

    call_command("migrate", verbosity=0)
    data_import_run(
        data_import_id=data_import_create(
            user=None, kind="ons-lookup", paths=[SHARED / "ons" / "lookups"]
        ).pk
    )
    history = work / "metropolitan-street-60-months.csv"
    rows = build_file(history, args.rows, first_month="2020-04", months=60)
    print(f"Built {rows:,} street rows over 60 months (tiled from real rows)")
    # Import without the measures bound, so the import does not recompute them.
    data_import_run(
        data_import_id=data_import_create(user=None, kind="police-uk", paths=[history]).pk
    )
    bindings = [
        {
            "lineage": f"00000000-0000-0000-0000-00000000000{i}",
            "dataset": "street",
            "unit": "count",
            "categories": [crime],
            "numerator_categories": [],
        }
        for i, crime in enumerate(CRIME_TYPES)
    ]
    started = time.perf_counter()
    stored = measures_recompute(bindings=bindings)
    full = time.perf_counter() - started
    values = sum(stored.values())
    print(f"full recompute: {full:.2f} s for {len(bindings)} measures, {values:,} values stored")

    new_month = work / "2025-04-metropolitan-street.csv"
    build_file(new_month, rows // 60, first_month="2025-04", months=1)
    import duckdb

    duckdb.connect().execute(
        "COPY (SELECT * REPLACE ('2025-04' AS \"Month\") FROM read_csv(?, all_varchar = true)) "
        "TO ? (HEADER)",
        [new_month.as_posix(), (work / "new.csv").as_posix()],
    )
    (work / "new.csv").rename(new_month)
    data_import_run(
        data_import_id=data_import_create(user=None, kind="police-uk", paths=[new_month]).pk
    )
    # As the import does: only the periods that include the new month are recomputed.
    started = time.perf_counter()
    written = measures_recompute(bindings=bindings, months={"street": {"2025-04"}})
    one_month = time.perf_counter() - started
    print(
        f"after one new month: {one_month:.2f} s, {sum(written.values()):,} values replaced "
        "(incremental)"
    )
    results = {
        "benchmark": "recompute",
        "records": rows,
        "measures": len(bindings),
        "areas": "force, 12 BCUs, 33 boroughs",
        "values_stored": values,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "full_seconds": round(full, 2),
        "one_new_month_seconds": round(one_month, 2),
        "one_new_month_values_written": sum(written.values()),
        "goal": "full <= 2 s; one new month <= 0.5 s",
        "goal_met": full <= 2 and one_month <= 0.5,
        "values_in_database": MeasureValue.objects.count(),
    }
    out = ROOT / "bench" / "results" / "recompute.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"goal met: {results['goal_met']}; wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
