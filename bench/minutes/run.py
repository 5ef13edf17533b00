"""Benchmark: reading 'ACTION:' lines from minutes, on the lines that once took seconds.

Times `proposed_actions` (the actions and owners a save proposes) and `render_minutes` (the
minutes as a page shows them) over one hostile 'ACTION:' line of each shape at several
lengths, so the figures show time growing in proportion to the length. The owner's pattern
before the rewrite took 5.7 s over 100 capital letters and 16 s over 120, growing with about
the fifth power of the length. Prints the figures and writes bench/results/minutes.json.

    .venv/bin/python bench/minutes/run.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
LENGTHS = (120, 1_000, 10_000, 100_000)
SHAPES: dict[str, Callable[[int], str]] = {
    "capitals": lambda n: "A" * n,
    "mixed case": lambda n: ("AbC" * n)[:n],
    "capitalised words": lambda n: ("Aa " * n)[:n],
    "a name, then 'to'": lambda n: "Tamara Barnett to " + "contact " * (n // 8),
}


def main() -> None:
    from policeplan.scrutiny.minutes import proposed_actions, render_minutes

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the fastest counts")
    args = parser.parse_args()
    rows = []
    for shape, make in SHAPES.items():
        for n in LENGTHS:
            text = f"The committee met.\nACTION: {make(n)}\nThe meeting closed."
            timings = {}
            for name, run in (("proposed_actions", proposed_actions), ("render", render_minutes)):
                best = float("inf")
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    run(text)
                    best = min(best, time.perf_counter() - started)
                timings[f"{name}_ms"] = round(1000 * best, 3)
            rows.append({"shape": shape, "characters": n, **timings})
            print(f"{shape:>20} {n:>8,}  {timings}")
    result = {
        "benchmark": "minutes",
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "repeat": args.repeat,
        "lines": rows,
        "slowest_ms": max(max(r["proposed_actions_ms"], r["render_ms"]) for r in rows),
    }
    out = ROOT / "bench" / "results" / "minutes.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"slowest: {result['slowest_ms']} ms; written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
