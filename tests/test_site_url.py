"""`PORT=8080 make run` serves on 8080 and sends links to 8080 (the settings' side of this is
in policeplan/core/tests/test_config.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def test_make_run_serves_and_links_on_the_same_port():
    """scripts/serve (what `make run` starts) exports SITE_URL from PORT before it starts
    the web server and the worker that sends the emails."""
    serve = Path(__file__).resolve().parents[1] / "scripts" / "serve"
    # Run the script's lines up to the first process it starts, then print what it exported.
    lines = serve.read_text().split("supervise_worker() {")[0]
    run = subprocess.run(
        ["/bin/bash", "-c", lines + "\nprintenv SITE_URL"],
        env={"PATH": "/usr/bin:/bin", "PORT": "8080"},
        capture_output=True,
        text=True,
        check=True,
        cwd=serve.parent,
    )
    assert run.stdout.strip() == "http://127.0.0.1:8080"
