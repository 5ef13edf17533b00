"""Reads for analysis: the texts a codeframe codes, its coding, counts by theme with filters,
the review queue and the blind sample, and what the public results pages show."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from policeplan.analysis.models import (
    AnalysisRun,
    CodedText,
    Codeframe,
    PlanChange,
    Redaction,
    Stance,
    TextTheme,
    Theme,
    ThemeResponse,
)
from policeplan.consultations.disclosure import (
    area_count_shown,
    equality_group_shown,
    listing_allowed,
    text_for_viewer,
    withheld_cells,
)
from policeplan.consultations.models import (
    Answer,
    Consultation,
    Event,
    PublishConsent,
    Question,
    Response,
    ResponseStatus,
)

COUNTED = [ResponseStatus.SUBMITTED]


@dataclass(frozen=True)
class Source:
    """One text to code, with where it came from."""

    text: str
    answer_id: int | None = None
    response_id: int | None = None
    event_id: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        if self.answer_id:
            return ("answer", self.answer_id)
        if self.event_id:
            return ("event", self.event_id)
        return ("response", self.response_id or 0)


def texts_to_code(*, codeframe: Codeframe) -> list[Source]:
    """Every text a codeframe covers, oldest first: the answers to its question, or, for the
    codeframe without a question, written submissions and the notes of events."""
    if codeframe.question_id:
        rows = (
            Answer.objects.filter(question_id=codeframe.question_id, response__status__in=COUNTED)
            .exclude(text="")
            .order_by("response__submitted_at", "pk")
            .values_list("pk", "response_id", "text")
        )
        return [Source(text, answer_id=a, response_id=r) for a, r, text in rows]
    letters = (
        Response.objects.filter(consultation_id=codeframe.consultation_id, status__in=COUNTED)
        .exclude(body="")
        .order_by("submitted_at", "pk")
        .values_list("pk", "body")
    )
    notes = (
        Event.objects.filter(consultation_id=codeframe.consultation_id)
        .exclude(notes="")
        .order_by("starts_at", "pk")
        .values_list("pk", "notes")
    )
    return [Source(body, response_id=r) for r, body in letters] + [
        Source(text, event_id=e) for e, text in notes
    ]


def free_text_questions(*, consultation: Consultation) -> list[Question]:
    return list(
        Question.objects.filter(section__consultation=consultation, kind="free_text").order_by(
            "section__order", "order", "pk"
        )
    )


def codeframe_history(*, question: Any, consultation: Any = None) -> list[Codeframe]:
    """Every version of a question's codeframe (or of the written submissions' one, when
    `question` is None), newest first, each with its themes."""
    rows = Codeframe.objects.filter(question=question)
    if consultation is not None:
        rows = rows.filter(consultation=consultation)
    return list(
        rows.prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "pk")))
        .select_related("finalised_by")
        .order_by("-version")
    )


def codeframe_get(*, pk: int) -> Codeframe:
    codeframe = (
        Codeframe.objects.select_related("consultation", "question", "finalised_by")
        .filter(pk=pk)
        .first()
    )
    if codeframe is None:
        raise Http404("No such codeframe")
    return codeframe


def codeframe_latest(*, consultation: Consultation, question: Any) -> Codeframe | None:
    return (
        Codeframe.objects.filter(consultation=consultation, question=question)
        .order_by("-version")
        .first()
    )


def codeframe_final(*, consultation: Consultation, question: Any) -> Codeframe | None:
    """The newest finalised version: the one results are reported from."""
    return (
        Codeframe.objects.filter(
            consultation=consultation, question=question, finalised_at__isnull=False
        )
        .order_by("-version")
        .first()
    )


def run_latest(*, codeframe: Codeframe) -> AnalysisRun | None:
    return codeframe.runs.order_by("-created_at", "-pk").first()


def run_get(*, pk: int) -> AnalysisRun:
    run = AnalysisRun.objects.select_related("codeframe__consultation").filter(pk=pk).first()
    if run is None:
        raise Http404("No such run")
    return run


def _counted(rows: QuerySet[CodedText]) -> QuerySet[CodedText]:
    """Coded texts still counted: a withdrawn response drops out."""
    return rows.filter(Q(response__isnull=True) | Q(response__status__in=COUNTED))


@dataclass
class Filters:
    borough: str = ""
    channel: str = ""
    respondent_type: str = ""
    equality_field: str = ""
    equality_value: str = ""

    def apply(self, rows: QuerySet[CodedText]) -> QuerySet[CodedText]:
        if self.borough:
            rows = rows.filter(response__borough_code=self.borough)
        if self.channel:
            rows = rows.filter(response__channel=self.channel)
        if self.respondent_type:
            rows = rows.filter(response__respondent_type=self.respondent_type)
        if self.equality_field and self.equality_value:
            rows = rows.filter(
                **{f"response__equality__data__{self.equality_field}": self.equality_value}
            )
        return rows

    @property
    def any(self) -> bool:
        return any(vars(self).values())

    def withheld(self, rows: QuerySet[CodedText], min_cell: int | None = None) -> bool:
        """Whether these filtered texts pick out an equality group too small to show: the
        people behind them are counted and the disclosure policy decides."""
        if not self.equality_field:
            return False
        people = rows.exclude(response__isnull=True).values("response_id").distinct().count()
        return not equality_group_shown(people=people, min_cell=min_cell)


@dataclass
class ThemeCount:
    theme: Theme
    texts: int
    share: float | None
    reviewed: int = 0
    withheld: bool = False  # fewer people than the minimum cell, within an equality group


@dataclass
class CodeframeSummary:
    codeframe: Codeframe
    texts: int  # coded texts matching the filters
    uncoded: int
    themes: list[ThemeCount] = field(default_factory=list)
    reviewed: int = 0
    withheld: bool = False  # a filter picked out fewer people than the minimum cell
    stances: list[tuple[str, int]] = field(default_factory=list)  # where agreement is asked


def codeframe_summary(
    *, codeframe: Codeframe, filters: Filters | None = None, min_cell: int | None = None
) -> CodeframeSummary:
    """Themes by how many texts carry them, most first, under the filters. When the filters
    pick out an equality group smaller than `min_cell`, the counts are withheld."""
    filters = filters or Filters()
    rows = filters.apply(_counted(CodedText.objects.filter(codeframe=codeframe)))
    total = rows.count()
    themes = list(codeframe.themes.order_by("order", "pk"))
    if filters.withheld(rows, min_cell):
        return CodeframeSummary(codeframe, 0, 0, [], 0, withheld=True)
    counts = dict(
        TextTheme.objects.filter(coded__in=rows)
        .values_list("theme_id")
        .annotate(n=Count("coded_id", distinct=True))
        .values_list("theme_id", "n")
    )
    reviewed = rows.filter(reviewed_at__isnull=False).count()
    uncoded = rows.filter(links__isnull=True).count()
    out = [
        ThemeCount(t, counts.get(t.pk, 0), counts.get(t.pk, 0) / total if total else None)
        for t in themes
    ]
    if filters.equality_field:
        # Within an equality group, a theme said by fewer people than the minimum is
        # withheld (shown as "fewer than"), with the next smallest when only one would be,
        # as the equality tables do.
        for i in withheld_cells([c.texts for c in out], min_cell=min_cell):
            out[i].texts, out[i].share, out[i].withheld = 0, None, True
    out.sort(key=lambda c: (-c.texts, c.theme.order))
    stance = dict(
        rows.exclude(stance="")
        .values_list("stance")
        .annotate(n=Count("pk"))
        .values_list("stance", "n")
    )
    stances = [(label, stance[value]) for value, label in Stance.choices if stance.get(value)]
    if filters.equality_field:
        hidden = withheld_cells([n for _, n in stances], min_cell=min_cell)
        stances = [s for i, s in enumerate(stances) if i not in hidden]
    return CodeframeSummary(codeframe, total, uncoded, out, reviewed, stances=stances)


def _with_sources(rows: QuerySet[CodedText]) -> QuerySet[CodedText]:
    return rows.select_related("answer", "response", "event").prefetch_related(
        Prefetch("links", queryset=TextTheme.objects.select_related("theme"))
    )


def shown_text(*, coded: CodedText, user: Any) -> str:
    """A coded text as this user may read it: an answer as written; a letter, email or event
    note through the personal-details policy."""
    if coded.answer_id:
        return coded.text
    return text_for_viewer(text=coded.text, user=user)


def with_shown_texts(rows: Any, *, user: Any) -> Any:
    """Set `.shown` on each coded text of a page (what templates print), and return them."""
    for coded in rows:
        coded.shown = shown_text(coded=coded, user=user)
    return rows


def examples_for_viewer(*, theme: Theme, user: Any) -> list[str]:
    """A theme's example quotes as this user may read them (letters and notes masked)."""
    return [
        e.get("text", "") if e.get("answer") else text_for_viewer(text=e.get("text", ""), user=user)
        for e in theme.examples or []
    ]


