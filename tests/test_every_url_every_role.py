"""Every URL, visited as every role, gives exactly the access it should.

The table below must name every URL the site has: a new URL without a rule fails the test,
so nothing becomes public by accident. Drafts are 404 (not 403) to those who may not see them,
so their existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from policeplan.core.models import AuditEvent
from policeplan.core.roles import ROLE_PERMISSIONS, Perm, Role
from policeplan.plans import services
from policeplan.plans.models import VersionState

ROLES = ["anonymous", *Role.values]
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Rule:
    """Who may GET a URL. `perm` None means the public; `draft` means drafts apply."""

    perm: Perm | None = None
    draft: bool = False
    post_only: bool = False
    ok: int = 200  # what a permitted GET returns (302 for a step that needs a session first)
    hidden_unless: Perm | None = None  # 404 (not 403) without this, like drafts

    def expected(self, role: str) -> int:
        perms = ROLE_PERMISSIONS.get(role, frozenset())
        if self.perm is not None:
            if role == "anonymous":
                return 302
            if self.perm not in perms:
                return 403
        if self.draft and Perm.VIEW_DRAFTS not in perms:
            return 404
        if self.hidden_unless is not None and self.hidden_unless not in perms:
            return 404
        return 405 if self.post_only else self.ok


PUBLIC = Rule()


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
        seen = Rule(perm=Perm.STAFF_AREA, draft=is_draft)
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
    from policeplan.plans.models import Measure

    bound = Measure.objects.filter(outcome__priority__version=final).exclude(dataset="").first()
    edit = Rule(perm=Perm.EDIT_PLANS, draft=True)
    priority = draft.priorities.first()
    outcome = priority.outcomes.first()
    chapter = draft.chapters.first()
    v = draft.pk
    urls = {
        "/": ("plans:public-home", PUBLIC),
        "/sign-in/": ("core:sign-in", PUBLIC),
        "/sign-out/": ("core:sign-out", Rule(post_only=True)),
        "/signed-out/": ("core:signed-out", PUBLIC),
        "/accessibility/": ("core:accessibility", PUBLIC),
        "/privacy/": ("core:privacy", PUBLIC),
        "/cookies/": ("core:cookies", PUBLIC),
        "/contact/": ("core:contact", PUBLIC),
        "/staff/audit/": ("core:audit", Rule(perm=Perm.VIEW_AUDIT)),
        f"/plans/{plan.slug}/versions/": ("plans:history", PUBLIC),
        f"/plans/{plan.slug}/compare/": ("plans:compare", PUBLIC),
        "/staff/": ("plans:staff-home", Rule(perm=Perm.STAFF_AREA)),
        "/staff/plans/new/": ("plans:staff-plan-create", Rule(perm=Perm.EDIT_PLANS)),
        f"/staff/plans/{plan.slug}/new-draft/": (
            "plans:staff-new-draft",
            Rule(perm=Perm.EDIT_PLANS, post_only=True),
        ),
        f"/staff/versions/{v}/details/": ("plans:staff-version-details", edit),
        f"/staff/versions/{v}/publish/": (
            "plans:staff-publish",
            Rule(perm=Perm.PUBLISH_PLANS, draft=True),
        ),
        f"/staff/versions/{v}/chapters/add/": ("plans:staff-item-add", edit),
        f"/staff/versions/{v}/outcomes/add/?parent={priority.pk}": ("plans:staff-item-add", edit),
        f"/staff/versions/{v}/measures/add/?parent={outcome.pk}": ("plans:staff-item-add", edit),
        f"/staff/versions/{v}/chapters/{chapter.pk}/edit/": ("plans:staff-item-edit", edit),
        f"/staff/versions/{v}/priorities/{priority.pk}/remove/": ("plans:staff-item-remove", edit),
        f"/staff/versions/{v}/chapters/{chapter.pk}/move/": (
            "plans:staff-item-move",
            Rule(perm=Perm.EDIT_PLANS, draft=True, post_only=True),
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
        "/staff/data/": ("performance:catalogue", Rule(perm=Perm.IMPORT_DATA)),
        "/staff/data/import/": ("performance:upload", Rule(perm=Perm.IMPORT_DATA)),
        f"/staff/data/imports/{data_import.pk}/": (
            "performance:import",
            Rule(perm=Perm.IMPORT_DATA),
        ),
        f"/staff/data/imports/{data_import.pk}/status.json": (
            "performance:import-status",
            Rule(perm=Perm.IMPORT_DATA),
        ),
        "/staff/data/figures/": ("performance:figures", Rule(perm=Perm.IMPORT_DATA)),
        "/staff/data/caveats/": ("performance:caveats", Rule(perm=Perm.IMPORT_DATA)),
        "/staff/data/caveats/add/": ("performance:caveat-add", Rule(perm=Perm.IMPORT_DATA)),
        f"/staff/data/caveats/{caveat.pk}/": (
            "performance:caveat-edit",
            Rule(perm=Perm.IMPORT_DATA),
        ),
        f"/staff/data/caveats/{caveat.pk}/remove/": (
            "performance:caveat-remove",
            Rule(perm=Perm.IMPORT_DATA),
        ),
        **version_urls(final, PUBLIC),
        **version_urls(final.based_on or final, PUBLIC),
        **version_urls(draft, Rule(draft=True)),
        **staff_version_urls(final, False),
        **staff_version_urls(draft, True),
    }
    urls.update(consultation_urls(users))
    return urls, draft


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
    needs_session = Rule(ok=302)
    run = Rule(perm=Perm.RUN_CONSULTATIONS)
    read = Rule(perm=Perm.READ_RESPONSES)
    personal = Rule(perm=Perm.PERSONAL_DATA)
    s = f"/staff/consultations/{c.pk}"
    return {
        "/consultations/": ("consultations:hub", PUBLIC),
        "/consultations/continue/": ("consultations:resume", PUBLIC),
        "/consultations/withdraw/": ("consultations:withdraw", PUBLIC),
        f"/consultations/events/cancel/{registration.cancel_token}/": (
            "consultations:cancel",
            PUBLIC,
        ),
        f"{public}/": ("consultations:detail", PUBLIC),
        f"/consultations/{hidden.slug}/": (
            "consultations:detail",
            Rule(hidden_unless=Perm.RUN_CONSULTATIONS),
        ),
        f"{public}/respond/": ("consultations:respond", needs_session),
        f"{public}/respond/1/": ("consultations:section", PUBLIC),
        f"{public}/respond/about-you/": ("consultations:publishing", needs_session),
        f"{public}/respond/equality/": ("consultations:equality", needs_session),
        f"{public}/respond/check/": ("consultations:check", needs_session),
        f"{public}/respond/saved/": ("consultations:saved", needs_session),
        f"{public}/respond/sent/": ("consultations:confirmation", needs_session),
        f"{public}/events/{event.pk}/": ("consultations:event", PUBLIC),
        f"{public}/events/{event.pk}/registered/": ("consultations:registered", needs_session),
        "/staff/consultations/": ("consultations:staff-list", read),
        "/staff/consultations/new/": ("consultations:staff-new", run),
        "/staff/consultations/import/": ("consultations:staff-import", run),
        f"{s}/": ("consultations:staff-detail", read),
        f"{s}/edit/": ("consultations:staff-edit", run),
        f"{s}/publish/": (
            "consultations:staff-publish",
            Rule(perm=Perm.RUN_CONSULTATIONS, post_only=True),
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
            Rule(perm=Perm.RUN_CONSULTATIONS, post_only=True),
        ),
        f"{s}/events/add/": ("consultations:staff-event-add", run),
        f"{s}/events/{event.pk}/": ("consultations:staff-event", personal),
        f"{s}/events/{event.pk}/edit/": ("consultations:staff-event-edit", run),
        f"{s}/submissions/add/": ("consultations:staff-submission-add", run),
        f"{s}/responses/": ("consultations:staff-responses", read),
        f"{s}/responses/export.csv": ("consultations:staff-export-csv", read),
        f"{s}/responses/export.xlsx": ("consultations:staff-export-xlsx", read),
        f"{s}/responses/{response.pk}/": ("consultations:staff-response", read),
        f"{s}/responses/{response.pk}/everything.json": (
            "consultations:staff-respondent-export",
            personal,
        ),
        f"{s}/equality/": ("consultations:staff-equality", read),
        **analysis_urls(c, response, officer),
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
    analyse = Rule(perm=Perm.ANALYSE)
    post = Rule(perm=Perm.ANALYSE, post_only=True)
    # Results not yet published: hidden from all but those who analyse (who see a preview).
    unpublished = Rule(hidden_unless=Perm.ANALYSE)
    public = f"/consultations/{c.slug}"
    a = f"/staff/consultations/{c.pk}/analysis"
    f = f"/staff/analysis/codeframes/{frame.pk}"
    return {
        f"{public}/results/": ("analysis:results", unpublished),
        f"{public}/results.pdf": ("analysis:results-pdf", unpublished),
        f"{public}/you-said-we-did/": ("analysis:public-you-said", unpublished),
        f"{public}/you-said-we-did/visible-policing/": ("analysis:public-theme", unpublished),
        f"{a}/": ("analysis:overview", analyse),
        f"{a}/suggest/": ("analysis:suggest", post),
        f"{a}/dashboard/": ("analysis:dashboard", analyse),
        f"{a}/you-said-we-did/": ("analysis:you-said", analyse),
        f"{a}/you-said-we-did/themes/{theme.lineage}/": ("analysis:theme-response", analyse),
        f"{a}/you-said-we-did/changes/add/": ("analysis:plan-change-add", analyse),
        f"{a}/you-said-we-did/changes/{change.pk}/": ("analysis:plan-change-edit", analyse),
        f"{a}/responses/{response.pk}/": ("analysis:respondent", analyse),
        f"{f}/": ("analysis:codeframe", analyse),
        f"{f}/finalise/": ("analysis:finalise", post),
        f"{f}/run/": ("analysis:run-start", post),
        f"{f}/review/": ("analysis:queue", analyse),
        f"{f}/sample/": ("analysis:sample", analyse),
        f"{f}/sample/code/": ("analysis:blind", Rule(perm=Perm.ANALYSE, ok=302)),  # none drawn
        f"{f}/themes/{theme.lineage}/": ("analysis:theme", analyse),
        f"/staff/analysis/runs/{run.pk}/": ("analysis:run", analyse),
        f"/staff/analysis/runs/{run.pk}/status.json": ("analysis:run-status", analyse),
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
    covered = {name for name, _ in urls.values()} | {"admin:*", "api-v1:api-root"}
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
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_django_admin_is_for_administrators_only(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get("/django-admin/")
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/django-admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ["anonymous", Role.ANALYST, Role.COMMITTEE_MEMBER])
def test_roles_that_may_not_edit_change_nothing_by_posting(client, users, site, role):
    _, draft = site
    if role != "anonymous":
        client.force_login(users[role])
    chapter = draft.chapters.first()
    before = AuditEvent.objects.count()
    posts = {
        f"/staff/versions/{draft.pk}/chapters/add/": {"title": "Injected", "body": "x"},
        f"/staff/versions/{draft.pk}/chapters/{chapter.pk}/edit/": {
            "title": "Changed",
            "body": "x",
        },
        f"/staff/versions/{draft.pk}/chapters/{chapter.pk}/remove/": {},
        f"/staff/versions/{draft.pk}/publish/": {"state": "consultation"},
        f"/staff/plans/{draft.plan.slug}/new-draft/": {},
        "/staff/plans/new/": {"title": "X"},
    }
    from policeplan.consultations.models import Consultation

    consultation = Consultation.objects.get(slug="have-your-say")
    section = consultation.sections.first()
    c = f"/staff/consultations/{consultation.pk}"
    posts.update(
        {
            f"{c}/questions/add/?section={section.pk}": {"kind": "free_text", "text": "Injected"},
            f"{c}/sections/add/": {"title": "Injected"},
            f"{c}/submissions/add/": {"channel": "letter", "text": "Injected"},
            f"{c}/publish/": {},
            f"{c}/results/": {"results_summary": "Injected"},
        }
    )
    for url, data in posts.items():
        assert client.post(url, data).status_code in {302, 403, 404}, url
    assert AuditEvent.objects.count() == before
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT
    assert not draft.chapters.filter(title__in=["Injected", "Changed"]).exists()
