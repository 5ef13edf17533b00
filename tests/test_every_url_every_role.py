"""Every URL, visited and posted to as every role, gives exactly the access it should.

The table below must name every URL the site has, with who may GET it and who may POST to it:
a new URL without a rule fails the test, so nothing becomes public or writable by accident.
Drafts are 404 (not 403) to those who may not see them, so their existence does not leak.

The POST walk runs with Django's test client as it comes, with CSRF checks off: CSRF is
tested on its own (core/tests/test_security.py), and with it on every tokenless POST would
stop at the middleware and hide a view that forgot its permission check.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import quote, urljoin

import pytest
from django.apps import apps
from django.db import models, transaction
from django.urls import URLPattern, URLResolver, get_resolver

from policeplan.core.roles import ROLE_PERMISSIONS, Perm, Role
from policeplan.plans import services

ROLES = ["anonymous", *Role.values]
pytestmark = pytest.mark.django_db

# Who may POST to a URL: holders of a permission, anyone ("public": questionnaire answers,
# registrations, withdrawal, signing in), or nobody ("none": a page only to read).
PostRule = Perm | Literal["public", "none"]


@dataclass(frozen=True, kw_only=True)
class Rule:
    """Who may GET and who may POST a URL. `perm` None means the public may GET;
    `draft` means drafts apply; `post` has no default, so every URL must say."""

    post: PostRule
    perm: Perm | None = None
    draft: bool = False
    post_only: bool = False
    ok: int = 200  # what a permitted GET returns (302 for a step that needs a session first)
    hidden_unless: Perm | None = None  # 404 (not 403) without this, like drafts

    def _refusal(self, role: str, perm: Perm | None) -> int | None:
        perms = ROLE_PERMISSIONS.get(role, frozenset())
        if perm is not None:
            if role == "anonymous":
                return 302
            if perm not in perms:
                return 403
        if self.draft and Perm.VIEW_DRAFTS not in perms:
            return 404
        if self.hidden_unless is not None and self.hidden_unless not in perms:
            return 404
        return None

    def expected(self, role: str) -> int:
        refused = self._refusal(role, self.perm)
        if refused is not None:
            return refused
        return 405 if self.post_only else self.ok

    def post_refusal(self, role: str) -> int | None:
        """What a POST by this role must get, or None when the role may POST."""
        if self.post == "public":
            return None
        if self.post == "none":
            # Refused as GET refuses it; where GET would be let through, 405 (the method is
            # refused before anything is looked up, so a draft's existence does not leak).
            refused = self._refusal(role, self.perm)
            return refused if refused in (302, 403) else 405
        return self._refusal(role, self.post)


def page(perm: Perm | None = None, **kw) -> Rule:
    """A page only to read: nobody may POST to it."""
    return Rule(perm=perm, post="none", **kw)


def form(perm: Perm, **kw) -> Rule:
    """A staff form: those who may see it may send it."""
    return Rule(perm=perm, post=perm, **kw)


PUBLIC = page()


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    names.add("admin:*")
                    continue
                walk(p.url_patterns, f"{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns)
    return names


@pytest.fixture
def site(demo, users):
    """The demo, plus a new draft (version 3) to test draft visibility."""
    draft = services.plan_version_new_draft(user=users["policy_officer"], plan=demo.plan)
    final = demo
    plan = final.plan

    def version_urls(version, rule_draft):
        priority = version.priorities.first()
        chapter = version.chapters.first()
        document = version.documents.first()
        base = f"/plans/{plan.slug}/v{version.number}"
        documents = (
            {f"{base}/documents/{document.pk}/": ("plans:document", rule_draft)} if document else {}
        )
        return {
            **documents,
            f"{base}/": ("plans:version", rule_draft),
            f"{base}/outcomes-framework/": ("plans:framework", rule_draft),
            f"{base}/delivery/": ("plans:delivery", rule_draft),
            f"{base}/priorities/{priority.slug}/": ("plans:priority", rule_draft),
            f"{base}/chapters/{chapter.slug}/": ("plans:chapter", rule_draft),
        }

    def staff_version_urls(version, is_draft):
        seen = page(Perm.STAFF_AREA, draft=is_draft)
        urls = {f"/staff/versions/{version.pk}/": ("plans:staff-version", seen)}
        for section in [
            "chapters",
            "priorities",
            "commitments",
            "resources",
            "grants",
            "reporting",
            "documents",
        ]:
            urls[f"/staff/versions/{version.pk}/{section}/"] = ("plans:staff-section", seen)
        return urls

    from policeplan.performance.models import DataImport

    data_import = DataImport.objects.create(kind="pas", source="test", summary={"paths": []})
    from policeplan.performance.models import Caveat

    caveat = Caveat.objects.first()
    from policeplan.performance.models import CategoryMapping

    mapping = CategoryMapping.objects.get(source="mps_crime", source_name="DOMESTIC BURGLARY")
    from policeplan.plans.models import Measure

    bound = Measure.objects.filter(outcome__priority__version=final).exclude(dataset="").first()
    commentary = commentary_site(bound, users)
    edit = form(Perm.EDIT_PLANS, draft=True)
    priority = draft.priorities.first()
    outcome = priority.outcomes.first()
    chapter = draft.chapters.first()
    v = draft.pk
    urls = {
        "/": ("plans:public-home", PUBLIC),
        "/sign-in/": ("core:sign-in", Rule(post="public")),
        "/sign-out/": ("core:sign-out", Rule(post_only=True, post="public")),
        "/signed-out/": ("core:signed-out", PUBLIC),
        "/accessibility/": ("core:accessibility", PUBLIC),
        "/privacy/": ("core:privacy", PUBLIC),
        "/cookies/": ("core:cookies", PUBLIC),
        "/contact/": ("core:contact", PUBLIC),
        "/staff/audit/": ("core:audit", page(Perm.VIEW_AUDIT)),
        f"/plans/{plan.slug}/versions/": ("plans:history", PUBLIC),
        f"/plans/{plan.slug}/compare/": ("plans:compare", PUBLIC),
        "/staff/": ("plans:staff-home", page(Perm.STAFF_AREA)),
        "/staff/plans/new/": ("plans:staff-plan-create", form(Perm.EDIT_PLANS)),
        f"/staff/plans/{plan.slug}/new-draft/": (
            "plans:staff-new-draft",
            form(Perm.EDIT_PLANS, post_only=True),
        ),
        f"/staff/versions/{v}/details/": ("plans:staff-version-details", edit),
        f"/staff/versions/{v}/publish/": (
            "plans:staff-publish",
            form(Perm.PUBLISH_PLANS, draft=True),
        ),
        f"/staff/versions/{v}/chapters/add/": ("plans:staff-item-add", edit),
        f"/staff/versions/{v}/outcomes/add/?parent={priority.pk}": ("plans:staff-item-add", edit),
        f"/staff/versions/{v}/measures/add/?parent={outcome.pk}": ("plans:staff-item-add", edit),
        f"/staff/versions/{v}/chapters/{chapter.pk}/edit/": ("plans:staff-item-edit", edit),
        f"/staff/versions/{v}/priorities/{priority.pk}/remove/": ("plans:staff-item-remove", edit),
        f"/staff/versions/{v}/chapters/{chapter.pk}/move/": (
            "plans:staff-item-move",
            form(Perm.EDIT_PLANS, draft=True, post_only=True),
        ),
        "/performance/": ("dashboards:home", PUBLIC),
        "/api/v1/": ("api-docs", PUBLIC),
        "/api/v1/openapi.json": ("api-v1:openapi-json", PUBLIC),
        "/api/v1/plan": ("api-v1:plan", PUBLIC),
        "/api/v1/priorities": ("api-v1:priorities", PUBLIC),
        "/api/v1/measures": ("api-v1:measures", PUBLIC),
        f"/api/v1/measures/{bound.lineage}": ("api-v1:measure", PUBLIC),
        f"/api/v1/measures/{bound.lineage}/values": ("api-v1:values", PUBLIC),
        "/api/v1/areas": ("api-v1:areas", PUBLIC),
        f"/performance/measures/{bound.lineage}/": ("dashboards:measure", PUBLIC),
        f"/performance/measures/{bound.lineage}/download.csv": ("dashboards:measure-csv", PUBLIC),
        "/staff/data/": ("performance:catalogue", page(Perm.IMPORT_DATA)),
        "/staff/data/import/": ("performance:upload", form(Perm.IMPORT_DATA)),
        f"/staff/data/imports/{data_import.pk}/": (
            "performance:import",
            page(Perm.IMPORT_DATA),
        ),
        f"/staff/data/imports/{data_import.pk}/status.json": (
            "performance:import-status",
            page(Perm.IMPORT_DATA),
        ),
        "/staff/data/figures/": ("performance:figures", form(Perm.IMPORT_DATA)),
        "/staff/data/caveats/": ("performance:caveats", page(Perm.IMPORT_DATA)),
        "/staff/data/caveats/add/": ("performance:caveat-add", form(Perm.IMPORT_DATA)),
        f"/staff/data/caveats/{caveat.pk}/": (
            "performance:caveat-edit",
            form(Perm.IMPORT_DATA),
        ),
        f"/staff/data/caveats/{caveat.pk}/remove/": (
            "performance:caveat-remove",
            form(Perm.IMPORT_DATA),
        ),
        "/staff/data/crosswalk/": ("performance:crosswalk", page(Perm.IMPORT_DATA)),
        "/staff/data/crosswalk/add/": ("performance:crosswalk-add", form(Perm.IMPORT_DATA)),
        f"/staff/data/crosswalk/{mapping.pk}/": (
            "performance:crosswalk-edit",
            form(Perm.IMPORT_DATA),
        ),
        "/staff/performance/commentary/": (
            "performance:commentary",
            page(Perm.WRITE_COMMENTARY),
        ),
        commentary: ("performance:commentary-edit", form(Perm.WRITE_COMMENTARY)),
        f"{commentary}approve/": (
            "performance:commentary-approve",
            form(Perm.APPROVE_COMMENTARY, post_only=True),
        ),
        **version_urls(final, PUBLIC),
        **version_urls(final.based_on or final, PUBLIC),
        **version_urls(draft, page(draft=True)),
        **staff_version_urls(final, False),
        **staff_version_urls(draft, True),
    }
    urls.update(consultation_urls(users))
    urls.update(scrutiny_urls(users))
    urls.update(report_urls(final))
    urls.update(estate_urls(users))
    return urls, draft


def commentary_site(measure, users) -> str:
    """A figure for the measure and an analyst's draft commentary on it: the address of the
    commentary's page (its approval is that address and approve/)."""
    from policeplan.performance import commentary
    from policeplan.performance.models import Area, MeasureValue
    from policeplan.warehouse import periods

    force = Area.objects.create(level="force", code="metropolitan", name="Metropolitan Police")
    p = periods.financial_year(2024)
    MeasureValue.objects.create(
        measure_lineage=measure.lineage,
        area=force,
        period_kind=p.kind,
        period_key=p.key,
        period_label=p.label,
        period_start=p.start,
        period_end=p.end,
        value=10,
        lower=9,
        upper=11,
        numerator=100,
    )
    commentary.commentary_save(
        user=users["analyst"],
        measure_lineage=str(measure.lineage),
        period_kind=p.kind,
        period_key=p.key,
        text="Burglary fell.",
    )
    return f"/staff/performance/commentary/{measure.lineage}/{p.kind}/{p.key}/"