def review_queue(*, codeframe: Codeframe, reviewed: bool = False) -> QuerySet[CodedText]:
    """Texts for review, the machine's least certain first."""
    rows = _counted(codeframe.texts.filter(reviewed_at__isnull=not reviewed, in_sample=False))
    return _with_sources(rows).order_by("confidence", "pk")


def coded_text_get(*, pk: int) -> CodedText:
    coded = (
        _with_sources(CodedText.objects.filter(pk=pk))
        .select_related("codeframe__consultation", "codeframe__question")
        .first()
    )
    if coded is None:
        raise Http404("No such text")
    return coded


@dataclass
class ThemeTexts:
    theme: Theme
    rows: QuerySet[CodedText]  # the texts to list: none under an equality filter
    count: int  # how many texts match the filters (0 when withheld)
    withheld: bool  # an equality group too small to count
    listed: bool  # whether texts may be listed at all under these filters


def theme_texts(
    *,
    codeframe: Codeframe,
    lineage: uuid.UUID,
    filters: Filters | None = None,
    min_cell: int | None = None,
) -> ThemeTexts:
    """A theme's texts under the filters. Under an equality filter only their number is
    given (the disclosure policy lists no one by an equality answer), and not even that when
    the group is too small to show."""
    theme = codeframe.themes.filter(lineage=lineage).first()
    if theme is None:
        raise Http404("No such theme")
    filters = filters or Filters()
    rows = filters.apply(_counted(codeframe.texts.filter(links__theme=theme)))
    listed = listing_allowed(equality_filtered=bool(filters.equality_field))
    if filters.withheld(rows, min_cell):
        return ThemeTexts(theme, CodedText.objects.none(), 0, True, listed)
    if not listed:
        return ThemeTexts(theme, CodedText.objects.none(), rows.count(), False, False)
    return ThemeTexts(
        theme, _with_sources(rows).order_by("-evidence_rich", "pk"), rows.count(), False, True
    )


