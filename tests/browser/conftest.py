"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser),
pages checked with axe-core from npm."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# for set-up are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is not installed: run 'make test' (it installs Debian's chromium).")
    return path


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, but serving the collected (hashed) static files, as
    WhiteNoise does in production, instead of looking them up with the finders."""
    from django.test.testcases import _StaticFilesHandler
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"), start=False)
    server.thread.static_handler = _StaticFilesHandler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Page:
    """A page plus the console errors it logged (a CSP violation shows up here)."""

    def __init__(self, context, base_url: str) -> None:
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def axe_violations(self) -> list[str]:
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(f"{n['target']}: {n['failureSummary']}" for n in v["nodes"][:3])
            for v in result["violations"]
        ]


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make() -> Page:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return Page(context, live_server.url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo_live(transactional_db):
    from policeplan.plans.demo.loader import DEMO_PASSWORD, load_demo

    load_demo()
    return DEMO_PASSWORD


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in/")
    page.page.get_by_label("Email address").fill(email)
    page.page.get_by_label("Password", exact=True).fill(password)
    page.page.get_by_role("button", name="Sign in").click()


def seed_figures(counts: dict[str, dict[str, int]]) -> object:
    """Give the demo's first MPS measure stored figures: {area code: {period key: count}} for
    the force ('metropolitan') and Barnet ('E09000003'). Returns the measure."""
    from policeplan.performance.models import Area, MeasureValue
    from policeplan.plans.models import Measure
    from policeplan.warehouse import periods, stats

    force = Area.objects.create(
        level="force", code="metropolitan", name="Metropolitan Police Service"
    )
    barnet = Area.objects.create(level="borough", code="E09000003", name="Barnet", parent=force)
    measure = Measure.objects.filter(
        outcome__priority__version__number=2, dataset="mps_crime"
    ).first()
    for area in (force, barnet):
        for key, n in counts[area.code].items():
            p = (
                periods.financial_year(int(key[:4]))
                if "R12" not in key
                else periods.rolling_12(key[4:])
            )
            e = stats.poisson_count(n)
            MeasureValue.objects.create(
                measure_lineage=measure.lineage,
                area=area,
                period_kind=p.kind,
                period_key=p.key,
                period_label=p.label,
                period_start=p.start,
                period_end=p.end,
                value=e.value,
                lower=e.lower,
                upper=e.upper,
                numerator=n,
            )
    return measure