def report_urls(version):
    """A published annual report (its PDF still being made) and a draft committee pack: the
    reports' public pages, their downloads and the staff pages behind them."""
    from django.utils import timezone

    from policeplan.reports import assemble
    from policeplan.reports.models import Report

    def report(kind, key, label, start, end):
        return Report.objects.create(
            kind=kind,
            period_key=key,
            period_label=label,
            period_start=start,
            period_end=end,
            plan_version=version,
        )

    published = report("annual", "2023-24", "2023-24", "2023-04", "2024-03")
    Report.objects.filter(pk=published.pk).update(
        published_at=timezone.now(), snapshot=assemble.assemble(published)
    )
    draft = report("monthly", "2026-03", "March 2026", "2026-03", "2026-03")
    hidden = page(hidden_unless=Perm.PREPARE_REPORTS)
    prepare, publish = Perm.PREPARE_REPORTS, Perm.PUBLISH_REPORTS
    urls = {
        "/reports/": ("reports:index", PUBLIC),
        "/reports/consultation-summaries/": ("reports:summaries", PUBLIC),
        "/api/v1/reports": ("api-v1:reports", PUBLIC),
        "/api/v1/reports/annual-reports/2023-24": ("api-v1:report", PUBLIC),
        # A draft is not in the API, whoever asks.
        "/api/v1/reports/committee-packs/2026-03": ("api-v1:report", page(ok=404)),
        "/reports/annual-reports/": ("reports:archive", PUBLIC),
        "/reports/annual-reports/2023-24/": ("reports:edition", PUBLIC),
        "/reports/annual-reports/2023-24/report.pdf": ("reports:pdf", page(ok=503)),
        "/reports/annual-reports/2023-24/figures.csv": ("reports:csv", PUBLIC),
        "/reports/annual-reports/2023-24/report.docx": ("reports:docx", PUBLIC),
        "/reports/committee-packs/2026-03/report.docx": ("reports:docx", hidden),
        "/reports/committee-packs/2026-03/": ("reports:edition", hidden),
        # A draft's PDF is made by a job: 503 until it is ready.
        "/reports/committee-packs/2026-03/report.pdf": (
            "reports:pdf",
            page(hidden_unless=Perm.PREPARE_REPORTS, ok=503),
        ),
        "/reports/committee-packs/2026-03/figures.csv": ("reports:csv", hidden),
        "/staff/reports/": ("reports:staff-list", page(prepare)),
        "/staff/reports/new/": ("reports:staff-new", form(prepare)),
    }
    for r in (published, draft):
        urls[f"/staff/reports/{r.pk}/"] = ("reports:staff-detail", page(prepare))
        urls[f"/staff/reports/{r.pk}/publish/"] = (
            "reports:staff-publish",
            form(publish, post_only=True),
        )
        urls[f"/staff/reports/{r.pk}/retry-pdf/"] = (
            "reports:staff-pdf-retry",
            form(publish, post_only=True),
        )
    urls[f"/staff/reports/{draft.pk}/texts/"] = ("reports:staff-edit", form(prepare))
    # A published report's texts page sends its staff back to the report: never changed.
    urls[f"/staff/reports/{published.pk}/texts/"] = ("reports:staff-edit", form(prepare, ok=302))
    return urls