def sample(*, codeframe: Codeframe) -> QuerySet[CodedText]:
    return _with_sources(codeframe.texts.filter(in_sample=True)).order_by("pk")


def sample_next(*, codeframe: Codeframe) -> CodedText | None:
    return (
        codeframe.texts.filter(in_sample=True, blind__isnull=True)
        .select_related("answer", "response", "event")
        .order_by("pk")
        .first()
    )


def text_themes_for_response(*, response: Response) -> dict[int, list[str]]:
    """For the respondent view: each answer's themes (newest codeframe), by answer id, and
    the written body's under key 0."""
    out: dict[int, list[str]] = {}
    rows = (
        CodedText.objects.filter(response=response)
        .select_related("codeframe")
        .prefetch_related(Prefetch("links", queryset=TextTheme.objects.select_related("theme")))
        .order_by("codeframe__version")
    )
    for coded in rows:  # later versions overwrite earlier
        out[coded.answer_id or 0] = [link.theme.label for link in coded.links.all()]
    return out


# Quoting ------------------------------------------------------------------------------------


def quotable(response: Response) -> bool:
    return (
        response.publish_consent == PublishConsent.ANONYMOUS
        and response.status == ResponseStatus.SUBMITTED
    )


def redactions_for(*, response_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for rid, phrase in Redaction.objects.filter(response_id__in=response_ids).values_list(
        "response_id", "phrase"
    ):
        out.setdefault(rid, []).append(phrase)
    return out


def quote(text: str, phrases: list[str]) -> str:
    """The text as it may be published: personal details and analysts' phrases masked."""
    from policeplan.textanalysis.redact import redact  # compiled when first used, not at start

    return redact(text, extra=phrases).text


def confirmed(coded: CodedText, theme: Theme) -> bool:
    """Whether an analyst has confirmed that this text carries the theme: they reviewed it
    into the theme, or coded it blind into the theme the machine gave it. The machine's
    assignment alone never is (a theme's blind F1 can be 0)."""
    if coded.reviewed_at is not None:
        return any(link.by_analyst and link.theme_id == theme.pk for link in coded.links.all())
    return coded.in_sample and str(theme.lineage) in (coded.blind or [])


def theme_quotes(*, codeframe: Codeframe, theme: Theme, limit: int = 3) -> list[str]:
    """Up to `limit` quotes for a theme, from consenting responses only, masked, and only
    from texts an analyst has confirmed carry it (`confirmed`); texts rich in evidence first,
    then those the machine is surest of."""
    candidates = (
        _counted(
            codeframe.texts.filter(
                Q(links__theme=theme)
                & (Q(links__by_analyst=True) | Q(in_sample=True, blind__isnull=False)),
                answer__isnull=False,
            )
        )
        .filter(response__publish_consent=PublishConsent.ANONYMOUS)
        .select_related("answer", "response")
        .prefetch_related("links")
        .order_by("-evidence_rich", "-confidence", "pk")
        .distinct()
    )
    rows = [c for c in candidates[: limit * 10] if confirmed(c, theme)]
    phrases = redactions_for(response_ids=[c.response_id for c in rows if c.response_id])
    seen: set[str] = set()
    out = []
    for coded in rows:
        text = quote(coded.text, phrases.get(coded.response_id or 0, []))
        if text not in seen:
            seen.add(text)
            out.append(text)
        if len(out) == limit:
            break
    return out


def theme_responses(*, consultation: Consultation) -> list[ThemeResponse]:
    return list(
        ThemeResponse.objects.filter(consultation=consultation).prefetch_related(
            Prefetch(
                "plan_changes",
                queryset=PlanChange.objects.select_related("from_version", "to_version"),
            )
        )
    )


def theme_response_public(*, consultation: Consultation, slug: str) -> ThemeResponse:
    found = ThemeResponse.objects.filter(consultation=consultation, slug=slug).first()
    if found is None:
        raise Http404("No such theme")
    return found


def plan_changes(*, consultation: Consultation) -> list[PlanChange]:
    return list(
        PlanChange.objects.filter(consultation=consultation)
        .select_related("from_version", "to_version")
        .prefetch_related("themes")
    )


def plan_change_get(*, consultation: Consultation, pk: int) -> PlanChange:
    found = PlanChange.objects.filter(consultation=consultation, pk=pk).first()
    if found is None:
        raise Http404("No such change")
    return found


# The published summary of responses ---------------------------------------------------------


@dataclass
class QuestionResults:
    name: str
    codeframe: Codeframe
    summary: CodeframeSummary
    quotes: dict[int, list[str]]  # by theme id
    responses: dict[str, ThemeResponse]  # by theme lineage


def results_report(*, consultation: Consultation, min_cell: int) -> dict[str, Any]:
    """Everything the summary of responses shows: who responded, the themes per question
    with quotes from consenting respondents, the agreement scores and the responses."""
    from policeplan.consultations import selectors as consultations

    written = {str(r.lineage): r for r in theme_responses(consultation=consultation)}
    questions = []
    for question in [*free_text_questions(consultation=consultation), None]:
        frame = codeframe_final(consultation=consultation, question=question)
        if frame is None or not frame.texts.exists():
            continue
        summary = codeframe_summary(codeframe=frame)
        questions.append(
            QuestionResults(
                name=question.text if question else "Written submissions and event notes",
                codeframe=frame,
                summary=summary,
                quotes={
                    c.theme.pk: theme_quotes(codeframe=frame, theme=c.theme)
                    for c in summary.themes
                    if c.texts
                },
                responses={
                    str(c.theme.lineage): written[str(c.theme.lineage)]
                    for c in summary.themes
                    if str(c.theme.lineage) in written
                },
            )
        )
    counts = consultations.dashboard(consultation=consultation)
    return {
        "counts": counts,
        "boroughs": [
            (name, area_count_shown(count=n, min_cell=min_cell)) for name, n in counts.by_borough
        ],
        "equality": consultations.equality_tables(consultation=consultation, min_cell=min_cell),
        "questions": questions,
        "theme_responses": list(written.values()),
        "changes": plan_changes(consultation=consultation),
        "min_cell": min_cell,
    }


@dataclass
class BoroughResults:
    consultation: Consultation
    responses: int | None  # None: fewer than the minimum cell (withheld)
    themes: list[ThemeCount]  # the most common among the borough's texts, counts withheld


def borough_results(*, borough_code: str, min_cell: int, top: int = 5) -> list[BoroughResults]:
    """For each consultation whose summary of responses is published, how many responses came
    from the borough and the themes most raised in them, under the published summary's rule
    for small numbers (`area_count_shown`; theme counts as an equality group's are)."""
    found = []
    for consultation in Consultation.objects.filter(results_published_at__isnull=False).order_by(
        "-results_published_at"
    ):
        n = Response.objects.filter(
            consultation=consultation, status__in=COUNTED, borough_code=borough_code
        ).count()
        shown = area_count_shown(count=n, min_cell=min_cell)
        themes: list[ThemeCount] = []
        if shown:
            for question in [*free_text_questions(consultation=consultation), None]:
                frame = codeframe_final(consultation=consultation, question=question)
                if frame is not None:
                    summary = codeframe_summary(
                        codeframe=frame, filters=Filters(borough=borough_code)
                    )
                    themes.extend(c for c in summary.themes if c.texts)
            themes.sort(key=lambda c: -c.texts)
            themes = themes[:top]
            for i in withheld_cells([c.texts for c in themes], min_cell=min_cell):
                themes[i].texts, themes[i].share, themes[i].withheld = 0, None, True
        found.append(BoroughResults(consultation, shown, themes))
    return found


def measure_headlines(*, changes: list[PlanChange]) -> dict[str, Any]:
    """For the plan changes' measures: each measure's latest figure from the one measure
    presenter (a `performance.presenter.Headline`), by lineage."""
    from policeplan.performance import selectors as performance
    from policeplan.plans.models import Measure

    lineages = {str(c.measure_lineage) for c in changes if c.measure_lineage}
    if not lineages:
        return {}
    measures = list(
        Measure.objects.filter(
            lineage__in=lineages,
            outcome__priority__version__in={c.to_version_id for c in changes},
        )
    )
    heads = performance.measure_headlines(measures=measures, area=performance.main_force())
    return {str(m.lineage): heads[m.pk] for m in measures}


def plan_changes_citing(*, recommendation_ids: list[int]) -> dict[int, list[PlanChange]]:
    """The published plan changes (of consultations whose results are published) that cite
    each of these scrutiny recommendations, by recommendation id: one query."""
    if not recommendation_ids:
        return {}
    through = PlanChange.recommendations.through
    rows = (
        through.objects.filter(
            recommendation_id__in=recommendation_ids,
            planchange__consultation__results_published_at__isnull=False,
        )
        .select_related("planchange__from_version__plan", "planchange__to_version__plan")
        .order_by("planchange_id")
    )
    out: dict[int, list[PlanChange]] = {}
    for row in rows:
        out.setdefault(row.recommendation_id, []).append(row.planchange)
    return out


def you_said_published_between(
    *, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[Consultation, list[ThemeResponse]]]:
    """The consultations whose results were published in [start, end), oldest first, each
    with its 'you said, we did' themes and the plan changes they led to."""
    found = Consultation.objects.filter(
        results_published_at__gte=start, results_published_at__lt=end
    ).order_by("results_published_at", "pk")
    return [(c, theme_responses(consultation=c)) for c in found]
