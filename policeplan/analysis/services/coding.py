"""Writes for coding texts: the machine's run over a finalised codeframe (a background job
with progress), analysts' review and corrections, the blind sample and its agreement score,
and redaction of quotes.

Every write checks permission, is one transaction and records an audit event. A run writes
nothing until the engine has finished, and then writes everything at once, so a failed run
leaves the previous coding as it was.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.analysis import selectors
from policeplan.analysis.models import (
    AnalysisRun,
    CodedText,
    Codeframe,
    Redaction,
    RunStatus,
    TextTheme,
)
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.textanalysis import signals
from policeplan.textanalysis.engine import Example, engine_named, normal
from policeplan.textanalysis.metrics import agreement

CHUNK = 2000


def analysis_run_start(*, user: Any, codeframe: Codeframe, engine: str = "tfidf") -> AnalysisRun:
    """Queue the machine's coding of every text against a finalised codeframe."""
    ensure(user, Perm.ANALYSE)
    if not codeframe.is_final:
        raise ValidationError("Finalise the codeframe before the machine assigns its themes")
    with transaction.atomic():
        run = AnalysisRun.objects.create(
            codeframe=codeframe, created_by=user, summary={"engine": engine}
        )
        audit_record(actor=user, action="analysis.run", obj=codeframe)
        from policeplan.analysis import tasks
        from policeplan.core import jobs

        jobs.enqueue(tasks.run_analysis, run.pk)
    return run


def _progress(run: AnalysisRun, percent: int, message: str) -> None:
    AnalysisRun.objects.filter(pk=run.pk).update(progress=percent, message=message)


def _labels_by_lineage(codeframe: Codeframe) -> dict[str, str]:
    """Every theme lineage an earlier version may have used, mapped to the label of the theme
    it became here: itself, or the theme it was merged into. A theme split in two maps to
    neither (which half an old coding meant cannot be known), nor does a removed one."""
    mapping: dict[str, str] = {}
    split: set[str] = set()
    for theme in codeframe.themes.all():
        mapping[str(theme.lineage)] = theme.label
        for old in theme.came_from:
            if old in mapping and mapping[old] != theme.label:
                split.add(old)
            mapping.setdefault(old, theme.label)
    return {lineage: label for lineage, label in mapping.items() if lineage not in split}


def _examples(codeframe: Codeframe) -> list[Example]:
    """What the engine learns from: each theme's example quotes, and every text an analyst
    has reviewed, in this version or an earlier one of the same codeframe (carried over by
    theme lineage), never the blind sample, which would mark its own homework."""
    examples: dict[str, Example] = {}
    for theme in codeframe.themes.all():
        for quote in theme.examples:
            text = quote.get("text", "").strip()
            if text:
                examples.setdefault(text, Example(text)).themes.add(theme.label)
    labels = _labels_by_lineage(codeframe)
    reviewed = (
        CodedText.objects.filter(
            codeframe__consultation_id=codeframe.consultation_id,
            codeframe__question=codeframe.question,
            codeframe__version__lte=codeframe.version,
            reviewed_at__isnull=False,
            in_sample=False,
        )
        .select_related("answer", "response", "event")
        .prefetch_related("links__theme")
        .order_by("codeframe__version", "reviewed_at")  # the latest reading wins
    )
    for coded in reviewed:
        lineages = [str(link.theme.lineage) for link in coded.links.all()]
        if any(lineage not in labels for lineage in lineages):
            continue  # coded with a theme since split or removed: no longer a clear example
        text = coded.text.strip()
        if text:
            examples[text] = Example(text, {labels[lineage] for lineage in lineages})
    return [e for e in examples.values() if e.themes]