def estate_urls(users):
    """A borough with a front counter, a pledge, a disposal and the estates strategy: the
    public access pages, their downloads and API, and the staff pages that keep them."""
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from policeplan.estates import services as estate
    from policeplan.estates.models import StrategyDocument
    from policeplan.performance.models import Area, AreaLevel

    officer = users["policy_officer"]
    barnet, _ = Area.objects.get_or_create(
        level=AreaLevel.BOROUGH, code="E09000003", vintage="", defaults={"name": "Barnet"}
    )
    building = estate.building_save(
        user=officer,
        reference="URL-1",
        data={
            "name": "Colindale",
            "borough": barnet,
            "kind": "police_station",
            "status": "open",
            "latitude": 51.6,
            "longitude": -0.25,
        },
    )
    estate.schedule_record(
        user=officer, building=building, starts_on=datetime.date(2020, 1, 1), hours="24/7"
    )
    pledge = estate.pledge_save(
        user=officer,
        data={
            "title": "A 24-hour counter",
            "rule": "round_the_clock",
            "at_least": 1,
            "made_on": datetime.date(2020, 1, 1),
        },
    )
    disposal = estate.disposal_save(
        user=officer,
        data={
            "building": building,
            "decision_reference": "PCD 1",
            "exempt": True,
            "exempt_reason": "Sensitive",
            "estimated_receipt": Decimal(5),
        },
    )
    strategy = StrategyDocument(title="Estates strategy", published_on=datetime.date(2021, 1, 1))
    strategy.file.save("strategy.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    strategy.save()
    from policeplan.estates.models import Partnership
    from policeplan.plans.localpriorities import services as local
    from policeplan.plans.tests.test_local_priorities import figures as sample_figures

    Partnership.objects.create(borough=barnet, name="Barnet Community Safety Partnership")

    local.local_priorities_record(
        user=officer,
        borough=barnet,
        year=2026,
        chosen=["burglary", "personal-robbery"],
        council="A",
        commander="B",
        partnership="C",
        agreed_on=datetime.date(2026, 5, 1),
        figures=sample_figures(),
    )
    manage = Perm.MANAGE_ESTATE
    return {
        "/boroughs/local-priorities/": ("plans:local-roll-up", PUBLIC),
        "/api/v1/local-priorities": ("api-v1:local-priorities", PUBLIC),
        "/boroughs/local-priorities.csv": ("plans:local-csv", PUBLIC),
        "/boroughs/barnet/local-priorities/2026/": ("plans:local-borough", PUBLIC),
        "/boroughs/barnet/local-priorities/2025/": ("plans:local-borough", page(ok=404)),
        "/staff/local-priorities/": ("plans:staff-local", page(Perm.EDIT_PLANS)),
        "/staff/local-priorities/barnet/2026/": (
            "plans:staff-local-workbench",
            form(Perm.EDIT_PLANS),
        ),
        "/boroughs/": ("estates:boroughs", PUBLIC),
        "/boroughs/barnet/": ("estates:borough", PUBLIC),
        "/boroughs/barnet/front-counters/": ("estates:borough-access", PUBLIC),
        "/boroughs/atlantis/": ("estates:borough", page(ok=404)),
        "/front-counters/": ("estates:access", PUBLIC),
        "/front-counters/pledges/": ("estates:pledges", PUBLIC),
        "/front-counters/residents-nearby/": ("estates:coverage", PUBLIC),
        "/front-counters/buildings.csv": ("estates:buildings-csv", PUBLIC),
        "/front-counters/pledges.csv": ("estates:pledges-csv", PUBLIC),
        "/front-counters/pledges-record.csv": ("estates:pledges-record-csv", PUBLIC),
        "/estate/disposals/": ("estates:disposals", PUBLIC),
        "/estate/disposals.csv": ("estates:disposals-csv", PUBLIC),
        f"/estate/strategy/{strategy.pk}/": ("estates:strategy-document", PUBLIC),
        "/api/v1/estate/buildings": ("api-v1:estate-buildings", PUBLIC),
        "/api/v1/estate/pledges": ("api-v1:estate-pledges", PUBLIC),
        "/api/v1/estate/disposals": ("api-v1:estate-disposals", PUBLIC),
        "/staff/estate/": ("estates:staff-register", page(manage)),
        "/staff/estate/buildings.csv": ("estates:staff-register-csv", page(manage)),
        "/staff/estate/import/": ("estates:staff-import", form(manage)),
        "/staff/estate/import-police-uk/": ("estates:staff-import-police-uk", form(manage)),
        "/staff/estate/buildings/new/": ("estates:staff-building-new", form(manage)),
        f"/staff/estate/buildings/{building.pk}/": ("estates:staff-building", form(manage)),
        f"/staff/estate/buildings/{building.pk}/hours/": ("estates:staff-hours", form(manage)),
        "/staff/estate/pledges/new/": ("estates:staff-pledge-new", form(manage)),
        f"/staff/estate/pledges/{pledge.pk}/": ("estates:staff-pledge", form(manage)),
        "/staff/estate/disposals/new/": ("estates:staff-disposal-new", form(manage)),
        f"/staff/estate/disposals/{disposal.pk}/": ("estates:staff-disposal", form(manage)),
        "/staff/estate/strategy/new/": ("estates:staff-strategy-new", form(manage)),
        "/staff/estate/partnerships/import/": (
            "estates:staff-partnerships-import",
            form(manage),
        ),
        "/staff/estate/partnerships/barnet/": ("estates:staff-partnership", form(manage)),
    }


def consultation_urls(users):
    """The consultation hub, a questionnaire, an event and the staff pages behind them."""
    import datetime

    from django.utils import timezone

    from policeplan.consultations import services as consult
    from policeplan.consultations.models import Question, Registration, Response
    from policeplan.consultations.tests.conftest import build

    officer = users["policy_officer"]
    c = build(officer)
    hidden = build(officer, slug="not-yet-published")
    hidden.published_at = None
    hidden.save()
    start = timezone.now() + datetime.timedelta(days=3)
    event = consult.event_save(
        user=officer,
        consultation=c,
        data={
            "kind": "town_hall",
            "title": "Town hall",
            "venue": "Hall",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=1),
            "capacity": 5,
            "public_registration": True,
        },
    )
    registration, _ = consult.registration_create(event=event, name="A", email="a@example.org")
    response = consult.submission_add(
        user=officer, consultation=c, channel="letter", text="A letter", name="Writer"
    )
    stage = c.stages.first()
    section = c.sections.first()
    question = Question.objects.filter(section=section).first()
    assert Registration.objects.count() == 1 and Response.objects.count() == 1
    public = f"/consultations/{c.slug}"
    answer = Rule(post="public")  # a public form
    needs_session = Rule(ok=302, post="public")  # a step of a public form
    shown_after = page(ok=302)  # shown after a public form is sent
    run = form(Perm.RUN_CONSULTATIONS)
    read = page(Perm.READ_RESPONSES)
    s = f"/staff/consultations/{c.pk}"
    return {
        "/consultations/": ("consultations:hub", PUBLIC),
        "/consultations/continue/": ("consultations:resume", answer),
        "/consultations/withdraw/": ("consultations:withdraw", answer),
        f"/consultations/events/cancel/{registration.cancel_token}/": (
            "consultations:cancel",
            answer,
        ),
        f"{public}/": ("consultations:detail", PUBLIC),
        f"/consultations/{hidden.slug}/": (
            "consultations:detail",
            page(hidden_unless=Perm.RUN_CONSULTATIONS),
        ),
        f"{public}/respond/": ("consultations:respond", needs_session),
        f"{public}/respond/1/": ("consultations:section", answer),
        f"{public}/respond/about-you/": ("consultations:publishing", needs_session),
        f"{public}/respond/equality/": ("consultations:equality", needs_session),
        f"{public}/respond/check/": ("consultations:check", needs_session),
        f"{public}/respond/saved/": ("consultations:saved", shown_after),
        f"{public}/respond/sent/": ("consultations:confirmation", shown_after),
        f"{public}/events/{event.pk}/": ("consultations:event", answer),
        f"{public}/events/{event.pk}/registered/": ("consultations:registered", shown_after),
        "/staff/consultations/": ("consultations:staff-list", read),
        "/staff/consultations/new/": ("consultations:staff-new", run),
        "/staff/consultations/import/": ("consultations:staff-import", run),
        f"{s}/": ("consultations:staff-detail", read),
        f"{s}/edit/": ("consultations:staff-edit", run),
        f"{s}/publish/": (
            "consultations:staff-publish",
            form(Perm.RUN_CONSULTATIONS, post_only=True),
        ),
        f"{s}/results/": ("consultations:staff-results", run),
        f"{s}/stages/add/": ("consultations:staff-stage-add", run),
        f"{s}/stages/{stage.pk}/": ("consultations:staff-stage-edit", run),
        f"{s}/sections/add/": ("consultations:staff-section-add", run),
        f"{s}/sections/{section.pk}/": ("consultations:staff-section-edit", run),
        f"{s}/questions/add/?section={section.pk}": ("consultations:staff-question-add", run),
        f"{s}/questions/{question.pk}/": ("consultations:staff-question-edit", run),
        f"{s}/questions/{question.pk}/remove/": ("consultations:staff-question-remove", run),
        f"{s}/questions/{question.pk}/move/": (
            "consultations:staff-move",
            form(Perm.RUN_CONSULTATIONS, post_only=True),
        ),
        f"{s}/events/add/": ("consultations:staff-event-add", run),
        f"{s}/events/{event.pk}/": ("consultations:staff-event", form(Perm.PERSONAL_DATA)),
        f"{s}/events/{event.pk}/edit/": ("consultations:staff-event-edit", run),
        f"{s}/submissions/add/": ("consultations:staff-submission-add", run),
        f"{s}/responses/": ("consultations:staff-responses", read),
        f"{s}/responses/export.csv": ("consultations:staff-export-csv", read),
        f"{s}/responses/export.xlsx": ("consultations:staff-export-xlsx", read),
        f"{s}/responses/{response.pk}/": ("consultations:staff-response", read),
        f"{s}/responses/{response.pk}/everything.json": (
            "consultations:staff-respondent-export",
            page(Perm.PERSONAL_DATA),
        ),
        f"{s}/responses/{response.pk}/withdraw/": (
            "consultations:staff-response-withdraw",
            form(Perm.PERSONAL_DATA),
        ),
        f"{s}/equality/": ("consultations:staff-equality", read),
        **analysis_urls(c, response, officer),
    }


