"""Benchmark: the annual report 2023-24 with every demo measure for the force, every BCU and
borough, with its charts, as a web page and as a tagged PDF.

Loads the demo (the real extract of published figures) into its own SQLite database under
var/bench/ the first time, then, in this fresh process, times each stage the way publishing
runs it: assembling the snapshot from the records (cold: the first call in a process loads
the statistics libraries), drawing the charts (cold: the chart cache emptied), rendering the
page's HTML, and making the PDF (WeasyPrint: layout, then writing the tagged file). Prints the
figures and writes bench/results/reports.json. Goal: HTML and PDF in <= 10 s on 2 cores.

    .venv/bin/python bench/reports/run.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench" / "reports.sqlite3"


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
    logging.disable(logging.WARNING)  # WeasyPrint's font subsetting notes
    from django.core.cache import caches
    from django.core.management import call_command
    from django.template.loader import render_to_string

    call_command("migrate", verbosity=0)
    call_command("demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from policeplan.reports import assemble, documents
    from policeplan.reports.models import Report

    report = Report.objects.select_related("plan_version__plan").get(
        kind="annual", period_key="2023-24"
    )
    snapshot, assemble_cold = _timed(lambda: assemble.assemble(report))
    assemble_warm = min(_timed(lambda: assemble.assemble(report))[1] for _ in range(args.repeat))
    caches["default"].clear()
    svgs, charts_cold = _timed(lambda: documents.chart_svgs(snapshot))

    def page() -> str:
        return render_to_string(
            "reports/_body.html",
            {
                "r": snapshot,
                "for_pdf": False,
                "charts": documents.chart_svgs(snapshot),
                "chart_alt": documents.chart_alt,
            },
        )

    html, page_warm = _timed(page)
    import weasyprint
    from django.conf import settings

    source = documents.pdf_html(snapshot, draft=False)
    layout, layout_s = _timed(
        lambda: weasyprint.HTML(string=source, base_url=settings.SITE_URL).render()
    )
    pdf, write_s = _timed(lambda: layout.write_pdf(pdf_variant="pdf/ua-1"))
    measures = assemble.measures_of(snapshot)
    result = {
        "benchmark": "reports",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "report": snapshot["title"],
        "measures": len(measures),
        "area_figures": sum(len(m["areas"]) for m in measures),
        "charts": len(svgs),
        "html_kb": round(len(html.encode()) / 1024),
        "pdf_pages": len(layout.pages),
        "pdf_kb": round(len(pdf) / 1024),
        "assemble_cold_s": round(assemble_cold, 2),
        "assemble_warm_s": round(assemble_warm, 2),
        "charts_cold_s": round(charts_cold, 2),
        "page_html_warm_s": round(page_warm, 2),
        "pdf_layout_s": round(layout_s, 2),
        "pdf_write_s": round(write_s, 2),
    }
    result["html_total_cold_s"] = round(assemble_cold + charts_cold + page_warm, 2)
    result["publish_and_pdf_total_s"] = round(assemble_cold + charts_cold + layout_s + write_s, 2)
    for key, value in result.items():
        print(f"{key:>24}: {value}")
    out = ROOT / "bench" / "results" / "reports.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