def analysis_run_execute(*, run_id: int) -> AnalysisRun:
    """Run the engine (called by the background job)."""
    run = AnalysisRun.objects.select_related("codeframe__question").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.FAILED):
        return run
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=1, message="Starting"
    )
    try:
        summary = _execute(run)
    except (ValueError, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, message=message, finished_at=timezone.now()
        )
    else:
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=RunStatus.SUCCEEDED,
            progress=100,
            message="Finished",
            summary={**run.summary, **summary},
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def _execute(run: AnalysisRun) -> dict[str, Any]:
    codeframe = run.codeframe
    themes = {t.label: t for t in codeframe.themes.all()}
    examples = _examples(codeframe)
    taught = {label for e in examples for label in e.themes}
    untaught = sorted(set(themes) - taught)
    _progress(run, 5, f"Learning from {len(examples):,} examples")
    engine = engine_named(run.summary.get("engine", "tfidf"))
    engine.fit(examples)
    sources = selectors.texts_to_code(codeframe=codeframe)
    asks = bool(codeframe.question and signals.asks_agreement(codeframe.question.text))
    coded: list[list[Any]] = []
    for start in range(0, len(sources), CHUNK):
        chunk = sources[start : start + CHUNK]
        coded.extend(engine.assign([s.text for s in chunk]))
        done = min(len(sources), start + CHUNK)
        _progress(run, 5 + int(85 * done / max(1, len(sources))), f"Coded {done:,} texts")
    _progress(run, 92, "Saving")
    with transaction.atomic():
        _save_coding(codeframe, sources, coded, themes, asks)
        if codeframe.texts.filter(blind__isnull=False).exists():
            agreement_compute(codeframe=codeframe)
    uncoded = sum(1 for a in coded if not a)
    return {
        "texts": len(sources),
        "uncoded": uncoded,
        "examples": len(examples),
        "untaught": untaught,
    }


def _save_coding(
    codeframe: Codeframe,
    sources: list[Any],
    coded: list[list[Any]],
    themes: dict[str, Any],
    asks: bool,
) -> None:
    existing = {
        selectors.Source("", c.answer_id, c.response_id, c.event_id).key: c
        for c in codeframe.texts.all()
    }
    new, changed = [], []
    for source, assigned in zip(sources, coded, strict=True):
        machine = [
            {"theme": str(themes[a.theme].lineage), "confidence": a.confidence} for a in assigned
        ]
        kinds = signals.evidence_kinds(source.text)
        fields = {
            "machine": machine,
            "confidence": min((a.confidence for a in assigned), default=0.0),
            "stance": signals.stance(source.text) if asks else "",
            "evidence": kinds,
            "evidence_rich": len(kinds) >= 2,
        }
        row = existing.pop(source.key, None)
        if row is None:
            new.append(
                CodedText(
                    codeframe=codeframe,
                    answer_id=source.answer_id,
                    response_id=source.response_id,
                    event_id=source.event_id,
                    **fields,
                )
            )
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            changed.append(row)
    CodedText.objects.bulk_create(new, batch_size=1000)
    CodedText.objects.bulk_update(
        changed, ["machine", "confidence", "stance", "evidence", "evidence_rich"], batch_size=1000
    )
    # The machine's themes replace its earlier ones; an analyst's reading stays.
    rows = list(codeframe.texts.filter(reviewed_at__isnull=True))
    TextTheme.objects.filter(coded__in=[r.pk for r in rows]).delete()
    by_lineage = {str(t.lineage): t for t in themes.values()}
    TextTheme.objects.bulk_create(
        (
            TextTheme(coded=r, theme=by_lineage[m["theme"]], confidence=m["confidence"])
            for r in rows
            for m in r.machine
        ),
        batch_size=2000,
    )


def _lineages(codeframe: Codeframe, lineages: Iterable[Any]) -> list[Any]:
    wanted = {str(x) for x in lineages}
    themes = [t for t in codeframe.themes.all() if str(t.lineage) in wanted]
    if len(themes) != len(wanted):
        raise ValidationError("Choose themes from this codeframe")
    return themes


@transaction.atomic
def coded_text_review(
    *, user: Any, coded: CodedText, themes: Iterable[Any], stance: str | None = None
) -> CodedText:
    """An analyst's reading of one text: it replaces the machine's, is audited (before and
    after) and teaches the next run."""
    ensure(user, Perm.ANALYSE)
    chosen = _lineages(coded.codeframe, themes)
    before = sorted(link.theme.label for link in coded.links.select_related("theme"))
    coded.links.all().delete()
    TextTheme.objects.bulk_create(TextTheme(coded=coded, theme=t, by_analyst=True) for t in chosen)
    after = sorted(t.label for t in chosen)
    changes: dict[str, Any] = {"themes": [before, after]}
    if stance is not None and stance != coded.stance:
        changes["stance"] = [coded.stance, stance]
        coded.stance = stance
    coded.reviewed_at = timezone.now()
    coded.reviewed_by = user
    coded.save(update_fields=["stance", "reviewed_at", "reviewed_by"])
    audit_record(
        actor=user,
        action="analysis.review" if before == after else "analysis.correct",
        obj=coded,
        changes=changes,
    )
    return coded