def scrutiny_urls(users):
    """A body with a published past meeting (open and exempt items and papers, minutes,
    actions), a meeting to come and a draft one; the committee member's account sits on it."""
    from policeplan.scrutiny import services as scrutiny
    from policeplan.scrutiny.tests.conftest import build

    b = build(users["policy_officer"], users["committee_member"])
    subscription = scrutiny.subscription_request(committee=b.committee, email="a@example.org")
    public = f"/scrutiny/{b.committee.slug}"
    past = f"{public}/meetings/{b.past.pk}"
    restricted = page(hidden_unless=Perm.SCRUTINY_DRAFTS)  # drafts and exempt papers
    reads = page(Perm.SCRUTINY_DRAFTS)  # those who run scrutiny, and the body's members
    run = form(Perm.RUN_SCRUTINY)
    button = form(Perm.RUN_SCRUTINY, post_only=True)
    s = f"/staff/scrutiny/{b.committee.pk}"
    m = f"/staff/scrutiny/meetings/{b.past.pk}"
    return {
        **decision_urls(users, b),
        **question_urls(users, b),
        "/scrutiny/": ("scrutiny:hub", PUBLIC),
        f"/scrutiny/alerts/confirm/{subscription.token}/": (
            "scrutiny:confirm",
            Rule(post="public"),
        ),
        f"/scrutiny/alerts/unsubscribe/{subscription.token}/": (
            "scrutiny:unsubscribe",
            Rule(post="public"),
        ),
        f"{public}/": ("scrutiny:committee", PUBLIC),
        f"{public}/meetings.ics": ("scrutiny:calendar", PUBLIC),
        f"{public}/meetings.json": ("scrutiny:meetings-json", PUBLIC),
        f"{past}.json": ("scrutiny:meeting-json", PUBLIC),
        # Open data is the public's: a draft is not found there even for those who see drafts.
        f"{public}/meetings/{b.draft.pk}.json": ("scrutiny:meeting-json", page(ok=404)),
        "/api/v1/meetings": ("api-v1:meetings", PUBLIC),
        f"/api/v1/meetings/{b.past.pk}": ("api-v1:meeting", PUBLIC),
        f"/api/v1/meetings/{b.draft.pk}": ("api-v1:meeting", page(ok=404)),
        "/api/v1/actions": ("api-v1:actions", PUBLIC),
        f"{public}/papers.atom": ("scrutiny:feed", PUBLIC),
        f"{public}/actions/": ("scrutiny:actions", PUBLIC),
        f"{public}/actions.csv": ("scrutiny:actions-csv", PUBLIC),
        f"{public}/alerts/": ("scrutiny:subscribe", Rule(post="public")),
        f"{past}/": ("scrutiny:meeting", PUBLIC),
        f"{public}/meetings/{b.draft.pk}/": ("scrutiny:meeting", restricted),
        f"{past}/papers/{b.paper.pk}/": ("scrutiny:paper", PUBLIC),
        f"{past}/papers/{b.exempt_paper.pk}/": ("scrutiny:paper", restricted),
        f"{past}/papers/{b.withheld_paper.pk}/": ("scrutiny:paper", restricted),
        f"{past}/papers/{b.draft_paper.pk}/": ("scrutiny:paper", restricted),
        f"{past}/papers/{b.paper.pk}/file/": ("scrutiny:paper-file", PUBLIC),
        f"{past}/papers/{b.exempt_paper.pk}/file/": ("scrutiny:paper-file", restricted),
        "/staff/scrutiny/": ("scrutiny:staff-list", reads),
        "/staff/scrutiny/new/": ("scrutiny:staff-committee-new", run),
        f"{s}/": ("scrutiny:staff-committee", reads),
        f"{s}/edit/": ("scrutiny:staff-committee-edit", run),
        f"{s}/members/add/": ("scrutiny:staff-member-add", run),
        f"{s}/members/{b.chair.pk}/": ("scrutiny:staff-member-edit", run),
        f"{s}/officers/add/": ("scrutiny:staff-officer-add", run),
        f"{s}/officers/{b.committee.officers.get().pk}/": ("scrutiny:staff-officer-edit", run),
        f"{s}/meetings/add/": ("scrutiny:staff-meeting-add", run),
        f"{s}/actions.csv": ("scrutiny:staff-actions-export", page(Perm.RUN_SCRUTINY)),
        f"{s}/actions/import/": ("scrutiny:staff-actions-import", run),
        f"{m}/": ("scrutiny:staff-meeting", reads),
        f"/staff/scrutiny/meetings/{b.draft.pk}/": ("scrutiny:staff-meeting", reads),
        f"{m}/edit/": ("scrutiny:staff-meeting-edit", run),
        f"/staff/scrutiny/meetings/{b.draft.pk}/publish/": (
            "scrutiny:staff-meeting-publish",
            button,
        ),
        f"{m}/items/add/": ("scrutiny:staff-item-add", run),
        f"{m}/items/{b.item.pk}/": ("scrutiny:staff-item-edit", run),
        f"{m}/items/{b.item.pk}/papers/add/": ("scrutiny:staff-paper-add", run),
        f"{m}/items/{b.item.pk}/papers/{b.paper.pk}/": ("scrutiny:staff-paper-edit", run),
        f"{m}/papers/{b.draft_paper.pk}/publish/": ("scrutiny:staff-paper-publish", button),
        f"{m}/declarations/add/": ("scrutiny:staff-declaration-add", run),
        f"{m}/attendance/": ("scrutiny:staff-attendance", run),
        f"{m}/minutes/": ("scrutiny:staff-minutes", run),
        f"{m}/minutes/approve/": ("scrutiny:staff-minutes-approve", run),
        f"{m}/actions/add/": ("scrutiny:staff-action-add", run),
        f"/staff/scrutiny/actions/{b.proposed.pk}/": ("scrutiny:staff-action", run),
        f"/staff/scrutiny/actions/{b.action.pk}/progress/": ("scrutiny:staff-action-progress", run),
        **recommendation_urls(users, b, public, restricted, run),
    }


