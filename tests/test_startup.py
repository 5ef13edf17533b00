"""Commands start quickly: the heavy libraries load when a page or job first needs them, never
when Django starts or its URLs are imported (bench/startup/run.py measures the time)."""

from __future__ import annotations

import subprocess
import sys

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
)

PROBE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "policeplan.settings"
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(" ".join(name for name in sys.argv[1:] if name in sys.modules))
"""


def test_starting_django_and_loading_every_url_loads_no_heavy_library() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY], capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == [], f"loaded at start-up: {run.stdout.strip()}"