@transaction.atomic
def sample_draw(*, user: Any, codeframe: Codeframe, size: int = 50, seed: int | None = None) -> int:
    """Draw texts at random, not yet reviewed, for an analyst to code blind. Returns how
    many were drawn. The seed is audited, so the draw can be repeated."""
    ensure(user, Perm.ANALYSE)
    if not codeframe.texts.exists():
        raise ValidationError("Run the machine's coding before drawing a sample")
    if size < 1:
        raise ValidationError("Draw at least one text")
    seed = seed if seed is not None else secrets.randbits(32)
    # Texts the machine learnt from (a theme's example quotes) would flatter it: leave out
    # every text that reads the same as one.
    taught = {normal(e.get("text", "")) for t in codeframe.themes.all() for e in t.examples}
    pool = [
        c.pk
        for c in codeframe.texts.filter(in_sample=False, reviewed_at__isnull=True).select_related(
            "answer", "response", "event"
        )
        if normal(c.text) not in taught
    ]
    chosen = random.Random(seed).sample(sorted(pool), min(size, len(pool)))  # noqa: S311
    CodedText.objects.filter(pk__in=chosen).update(in_sample=True)
    audit_record(
        actor=user,
        action="analysis.sample",
        obj=codeframe,
        changes={"sample": [None, {"size": len(chosen), "seed": seed}]},
    )
    return len(chosen)


@transaction.atomic
def blind_code(*, user: Any, coded: CodedText, themes: Iterable[Any]) -> CodedText:
    """An analyst's coding of a sampled text, made without seeing the machine's."""
    ensure(user, Perm.ANALYSE)
    if not coded.in_sample:
        raise ValidationError("This text is not in the blind sample")
    chosen = _lineages(coded.codeframe, themes)
    coded.blind = sorted(str(t.lineage) for t in chosen)
    coded.blind_at = timezone.now()
    coded.blind_by = user
    coded.save(update_fields=["blind", "blind_at", "blind_by"])
    audit_record(actor=user, action="analysis.blind_code", obj=coded)
    agreement_compute(codeframe=coded.codeframe)
    return coded


def agreement_compute(*, codeframe: Codeframe) -> dict[str, Any] | None:
    """Precision, recall and F1 of the machine against the blind coding, with bootstrap 95%
    intervals, stored on the codeframe."""
    rows = list(codeframe.texts.filter(blind__isnull=False).values_list("blind", "machine"))
    if not rows:
        return None
    labels = {str(t.lineage): t.label for t in codeframe.themes.all()}
    truth = [{labels[x] for x in blind or [] if x in labels} for blind, _ in rows]
    machine = [{labels[m["theme"]] for m in made if m["theme"] in labels} for _, made in rows]
    result = asdict(agreement(truth, machine))
    result["sampled"] = codeframe.texts.filter(in_sample=True).count()
    Codeframe.objects.filter(pk=codeframe.pk).update(agreement=result, agreement_at=timezone.now())
    codeframe.agreement = result
    return result


@transaction.atomic
def redaction_add(*, user: Any, response: Any, phrase: str, reason: str) -> Redaction:
    """Mask a phrase wherever the response is quoted, with the reason recorded."""
    ensure(user, Perm.ANALYSE)
    phrase, reason = phrase.strip(), reason.strip()
    if not phrase:
        raise ValidationError({"phrase": "Enter the words to mask"})
    if not reason:
        raise ValidationError({"reason": "Enter why these words are masked"})
    texts = [response.body, *response.answers.values_list("text", flat=True)]
    if not any(phrase in text for text in texts):
        raise ValidationError({"phrase": "These words are not in the response: copy them exactly"})
    redaction = Redaction.objects.create(
        response=response, phrase=phrase, reason=reason, created_by=user
    )
    audit_record(
        actor=user, action="analysis.redact", obj=response, changes={"reason": [None, reason]}
    )
    return redaction