def recommendation_urls(users, b, public, restricted, run):
    """A published report with an answered recommendation (a milestone) and one awaiting a
    draft response, and a draft report: drafted by the body's members, answered by those who
    run scrutiny."""
    from policeplan.scrutiny import services as scrutiny_services
    from policeplan.scrutiny.tests.conftest import build_recommendations

    r = build_recommendations(users["policy_officer"], b)
    review = scrutiny_services.plan_review_open(
        committee=b.committee, version=r.report.plan_version
    )
    drafts = form(Perm.SCRUTINY_DRAFTS)  # those who run scrutiny, and the body's members
    reads = page(Perm.SCRUTINY_DRAFTS)
    rec = "/staff/scrutiny/recommendations"
    return {
        "/scrutiny/recommendations/": ("scrutiny:tracker", PUBLIC),
        "/scrutiny/recommendations.csv": ("scrutiny:tracker-csv", PUBLIC),
        f"/scrutiny/recommendations/{r.linked.pk}/": ("scrutiny:recommendation", PUBLIC),
        f"/scrutiny/recommendations/{r.draft_rec.pk}/": ("scrutiny:recommendation", restricted),
        f"{public}/reports/{r.report.pk}/": ("scrutiny:report", PUBLIC),
        f"{public}/reports/{r.draft_report.pk}/": ("scrutiny:report", restricted),
        "/api/v1/recommendations": ("api-v1:recommendations", PUBLIC),
        f"/api/v1/recommendations/{r.linked.pk}": ("api-v1:recommendation", PUBLIC),
        "/api/v1/responses": ("api-v1:responses", PUBLIC),
        f"/staff/scrutiny/{b.committee.pk}/reports/add/": ("scrutiny:staff-report-add", drafts),
        f"/staff/scrutiny/reports/{r.draft_report.pk}/": ("scrutiny:staff-report", reads),
        f"/staff/scrutiny/reports/{r.draft_report.pk}/edit/": (
            "scrutiny:staff-report-edit",
            drafts,
        ),
        f"/staff/scrutiny/reports/{r.draft_report.pk}/publish/": (
            "scrutiny:staff-report-publish",
            form(Perm.SCRUTINY_DRAFTS, post_only=True),
        ),
        f"/staff/scrutiny/reports/{r.draft_report.pk}/recommendations.csv": (
            "scrutiny:staff-recommendations-export",
            reads,
        ),
        f"/staff/scrutiny/reports/{r.draft_report.pk}/recommendations/import/": (
            "scrutiny:staff-recommendations-import",
            drafts,
        ),
        f"/staff/scrutiny/reports/{r.draft_report.pk}/recommendations/add/": (
            "scrutiny:staff-recommendation-add",
            drafts,
        ),
        f"{rec}/{r.draft_rec.pk}/": ("scrutiny:staff-recommendation", drafts),
        f"/staff/scrutiny/reviews/{review.pk}/": ("scrutiny:staff-review-dates", run),
        f"{rec}/{r.linked.pk}/response/": ("scrutiny:staff-response", run),
        f"{rec}/{r.unanswered.pk}/response/publish/": (
            "scrutiny:staff-response-publish",
            form(Perm.RUN_SCRUTINY, post_only=True),
        ),
        f"{rec}/{r.linked.pk}/milestones/add/": ("scrutiny:staff-milestone-add", run),
        f"/staff/scrutiny/milestones/{r.milestone.pk}/": ("scrutiny:staff-milestone", run),
        f"/staff/scrutiny/milestones/{r.milestone.pk}/progress/": (
            "scrutiny:staff-milestone-progress",
            run,
        ),
    }


