"""Benchmark: import a year of Met-sized street-level crime (~1.1 million rows).

The file is built from the real rows in ../shared/data (City of London street files and the
Met's Barnet burglary extract), tiled across the 12 months of 2024 and across real London
LSOAs. In the same run it times:
  - our full import (fingerprint, validation of every row, partitioned Parquet, the swap,
    the catalogue and the coverage refresh),
  - DuckDB's raw CSV → Parquet copy of the same file (the floor),
  - pandas read_csv of the same file (a common yardstick).
Prints rows per second for each and the ratios; writes bench/results/import.json.

    .venv/bin/python bench/import/run.py [--rows 1100000]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_100_000)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"The real data in {SHARED} is needed to build the benchmark file.")
    work = Path(tempfile.mkdtemp(prefix="policeplan-bench-import-"))
    os.environ.update(VAR_DIR=str(work / "var"), DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policeplan.settings")
    import django

    django.setup()
    import duckdb
    import pandas
    from django.core.management import call_command

    from policeplan.performance.models import ImportStatus
    from policeplan.performance.services import data_import_create, data_import_run

    csv_path = work / "metropolitan-street-2024-tiled.csv"
    started = time.perf_counter()
    rows = build_file(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(
        f"Built {csv_path.name}: {rows:,} rows, {size_mb:.0f} MB (tiled from real rows) in {time.perf_counter() - started:.1f} s"
    )

    call_command("migrate", verbosity=0)
    lookup = data_import_create(user=None, kind="ons-lookup", paths=[SHARED / "ons" / "lookups"])
    data_import_run(data_import_id=lookup.pk)

    started = time.perf_counter()
    data_import = data_import_run(
        data_import_id=data_import_create(user=None, kind="police-uk", paths=[csv_path]).pk
    )
    ours = time.perf_counter() - started
    assert data_import.status == ImportStatus.SUCCEEDED, data_import.error
    accepted = data_import.files.get().rows_accepted
    phases = data_import.summary.get("seconds", {})

    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(
        "COPY (SELECT * FROM read_csv(?)) TO ? (FORMAT parquet)",
        [csv_path.as_posix(), (work / "raw.parquet").as_posix()],
    )
    duck = time.perf_counter() - started

    started = time.perf_counter()
    frame = pandas.read_csv(csv_path, dtype=str)
    pandas_seconds = time.perf_counter() - started
    assert len(frame) == rows

    results = {
        "benchmark": "import",
        "rows": rows,
        "file_mb": round(size_mb, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}",
        "ours_seconds": round(ours, 3),
        "ours_rows_per_second": round(rows / ours),
        "ours_rows_accepted": accepted,
        "duckdb_copy_seconds": round(duck, 3),
        "duckdb_copy_rows_per_second": round(rows / duck),
        "pandas_read_csv_seconds": round(pandas_seconds, 3),
        "pandas_rows_per_second": round(rows / pandas_seconds),
        "ratio_ours_to_duckdb_copy": round(ours / duck, 2),
        "ours_phases_seconds": phases,
        "goal": "ours within 3x of DuckDB's raw copy and at least 400,000 rows/s",
    }
    results["goal_met"] = (
        results["ratio_ours_to_duckdb_copy"] <= 3 and results["ours_rows_per_second"] >= 400_000
    )
    print(
        f"our import       {ours:6.2f} s  {results['ours_rows_per_second']:>10,} rows/s  ({accepted:,} accepted)"
    )
    print(f"   phases: {phases}")
    print(f"DuckDB raw copy  {duck:6.2f} s  {results['duckdb_copy_rows_per_second']:>10,} rows/s")
    print(
        f"pandas read_csv  {pandas_seconds:6.2f} s  {results['pandas_rows_per_second']:>10,} rows/s"
    )
    print(
        f"ratio ours / DuckDB copy: {results['ratio_ours_to_duckdb_copy']}x (goal ≤ 3x); goal met: {results['goal_met']}"
    )
    out = ROOT / "bench" / "results" / "import.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
