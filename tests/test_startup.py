"""Commands start quickly: the heavy libraries load when a page or job first needs them, never
when Django starts, its URLs are imported or a command such as `policeplan check` runs
(bench/startup/run.py measures the time)."""

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
    "docx",
    "pypdf",
    "lxml",
    "PIL",
    "policeplan.textanalysis.redact",  # its patterns take 0.1 s to compile
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

# The `policeplan` console command as a person runs it, then what it loaded.
CHECK = """
import sys
from policeplan.cli import main
heavy = sys.argv[1:]
main(["policeplan", "check"])
print("loaded:", " ".join(name for name in heavy if name in sys.modules))
"""


def test_starting_django_and_loading_every_url_loads_no_heavy_library() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY], capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == [], f"loaded at start-up: {run.stdout.strip()}"


def test_the_check_command_runs_every_check_without_loading_a_heavy_library() -> None:
    run = subprocess.run(
        [sys.executable, "-c", CHECK, *HEAVY], capture_output=True, text=True, check=True
    )
    assert "System check identified no issues" in run.stdout + run.stderr
    loaded = run.stdout.rsplit("loaded:", 1)[1].split()
    assert loaded == [], f"loaded by 'policeplan check': {' '.join(loaded)}"


def test_the_probes_see_a_heavy_library_once_it_is_loaded() -> None:
    """The probes can fail: a heavy library imported before the check is reported."""
    probe = CHECK.replace("main([", "import scipy.stats; main([")
    run = subprocess.run(
        [sys.executable, "-c", probe, *HEAVY], capture_output=True, text=True, check=True
    )
    assert {"scipy", "numpy"} <= set(run.stdout.rsplit("loaded:", 1)[1].split())