def decision_urls(users, b):
    """The decisions log: a published decision with a public and a Part 2 document, and a
    draft. The office's drafts and Part 2 are for those who run scrutiny only (404 to the
    rest, committee members included)."""
    from policeplan.scrutiny.tests.record import build_record

    r = build_record(users["policy_officer"], b)
    office_only = page(hidden_unless=Perm.RUN_SCRUTINY)
    run = form(Perm.RUN_SCRUTINY)
    button = form(Perm.RUN_SCRUTINY, post_only=True)
    public = f"/scrutiny/decisions/{r.decision.slug}"
    d = f"/staff/scrutiny/decisions/{r.decision.pk}"
    return {
        "/scrutiny/decisions/": ("scrutiny:decisions", PUBLIC),
        "/scrutiny/decisions/decisions.csv": ("scrutiny:decisions-csv", PUBLIC),
        f"{public}/": ("scrutiny:decision", PUBLIC),
        f"/scrutiny/decisions/{r.draft.slug}/": ("scrutiny:decision", office_only),
        f"{public}/documents/{r.document.pk}/": ("scrutiny:decision-document", PUBLIC),
        f"{public}/documents/{r.part2_document.pk}/": ("scrutiny:decision-document", office_only),
        "/api/v1/decisions": ("api-v1:decisions", PUBLIC),
        f"/api/v1/decisions/{r.decision.slug}": ("api-v1:decision", PUBLIC),
        "/staff/scrutiny/decisions/": ("scrutiny:staff-decisions", page(Perm.RUN_SCRUTINY)),
        "/staff/scrutiny/decisions/new/": ("scrutiny:staff-decision-new", run),
        f"{d}/": ("scrutiny:staff-decision", page(Perm.RUN_SCRUTINY)),
        f"{d}/edit/": ("scrutiny:staff-decision-edit", run),
        f"/staff/scrutiny/decisions/{r.draft.pk}/publish/": (
            "scrutiny:staff-decision-publish",
            button,
        ),
        f"{d}/documents/add/": ("scrutiny:staff-document-add", run),
        f"{d}/documents/{r.document.pk}/remove/": ("scrutiny:staff-document-remove", button),
    }


def question_urls(users, b):
    """Questions the body put: a published one and a draft (the body's, so its members see
    it, as they see its draft papers)."""
    from policeplan.scrutiny.tests.record import build_questions

    a = build_questions(users["policy_officer"], b)
    public = f"/scrutiny/{b.committee.slug}/questions"
    run = form(Perm.RUN_SCRUTINY)
    return {
        f"{public}/": ("scrutiny:questions", PUBLIC),
        f"{public}/{a.answered.pk}/": ("scrutiny:question", PUBLIC),
        f"{public}/{a.draft.pk}/": ("scrutiny:question", page(hidden_unless=Perm.SCRUTINY_DRAFTS)),
        f"/staff/scrutiny/{b.committee.pk}/questions/": (
            "scrutiny:staff-questions",
            page(Perm.RUN_SCRUTINY),
        ),
        f"/staff/scrutiny/{b.committee.pk}/questions/add/": ("scrutiny:staff-question-add", run),
        f"/staff/scrutiny/questions/{a.answered.pk}/": ("scrutiny:staff-question", run),
        f"/staff/scrutiny/questions/{a.draft.pk}/publish/": (
            "scrutiny:staff-question-publish",
            form(Perm.RUN_SCRUTINY, post_only=True),
        ),
    }


