"""Every public page is valid HTML: the Nu HTML Checker (the `vnu-jar` npm package, run on the
machine's Java) finds no error on any of them. And each says what it is in its own meta
description (what a search engine shows under its link), not one line for the whole site.

The pages are the ones a member of the public reaches on the full demo (`policeplan demo`:
the plan, its priorities and outcomes, measures with figures, consultations with events,
results and "you said, we did"), found by following every link from the home page as an
anonymous visitor, plus the ones only a form leads to (each questionnaire step, the check and
confirmation pages, an event registration, forms showing their errors, a missing page).
Every public page URL the site has must be among them, so a new page is checked too.
Java starts slowly, so the checker runs once over all the pages, written to a folder.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from policeplan.consultations.tests.conftest import build
from policeplan.consultations.tests.test_respond import about_you, priorities_page
from policeplan.core.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.rendered]

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Public URLs that answer with something other than an HTML page (files, JSON) or only to a
# POST: the checker has nothing to read there.
NOT_PAGES = {
    "core:sign-out",  # POST only
    "plans:document",  # a PDF
    "analysis:results-pdf",
    "dashboards:measure-csv",
    "api-v1:openapi-json",
    "api-v1:plan",
    "api-v1:priorities",
    "api-v1:measures",
    "api-v1:measure",
    "api-v1:areas",
    "api-v1:values",
    "api-v1:meetings",
    "api-v1:meeting",
    "api-v1:actions",
    "api-v1:api-root",  # answered by the documentation page (api-docs)
    "scrutiny:calendar",  # an iCalendar file
    "scrutiny:feed",  # an Atom feed
    "scrutiny:paper-file",  # a paper's attached file
    "scrutiny:actions-csv",  # a CSV file
    "scrutiny:meetings-json",  # Open Civic Data JSON
    "scrutiny:meeting-json",
    "scrutiny:decisions-csv",  # a CSV file
    "scrutiny:decision-document",  # a decision's document
    "api-v1:decisions",
    "api-v1:decision",
    "scrutiny:tracker-csv",  # a CSV file
    "api-v1:recommendations",
    "api-v1:recommendation",
    "api-v1:responses",
    "reports:pdf",  # a report's PDF
    "reports:csv",  # a CSV file
    "reports:docx",  # a Word document
    "reports:summary-pdf",  # an archived summary of responses (a PDF)
    "api-v1:reports",
    "api-v1:report",
    "estates:buildings-csv",  # a CSV file
    "estates:pledges-csv",  # a CSV file
    "metrics",  # Prometheus metrics (text), for the machine itself
    "estates:pledges-record-csv",  # a CSV file
    "plans:local-csv",  # a CSV file
    "estates:disposals-csv",  # a CSV file
    "estates:strategy-document",  # a PDF
    "api-v1:estate-buildings",
    "api-v1:estate-pledges",
    "api-v1:estate-disposals",
    "api-v1:local-priorities",
}
# A page may link to many variants of itself (one per area, period, version pair): a few of
# each are enough, as they share one template.
VARIANTS_PER_PATH = 3


def public_page_names() -> set[str]:
    """Every named URL outside the staff area and Django's admin that answers with a page."""
    names: set[str] = set()

    def walk(patterns, prefix: str = "", namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                inner = f"{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern) and p.name:
                route = prefix + str(p.pattern)
                if not route.startswith("staff/"):
                    names.add(namespace + p.name)

    walk(get_resolver().url_patterns)
    return names - NOT_PAGES


class _Links(HTMLParser):
    """A page's links and its meta descriptions."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.descriptions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "meta" and a.get("name") == "description":
            self.descriptions.append(a.get("content") or "")


def description_problems(pages: dict[str, str]) -> list[str]:
    """Pages without exactly one meta description of 50 to 160 characters, and different
    pages that share one (the same page with errors shown, or another of its areas and
    periods, may share its page's)."""
    problems = []
    by_description: dict[str, set[str]] = {}
    for url, html in pages.items():
        parser = _Links()
        parser.feed(html)
        if len(parser.descriptions) != 1:
            problems.append(f"{url}: {len(parser.descriptions)} meta descriptions")
            continue
        text = parser.descriptions[0]
        if not 50 <= len(text) <= 160:
            problems.append(f"{url}: a description of {len(text)} characters: {text!r}")
        by_description.setdefault(text, set()).add(url.split(" ")[0].partition("?")[0])
    for text, paths in by_description.items():
        if len(paths) > 1:
            problems.append(f"{sorted(paths)} share one description: {text!r}")
    return problems


def _site_path(href: str) -> str | None:
    """The path and query of a link to a page of this site, or None."""
    href = urldefrag(href).url
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(("/staff/", "/django-admin/", "/static/", "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts: list[str]) -> dict[str, str]:
    """Every HTML page reached from `starts` by following links: {path: HTML}."""
    pages: dict[str, str] = {}
    seen = set(starts)
    variants: dict[str, int] = {}
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            path = _site_path(href)
            if path is None or path in seen:
                continue
            bare = path.partition("?")[0]
            if "?" in path:
                if variants.get(bare, 0) >= VARIANTS_PER_PATH:
                    continue
                variants[bare] = variants.get(bare, 0) + 1
            seen.add(path)
            queue.append(path)
    return pages


def _page(response, path: str = "") -> str:
    """The HTML of a page (reached at `path`, when a form's answer was followed there)."""
    assert "text/html" in response.get("Content-Type", ""), response
    if path:
        assert response.request["PATH_INFO"] == path, response.redirect_chain
    return response.content.decode()


def pages_behind_forms(client, officer) -> dict[str, str]:
    """The pages a visitor reaches only by sending a form: a questionnaire answered step by
    step (every step, the check and confirmation pages), saved to come back to, an event
    registration and its cancellation, and forms showing their errors."""
    pages: dict[str, str] = {}
    consultation = build(officer, slug="every-question-kind")
    base = f"/consultations/{consultation.slug}/respond"
    pages[f"{base}/1/ (with errors)"] = _page(client.post(f"{base}/1/", {}))
    assert client.post(f"{base}/1/", about_you(consultation)).status_code == 302
    pages[f"{base}/2/"] = _page(client.get(f"{base}/2/"))
    assert client.post(f"{base}/2/", priorities_page(consultation)).status_code == 302
    pages[f"{base}/about-you/"] = _page(client.get(f"{base}/about-you/"))
    about = {"consent": "anonymous", "name": "Sam Respondent", "email": "sam@example.org"}
    pages[f"{base}/about-you/ (with errors)"] = _page(
        client.post(f"{base}/about-you/", {"email": "not an address"})
    )
    assert client.post(f"{base}/about-you/", about).status_code == 302
    pages[f"{base}/equality/"] = _page(client.get(f"{base}/equality/"))
    assert client.post(f"{base}/equality/", {"age": "25_34"}).status_code == 302
    check = client.get(f"{base}/check/")
    pages[f"{base}/check/"] = _page(check)
    token = re.search(r'name="token" value="([^"]+)"', check.text)
    assert token, "the check page has the response's token"
    sent = client.post(f"{base}/check/", {"token": token[1]}, follow=True)
    pages[f"{base}/sent/"] = _page(sent, f"{base}/sent/")

    one_page = build(officer, slug="one-page", one_page=True)
    url = f"/consultations/{one_page.slug}/respond/"
    pages[url] = _page(client.get(url))

    other = client.__class__()  # a second visitor, who saves and comes back later
    assert other.post(f"{base}/1/", about_you(consultation)).status_code == 302
    later = {**priorities_page(consultation), "save_for_later": "1"}
    pages[f"{base}/saved/"] = _page(other.post(f"{base}/2/", later, follow=True), f"{base}/saved/")

    event = consultation.events.create(
        kind="town_hall",
        title="Town hall meeting",
        venue="City Hall, Kamal Chunchie Way, London E16 1ZE",
        starts_at=consultation.closes_at,
        ends_at=consultation.closes_at,
        capacity=50,
        public_registration=True,
    )
    url = f"/consultations/{consultation.slug}/events/{event.pk}/"
    pages[f"{url} (with errors)"] = _page(client.post(url, {"email": "not an address"}))
    registered = client.post(url, {"name": "Sam", "email": "sam@example.org"}, follow=True)
    pages[f"{url}registered/"] = _page(registered, f"{url}registered/")
    registration = event.registrations.get()
    cancel = f"/consultations/events/cancel/{registration.cancel_token}/"
    pages[cancel] = _page(client.get(cancel))
    pages["/consultations/continue/ (with errors)"] = _page(
        client.post("/consultations/continue/", {"code": "nonsense"})
    )
    pages["/consultations/withdraw/ (with errors)"] = _page(
        client.post("/consultations/withdraw/", {"reference": "nonsense"})
    )
    pages["/sign-in/ (with errors)"] = _page(client.post("/sign-in/", {}))

    # Asking for a committee's alerts: the form with errors, then the pages its emails link to.
    from policeplan.scrutiny.models import Committee, Subscription

    committee = Committee.objects.order_by("pk").first()
    assert committee is not None, "the demo has a committee"
    alerts = f"/scrutiny/{committee.slug}/alerts/"
    pages[f"{alerts} (with errors)"] = _page(client.post(alerts, {"email": "not an address"}))
    asked = client.post(alerts, {"email": "reader@example.org"}, follow=True)
    pages[f"{alerts} (asked)"] = _page(asked)
    token = Subscription.objects.get(email="reader@example.org").token
    for name in ("confirm", "unsubscribe"):
        url = f"/scrutiny/alerts/{name}/{token}/"
        pages[url] = _page(client.get(url))
    # The decisions log with a filter no list offers: the filters with their errors.
    pages["/scrutiny/decisions/ (with errors)"] = _page(
        client.get("/scrutiny/decisions/", {"year": "0", "band": "x"})
    )
    pages[f"/scrutiny/{committee.slug}/questions/ (with errors)"] = _page(
        client.get(f"/scrutiny/{committee.slug}/questions/", {"status": "lost"})
    )
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    pages["/no-such-page/"] = _page(missing)
    return pages


def java() -> str:
    path = shutil.which("java")
    if path is None:
        pytest.fail(
            "Java is not installed, and the Nu HTML Checker runs on it: install a Java 17 "
            "runtime ('sudo apt-get install openjdk-17-jre-headless') and run 'make test'."
        )
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: run 'make setup' (npm ci installs it).")
    return path


def vnu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """Run the Nu HTML Checker once over every page; its errors, each with the page's URL."""
    names: dict[str, str] = {}
    for number, (url, html) in enumerate(pages.items()):
        name = f"page-{number:04d}.html"
        (folder / name).write_text(html, encoding="utf-8")
        names[name] = url
    run = subprocess.run(
        [java(), "-jar", str(VNU), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stderr or run.stdout)
    errors = []
    for message in report["messages"]:
        page = names.get(Path(message.get("url", "")).name, message.get("url", "?"))
        line = message.get("lastLine", "?")
        errors.append(f"{page} line {line}: {message['message']} [{message.get('extract', '')}]")
    if run.returncode not in (0, 1) or (run.returncode == 1 and not errors):
        pytest.fail(f"the Nu HTML Checker failed to run: {run.stderr[-2000:]}")
    return errors


@pytest.fixture
def full_demo(settings):
    """The demo as `policeplan demo` loads it: plan, consultations, analysis, figures."""
    settings.SUBMISSION_RATE_LIMIT = 1_000_000
    call_command("demo", stdout=StringIO())


def test_every_public_page_is_valid_html_and_describes_itself(client, full_demo, tmp_path):
    from policeplan.core.models import User

    officer = User.objects.filter(role=Role.POLICY_OFFICER).first()
    # The home page, and the pages no public page links to: the API's documentation (linked
    # from the data pages' downloads) and the page shown after signing out.
    pages = crawl(client, ["/", "/api/v1/", "/signed-out/"])
    client.logout()
    pages.update(pages_behind_forms(client, officer))

    reached = set()
    for url in pages:
        try:
            reached.add(resolve(url.split(" ")[0].partition("?")[0]).view_name)
        except Resolver404:
            continue
    assert public_page_names() - reached == set(), "public pages no link or form reaches"
    assert len(pages) > 60

    problems = description_problems(pages)
    assert problems == [], "\n".join(problems)

    folder = tmp_path / "pages"
    folder.mkdir()
    errors = vnu_errors(pages, folder)
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors)
