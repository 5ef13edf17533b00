"""Benchmark: 50,000 answers suggested, assigned and scored by the default engine.

Tiles the real human-coded NHS patient comments (../shared/data/text/nhs-patient-feedback)
to 50,000 answers; takes a tenth of the distinct comments, with their human categories, as
the analysts' examples; then times, in one run: suggesting nine themes from all 50,000,
learning from the examples, assigning all 50,000, and scoring agreement with the human
coding (precision, recall and F1 with bootstrap intervals) on the answers whose comment was
not an example. Prints the figures and writes bench/results/analysis.json.

    .venv/bin/python bench/analysis/run.py [--answers 50000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "text" / "nhs-patient-feedback" / "text_data.csv"


def main() -> None:
    from policeplan.textanalysis.engine import Example, engine_named
    from policeplan.textanalysis.metrics import agreement

    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=50_000)
    parser.add_argument("--example-share", type=float, default=0.1)
    args = parser.parse_args()
    with DATA.open(encoding="utf-8") as f:
        rows = [(r["feedback"].strip(), r["label"]) for r in csv.DictReader(f)]
    rows = [r for r in rows if r[0]]
    rng = random.Random(2026)
    rng.shuffle(rows)
    cut = int(len(rows) * args.example_share)
    examples, others = rows[:cut], rows[cut:]
    answers = [rows[i % len(rows)] for i in range(args.answers)]
    held_back = {text for text, _ in others}
    texts = [text for text, _ in answers]

    timings: dict[str, float] = {}
    started = time.perf_counter()
    engine = engine_named("tfidf")
    t = time.perf_counter()
    themes = engine.suggest(texts, count=9)
    timings["suggest"] = time.perf_counter() - t
    t = time.perf_counter()
    engine.fit([Example(text, {label}) for text, label in examples])
    timings["learn"] = time.perf_counter() - t
    t = time.perf_counter()
    assigned = engine.assign(texts)
    timings["assign"] = time.perf_counter() - t
    t = time.perf_counter()
    scored = [
        (label, row)
        for (text, label), row in zip(answers, assigned, strict=True)
        if text in held_back
    ]
    score = agreement(
        [{label} for label, _ in scored], [{a.theme for a in row} for _, row in scored]
    )
    timings["score"] = time.perf_counter() - t
    total = time.perf_counter() - started

    figures = {
        "benchmark": "analysis",
        "answers": len(texts),
        "examples": len(examples),
        "scored_answers": len(scored),
        "seconds": {k: round(v, 2) for k, v in timings.items()} | {"total": round(total, 2)},
        "f1": score.f1.__dict__,
        "precision": score.precision.__dict__,
        "recall": score.recall.__dict__,
        "themes_suggested": [t.label for t in themes],
        "goal": "50,000 answers suggested, assigned and scored in <= 300 s",
        "goal_met": total <= 300,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
    }
    for key, value in figures.items():
        print(f"{key:>18}: {value}")
    out = ROOT / "bench" / "results" / "analysis.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