def analysis_urls(c, response, officer):
    """A codeframe for the written submissions with the letter coded, a run, a theme
    response and a plan change: made directly, as these tests are about access, not the
    engine."""
    from django.utils import timezone

    from policeplan.analysis.models import (
        AnalysisRun,
        CodedText,
        Codeframe,
        PlanChange,
        TextTheme,
        Theme,
        ThemeResponse,
    )
    from policeplan.plans.models import PlanVersion

    frame = Codeframe.objects.create(
        consultation=c, version=1, finalised_at=timezone.now(), created_by=officer
    )
    theme = Theme.objects.create(codeframe=frame, label="Visible policing")
    coded = CodedText.objects.create(codeframe=frame, response=response, confidence=0.4)
    TextTheme.objects.create(coded=coded, theme=theme, confidence=0.4)
    run = AnalysisRun.objects.create(
        codeframe=frame,
        status="succeeded",
        progress=100,
        summary={"engine": "tfidf", "texts": 1, "uncoded": 0, "examples": 2, "untaught": []},
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    answer = ThemeResponse.objects.create(
        consultation=c,
        lineage=theme.lineage,
        label=theme.label,
        slug="visible-policing",
        you_said="More patrols.",
        we_did="A new outcome.",
    )
    final = PlanVersion.objects.filter(state="final").order_by("-number").first()
    change = PlanChange.objects.create(
        consultation=c, from_version=c.plan_version, to_version=final, item="X", summary="Y"
    )
    change.themes.set([answer])
    analyse = form(Perm.ANALYSE)
    read = page(Perm.ANALYSE)
    post = form(Perm.ANALYSE, post_only=True)
    # Results not yet published: hidden from all but those who analyse (who see a preview).
    unpublished = page(hidden_unless=Perm.ANALYSE)
    public = f"/consultations/{c.slug}"
    a = f"/staff/consultations/{c.pk}/analysis"
    f = f"/staff/analysis/codeframes/{frame.pk}"
    # An archived summary of a consultation whose results are not published (withdrawn):
    # served to nobody, staff included.
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from policeplan.reports.models import SummaryEdition

    SummaryEdition.objects.create(
        consultation=c,
        number=1,
        published_at=timezone.now(),
        html_sha256="0" * 64,
        pdf_sha256="0" * 64,
        pdf_name=default_storage.save(f"generated/summaries/{c.pk}/1.pdf", ContentFile(b"%PDF")),
    )
    return {
        f"/reports/consultation-summaries/{c.slug}/version-1.pdf": (
            "reports:summary-pdf",
            page(ok=404),
        ),
        f"{public}/results/": ("analysis:results", unpublished),
        f"{public}/results.pdf": ("analysis:results-pdf", unpublished),
        f"{public}/you-said-we-did/": ("analysis:public-you-said", unpublished),
        f"{public}/you-said-we-did/visible-policing/": ("analysis:public-theme", unpublished),
        f"{a}/": ("analysis:overview", read),
        f"{a}/suggest/": ("analysis:suggest", post),
        f"{a}/dashboard/": ("analysis:dashboard", read),
        f"{a}/you-said-we-did/": ("analysis:you-said", read),
        f"{a}/you-said-we-did/themes/{theme.lineage}/": ("analysis:theme-response", analyse),
        f"{a}/you-said-we-did/changes/add/": ("analysis:plan-change-add", analyse),
        f"{a}/you-said-we-did/changes/{change.pk}/": ("analysis:plan-change-edit", analyse),
        f"{a}/responses/{response.pk}/": ("analysis:respondent", analyse),
        f"{f}/": ("analysis:codeframe", analyse),
        f"{f}/finalise/": ("analysis:finalise", post),
        f"{f}/run/": ("analysis:run-start", post),
        f"{f}/review/": ("analysis:queue", read),
        f"{f}/sample/": ("analysis:sample", analyse),
        f"{f}/sample/code/": ("analysis:blind", form(Perm.ANALYSE, ok=302)),  # none drawn
        f"{f}/themes/{theme.lineage}/": ("analysis:theme", read),
        f"/staff/analysis/runs/{run.pk}/": ("analysis:run", read),
        f"/staff/analysis/runs/{run.pk}/status.json": ("analysis:run-status", read),
        f"/staff/analysis/texts/{coded.pk}/": ("analysis:review", analyse),
    }


def test_personal_details_show_only_to_roles_that_may_see_them(client, users, site):
    from policeplan.consultations.models import Response

    response = Response.objects.get(channel="letter")
    url = f"/staff/consultations/{response.consultation_id}/responses/{response.pk}/"
    for role in Role.values:
        client.force_login(users[role])
        page = client.get(url)
        if Perm.PERSONAL_DATA in ROLE_PERMISSIONS[role]:
            assert "Writer" in page.text, role
        elif page.status_code == 200:
            assert "A letter" in page.text and "Writer" not in page.text, role


def test_the_table_covers_every_url_the_site_has(site):
    urls, _ = site
    # ninja names its root 'api-root'; our documentation page answers that URL instead.
    # /metrics answers by address or token, whoever is signed in: its own test below.
    covered = {name for name, _ in urls.values()} | {"admin:*", "api-v1:api-root", "metrics"}
    assert all_url_names() - covered == set(), "Add an access rule for each new URL"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_gives_each_role_exactly_its_access(client, users, site, role):
    urls, _ = site
    if role != "anonymous":
        client.force_login(users[role])
    wrong = []
    for url, (name, rule) in urls.items():
        status = client.get(url).status_code
        if status != rule.expected(role):
            wrong.append(f"{name} {url}: got {status}, expected {rule.expected(role)}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_django_admin_is_for_administrators_only(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get("/django-admin/")
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/django-admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_metrics_answer_no_role_from_outside_the_machine_and_take_no_posts(client, users, role):
    """Being signed in, even as an administrator, gives no access to /metrics: only the
    machine itself, or a scraper with METRICS_TOKEN, reads it; nobody can POST to it."""
    if role != "anonymous":
        client.force_login(users[role])
    assert client.get("/metrics", REMOTE_ADDR="198.51.100.4").status_code == 404
    assert client.post("/metrics", REMOTE_ADDR="198.51.100.4").status_code in {403, 404}
    assert client.post("/metrics", REMOTE_ADDR="127.0.0.1").status_code in {403, 404}
    for path in ("/healthz", "/readyz"):
        assert client.post(path).status_code == 405


class _PostForms(HTMLParser):
    """The fields of every POST form on a page, as a browser would send them unchanged,
    with blanks filled with something plausible. Keyed by the URL the form posts to."""

    FILLERS = {"email": "walk@example.org", "url": "https://example.org", "date": "2027-01-01"}

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self._fields: list[tuple[str, str]] | None = None  # the form being read, if any
        self._first_choice: dict[str, str] = {}  # radios and checkboxes: the first of each
        self._chosen: set[str] = set()  # radios and checkboxes already ticked
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    @staticmethod
    def _filler(name: str, kind: str, inputmode: str) -> str:
        later = any(word in name for word in ("end", "close", "until"))
        for part, value in (("day", "1"), ("month", "1"), ("year", "2028" if later else "2027")):
            if name.endswith(part):
                return value
        if name.endswith("time"):
            return "18:00" if later else "09:00"
        if kind == "number" or inputmode == "numeric":
            return "1"
        return _PostForms.FILLERS.get(kind, "Walk test")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            # Only the first form posting to each URL counts.
            self._fields = None if action in self.forms else self.forms.setdefault(action, [])
            self._first_choice, self._chosen = {}, set()
            return
        if self._fields is None or "name" not in a or a.get("tabindex") == "-1":
            return  # outside a form, or a honeypot (no person reaches it, so none fills it)
        name, kind, value = a["name"], a.get("type", "text").lower(), a.get("value", "")
        if tag == "input" and kind in ("checkbox", "radio"):
            value = value if "value" in a else "on"
            self._first_choice.setdefault(name, value)
            if "checked" in a:
                self._fields.append((name, value))
                self._chosen.add(name)
        elif tag == "input" and kind in ("submit", "button"):
            self._fields.append((name, value))
        elif tag == "input" and kind != "file":
            self._fields.append((name, value or self._filler(name, kind, a.get("inputmode", ""))))
        elif tag == "textarea":
            self._textarea, self._text = name, ""
        elif tag == "select":
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._fields is None:
            return
        if tag == "form":  # a choice nobody made: the first, as a person would
            for name, value in self._first_choice.items():
                if name not in self._chosen:
                    self._fields.append((name, value))
            self._fields = None
        elif tag == "textarea" and self._textarea is not None:
            self._fields.append((self._textarea, self._text.strip() or "Walk test"))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected and v]
            chosen = chosen or [v for v, _ in self._options if v][:1]
            self._fields.extend((self._select, v) for v in chosen)
            self._select = None


def plausible_bodies(client, users, urls) -> dict[str, dict[str, list[str]]]:
    """For each URL, the form that posts to it as an administrator finds it on the site;
    and no form on the site posts to a page that refuses POSTs."""
    client.force_login(users[Role.ADMINISTRATOR])
    found: dict[str, list[tuple[str, str]]] = {}
    for url in urls:
        if url.endswith((".pdf", ".csv", ".xlsx", ".json")):
            continue  # files, not pages with forms
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = _PostForms(f"http://testserver{url}")
            parser.feed(response.content.decode())
            for action, fields in parser.forms.items():
                found.setdefault(action, fields)
    client.logout()
    # A form that posts to a page only to read would be refused when a person sends it.
    for action in found:
        path = action.removeprefix("http://testserver")
        assert path not in urls or urls[path][1].post != "none", f"a form posts to {path}"
    bodies: dict[str, dict[str, list[str]]] = {}
    for url in urls:
        body: dict[str, list[str]] = {}
        for name, value in found.get(f"http://testserver{url}", []):
            body.setdefault(name, []).append(value)
        bodies[url] = body
    return bodies


def _snapshot() -> dict[str, tuple]:
    """Rows, highest id and latest change of every table: a write of any kind moves one."""
    state = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        measures: dict = {"rows": models.Count("pk")}
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            measures["last"] = models.Max("pk")
        if any(f.name == "modified_at" for f in model._meta.concrete_fields):
            measures["changed"] = models.Max("modified_at")
        state[model._meta.label] = tuple(model._base_manager.aggregate(**measures).values())
    return state


def _changed(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    return [
        f"{label} {before[label]} -> {after[label]}"
        for label in before
        if before[label] != after[label]
    ]


@contextmanager
def _undone() -> Iterator[None]:
    """Whatever happens inside is rolled back (a savepoint within the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _signed_in_as(client, users, role: str) -> None:
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])


def _post_problem(response, role: str, rule: Rule) -> str | None:
    """Why this response is wrong, or None."""
    status, location = response.status_code, response.get("Location", "")
    refusal = rule.post_refusal(role)
    if refusal is None:  # the role may post: a page or a redirect, never an error or refusal
        if status >= 500 or status in (403, 405) or location.startswith("/sign-in/"):
            return f"got {status} {location}, expected the form to be handled"
        return None
    if status != refusal:
        return f"got {status}, expected {refusal}"
    if status == 302 and not location.startswith("/sign-in/"):
        return f"redirected to {location}, expected sign in"
    return None


def _malformed(value: str) -> str:
    """A number too big for any column, or text carrying a NUL byte (which PostgreSQL
    refuses to store) and a quote."""
    return "9" * 30 if value.isdigit() else f"{value}\x00'"


def _malformed_url(url: str) -> str:
    """The URL with each query value (an id, so far) turned into text with a NUL byte."""
    path, _, query = url.partition("?")
    pairs = [pair.partition("=") for pair in query.split("&") if pair]
    return path + "".join(
        f"{'?' if i == 0 else '&'}{name}={quote(value + chr(0))}"
        for i, (name, _, value) in enumerate(pairs)
    )


def test_every_url_takes_posts_only_from_those_entitled_and_refusals_change_nothing(
    client, users, site, settings
):
    """Every URL, POSTed by every role with an empty body and with the form the page shows
    (blanks filled in): those the rule refuses get exactly its refusal and change no row of
    any table nor write an audit event; those it lets through get a page or a redirect, never
    an error, also when the form is malformed (their changes are rolled back, so the site
    stays the same for the next)."""
    settings.SUBMISSION_RATE_LIMIT = 1_000_000  # the walk sends many public forms
    urls, _ = site
    client.raise_request_exception = False  # a 500 is reported with the others
    filled = plausible_bodies(client, users, urls)
    bodies = {
        "empty": {url: {} for url in urls},
        "filled": filled,
        "malformed": {
            url: {name: [_malformed(v) for v in values] for name, values in body.items()}
            for url, body in filled.items()
        },
    }
    wrong: list[str] = []
    for role in ROLES:
        _signed_in_as(client, users, role)
        allowed, refused = [], []
        for url, (name, rule) in urls.items():
            (allowed if rule.post_refusal(role) is None else refused).append((url, name, rule))
        for kind, body in bodies.items():
            for url, name, rule in allowed:
                with _undone():
                    target = _malformed_url(url) if kind == "malformed" else url
                    response = client.post(target, body[url])
                if problem := _post_problem(response, role, rule):
                    wrong.append(f"{role} {kind} {name} {target!r}: {problem}")
                if response.cookies.get(settings.SESSION_COOKIE_NAME):  # signed out
                    _signed_in_as(client, users, role)
            if kind == "malformed":
                continue  # refusals come before the form is read: the two above show them
            with _undone():
                before = _snapshot()
                for url, name, rule in refused:
                    response = client.post(url, body[url])
                    if problem := _post_problem(response, role, rule):
                        wrong.append(f"{role} {kind} {name} {url}: {problem}")
                changes = _changed(before, _snapshot())
            if changes:  # find which POSTs did it
                for url, name, _ in refused:
                    with _undone():
                        before = _snapshot()
                        client.post(url, body[url])
                        if moved := _changed(before, _snapshot()):
                            wrong.append(f"{role} {kind} {name} {url}: refused but changed {moved}")
    assert wrong == [], "\n".join(wrong)


def test_a_url_without_a_post_rule_cannot_be_listed():
    with pytest.raises(TypeError, match="post"):
        Rule(perm=Perm.STAFF_AREA)  # type: ignore[call-arg]
