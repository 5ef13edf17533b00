"""Benchmark: how long a `policeplan` command takes to start.

Times `.venv/bin/policeplan check` (Django set up, every app loaded, every URL module imported,
the system checks run) several times, after compiling the bytecode once so that every run
reads cached bytecode as an installed service does. Prints the median wall-clock and CPU
(user + system) seconds, the slowest imports of one run (`python -X importtime`) and whether
a heavy library was loaded at start-up; writes bench/results/startup.json.

    .venv/bin/python bench/startup/run.py [--runs 7]

Goal: ≤ 1 s. On a shared machine the wall-clock time includes waiting for a core, so the
CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
HEAVY = (
    "scipy",
    "sklearn",
    "numpy",
    "duckdb",
    "shapely",
    "vl_convert",
    "weasyprint",
    "pandas",
    "openpyxl",
    "pyarrow",
    "torch",
    "docx",
    "pypdf",
    "lxml",
    "PIL",
    "policeplan.textanalysis.redact",
)
# `policeplan check` as a person runs it (every URL module is imported by the checks), then
# which heavy modules it loaded.
PROBE = """
import sys
from policeplan.cli import main
heavy = sys.argv[1:]
main(["policeplan", "check"])
print("loaded:", " ".join(name for name in heavy if name in sys.modules))
"""


def one_run() -> tuple[float, float]:
    """Wall-clock and CPU seconds of one `policeplan check`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([VENV / "policeplan", "check"], check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def slowest_imports(count: int = 8) -> list[dict[str, object]]:
    """The top-level imports of one `policeplan check` that took longest, with what they
    pulled in (cumulative microseconds, from `python -X importtime`)."""
    run = subprocess.run(
        [VENV / "python", "-X", "importtime", "-m", "policeplan.cli", "check"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    rows = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  "):  # top level only (nested names are indented)
            rows.append({"module": name.strip(), "ms": round(int(cumulative) / 1000, 1)})
    return sorted(rows, key=lambda row: -float(row["ms"]))[:count]  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    # Bytecode once, as an installed service has it (the runs below then only read it).
    subprocess.run(
        [
            VENV / "python",
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            ROOT / "policeplan",
            *Path(VENV.parent / "lib").glob("python3*/site-packages"),
        ],
        check=False,
        capture_output=True,
    )
    one_run()  # warm the file cache
    runs = [one_run() for _ in range(args.runs)]
    walls = [wall for wall, _ in runs]
    cpus = [cpu for _, cpu in runs]
    loaded = (
        subprocess.run(
            [VENV / "python", "-c", PROBE, *HEAVY],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        .stdout.rsplit("loaded:", 1)[1]
        .split()
    )
    results = {
        "benchmark": "startup",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_1min": round(os.getloadavg()[0], 2),
        "command": "policeplan check",
        "runs": args.runs,
        "wall_seconds_median": round(statistics.median(walls), 2),
        "wall_seconds_min": round(min(walls), 2),
        "cpu_seconds_median": round(statistics.median(cpus), 2),
        "heavy_libraries_loaded_at_startup": loaded,
        "slowest_imports": slowest_imports(),
        "goal_seconds": 1.0,
        "goal_met": statistics.median(cpus) <= 1.0,
    }
    print(f"policeplan check, {args.runs} runs (load average {results['load_average_1min']}):")
    print(
        f"  wall median {results['wall_seconds_median']} s (fastest {results['wall_seconds_min']} s),"
        f" CPU median {results['cpu_seconds_median']} s; goal <= 1 s met: {results['goal_met']}"
    )
    print(f"  heavy libraries loaded at start-up: {', '.join(loaded) or 'none'}")
    for row in results["slowest_imports"]:  # type: ignore[attr-defined]
        print(f"  {row['ms']:>8} ms  {row['module']}")
    out = ROOT / "bench" / "results" / "startup.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
