"""Benchmark: the analysis job as analysts run it, through the application on PostgreSQL.

50,000 answers to one free-text question (the real human-coded NHS patient comments,
../shared/data/text/nhs-patient-feedback, tiled) are stored as consultation responses. Then,
timed step by step through the services the pages call:

1. suggest: the machine suggests nine themes from all 50,000 (a draft codeframe);
2. codeframe: analysts replace them with the human coders' categories, each given the
   examples of a tenth of the distinct comments, and finalise;
3. run: the background job learns, assigns every answer, and writes 50,000 coded texts and
   their themes;
4. blind sample: 300 answers drawn at random and coded blind with their human category, the
   agreement (precision, recall, F1 with bootstrap intervals) recomputed after each;
5. report: the summary of responses' figures and quotes.

Prints the figures and writes bench/results/analysis-job.json. Needs PostgreSQL
(BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres); it creates and
drops its own database.

    .venv/bin/python bench/analysis/job.py [--answers 50000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "text" / "nhs-patient-feedback" / "text_data.csv"
PG = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "policeplan_bench_analysis"


def psql(sql: str) -> None:
    subprocess.run(
        [str(shutil.which("psql")), PG.replace("postgres://", "postgresql://", 1), "-q", "-c", sql],
        check=True,
        capture_output=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=50_000)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = PG.rsplit("/", 1)[0] + "/" + DB_NAME
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policeplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        result = run(args)
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    out = ROOT / "bench" / "results" / "analysis-job.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


def run(args: argparse.Namespace) -> dict:
    from django.utils import timezone

    from policeplan.analysis import selectors, services
    from policeplan.analysis.models import Theme
    from policeplan.consultations.models import Answer, Question, Response
    from policeplan.consultations.tests.conftest import build
    from policeplan.core.models import User
    from policeplan.plans.demo.loader import load_demo

    load_demo()
    officer = User.objects.get(role="policy_officer", email__endswith="@demo.policeplan.example")
    analyst = User.objects.get(role="analyst", email__endswith="@demo.policeplan.example")
    consultation = build(officer)
    question = Question.objects.get(section__consultation=consultation, kind="free_text")

    with DATA.open(encoding="utf-8") as f:
        rows = [(r["feedback"].strip(), r["label"]) for r in csv.DictReader(f)]
    rows = [r for r in rows if r[0]]
    rng = random.Random(2026)
    rng.shuffle(rows)
    examples = rows[: len(rows) // 10]
    label_of = dict(rows)
    now = timezone.now()
    t = time.perf_counter()
    responses = Response.objects.bulk_create(
        [
            Response(
                consultation=consultation,
                status="submitted",
                reference=f"PCP-B{n:07d}",
                token=uuid.uuid4(),
                submitted_at=now,
                publish_consent="anonymous",
            )
            for n in range(args.answers)
        ],
        batch_size=5000,
    )
    Answer.objects.bulk_create(
        [
            Answer(
                response=r,
                question=question,
                value=rows[n % len(rows)][0],
                text=rows[n % len(rows)][0],
            )
            for n, r in enumerate(responses)
        ],
        batch_size=5000,
    )
    stored = time.perf_counter() - t

    timings: dict[str, float] = {}
    started = time.perf_counter()
    t = time.perf_counter()
    frame = services.codeframe_suggest(
        user=analyst, consultation=consultation, question=question, count=9
    )
    timings["suggest"] = time.perf_counter() - t

    t = time.perf_counter()
    labels = sorted({label for _, label in rows})
    ops = [{"op": "remove", "theme": str(th.lineage)} for th in frame.themes.all()]
    ops += [{"op": "add", "label": label} for label in labels]
    frame = services.codeframe_change(user=analyst, codeframe=frame, operations=ops)
    for label in labels:
        Theme.objects.filter(codeframe=frame, label=label).update(
            examples=[{"text": text} for text, lab in examples if lab == label]
        )
    frame = services.codeframe_finalise(user=analyst, codeframe=frame)
    timings["codeframe"] = time.perf_counter() - t

    t = time.perf_counter()
    started_run = services.analysis_run_start(user=analyst, codeframe=frame)
    done = services.analysis_run_execute(run_id=started_run.pk)
    timings["run"] = time.perf_counter() - t
    assert done.status == "succeeded", done.message

    t = time.perf_counter()
    services.sample_draw(user=analyst, codeframe=frame, size=args.sample, seed=1)
    lineage = {th.label: str(th.lineage) for th in frame.themes.all()}
    while (coded := selectors.sample_next(codeframe=frame)) is not None:
        services.blind_code(user=analyst, coded=coded, themes=[lineage[label_of[coded.text]]])
    timings["blind sample"] = time.perf_counter() - t
    taught = {text for text, _ in examples}
    sampled_taught = sum(1 for c in selectors.sample(codeframe=frame) if c.text in taught)

    t = time.perf_counter()
    report = selectors.results_report(consultation=consultation, min_cell=10)
    timings["report"] = time.perf_counter() - t
    total = time.perf_counter() - started
    frame.refresh_from_db()
    f1 = frame.agreement["f1"]
    counted = report["questions"][0].summary.texts
    return {
        "benchmark": "analysis-job",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "database": "postgresql",
        "answers": args.answers,
        "answers_coded": counted,
        "examples": done.summary["examples"],
        "setup_store_answers_s": round(stored, 1),
        "seconds": {k: round(v, 1) for k, v in timings.items()},
        "total_s": round(total, 1),
        "goal_s": 300,
        "met": total <= 300,
        "blind_sample": args.sample,
        "blind_sample_texts_also_examples": sampled_taught,  # left out of the draw: 0
        "f1": f1,
    }


if __name__ == "__main__":
    main()
