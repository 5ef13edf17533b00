"""Every URL of the consultation and analysis apps, from the URL resolver (so a new route is
walked by the privacy tests without anyone remembering to add it), filled in with the ids of
a test's objects."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

NAMESPACES = ("consultations", "analysis")


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    kwargs: tuple[str, ...]


def routes(namespaces: tuple[str, ...] = NAMESPACES) -> list[Route]:
    out: list[Route] = []

    def walk(patterns: list, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace in namespaces:
                out.append(Route(f"{namespace}:{p.name}", tuple(p.pattern.converters)))

    walk(get_resolver().url_patterns, "")
    return out


def url_for(route: Route, values: dict[str, object]) -> str | None:
    """The route's URL with the test's ids, or None when the test has no value for one."""
    if any(k not in values for k in route.kwargs):
        return None
    return reverse(route.name, kwargs={k: values[k] for k in route.kwargs})


def body_text(response) -> str:
    """What a person gets from a response: the page, the CSV, or every cell of a workbook."""
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "pdf" in kind:
        return response.content.decode("latin-1")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def site_values(*, consultation, officer, frame, theme, response, coded, event=None) -> dict:
    """The ids every consultation and analysis URL needs, around a test's codeframe, theme,
    response and coded text: an event with a registration, a finished run, the office's
    response to the theme, a plan change, and the results published."""
    from django.utils import timezone

    from policeplan.analysis.models import AnalysisRun, PlanChange, ThemeResponse
    from policeplan.consultations.models import Event, Question, Registration, Stage
    from policeplan.plans.models import PlanVersion

    if event is None:
        event = Event.objects.create(
            consultation=consultation,
            kind="town_hall",
            title="Town hall",
            starts_at=consultation.opens_at,
            ends_at=consultation.closes_at,
            capacity=10,
        )
    registration = Registration.objects.create(
        event=event, name="Reg", email="reg@example.org", status="confirmed", cancel_token="t" * 40
    )
    run = AnalysisRun.objects.create(
        codeframe=frame,
        status="succeeded",
        progress=100,
        summary={"engine": "tfidf", "texts": 3, "uncoded": 0, "examples": 2, "untaught": []},
    )
    answer = ThemeResponse.objects.create(
        consultation=consultation,
        lineage=theme.lineage,
        label=theme.label,
        slug="the-theme",
        you_said="Lighting.",
        we_did="More lights.",
    )
    final = PlanVersion.objects.filter(state="final").order_by("-number").first()
    change = PlanChange.objects.create(
        consultation=consultation,
        from_version=consultation.plan_version,
        to_version=final,
        item="X",
        summary="Y",
    )
    change.themes.set([answer])
    consultation.results_published_at = timezone.now()
    consultation.save(update_fields=["results_published_at"])
    question = Question.objects.filter(section__consultation=consultation).first()
    return {
        "consultation_id": consultation.pk,
        "slug": consultation.slug,
        "codeframe_id": frame.pk,
        "lineage": theme.lineage,
        "theme": answer.slug,
        "response_id": response.pk,
        "text_id": coded.pk,
        "event_id": event.pk,
        "run_id": run.pk,
        "change_id": change.pk,
        "question_id": question.pk,
        "section_id": question.section_id,
        "stage_id": Stage.objects.filter(consultation=consultation).first().pk,
        "number": 1,
        "kind": "questions",
        "item_id": question.pk,
        "token": registration.cancel_token,
    }
