"""Writes for analysis: suggest a codeframe, change it, finalise it. Each checks permission,
runs in one transaction and records one audit event; a finalised codeframe never changes
(changing it makes the next version)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from policeplan.analysis.models import Codeframe, Theme
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.textanalysis.engine import engine_named, normal


def _next_version(consultation_id: int, question_id: int | None) -> int:
    last = Codeframe.all_objects.filter(
        consultation_id=consultation_id, question_id=question_id
    ).aggregate(m=Max("version"))["m"]
    return (last or 0) + 1


@transaction.atomic
def codeframe_suggest(
    *,
    user: Any,
    consultation: Any,
    question: Any = None,
    count: int = 8,
    engine: str = "tfidf",
) -> Codeframe:
    """The machine's suggested themes, as a new draft codeframe: for a free-text question, or
    (with no question) for the written submissions and event notes."""
    from policeplan.analysis.selectors import texts_to_code

    ensure(user, Perm.ANALYSE)
    if question is not None and question.kind != "free_text":
        raise ValidationError("Themes are suggested for free-text questions")
    codeframe = Codeframe(consultation=consultation, question=question)
    sources = texts_to_code(codeframe=codeframe)
    try:
        suggested = engine_named(engine).suggest([s.text for s in sources], count=count)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    codeframe.version = _next_version(consultation.pk, question.pk if question else None)
    codeframe.engine = engine
    codeframe.change_note = f"Suggested by the {engine} engine from {len(sources):,} texts."
    codeframe.created_by = codeframe.modified_by = user
    codeframe.save()
    Theme.objects.bulk_create(
        Theme(
            codeframe=codeframe,
            label=t.label,
            description=t.description,
            examples=_distinct([_example(sources[i]) for i in t.example_indexes]),
            share=round(t.share, 4),
            order=n,
        )
        for n, t in enumerate(suggested)
    )
    audit_record(actor=user, action="codeframe.suggest", obj=codeframe)
    return codeframe


def _distinct(examples: list[dict[str, Any]], limit: int = 5) -> list[dict[str, Any]]:
    """Examples with no text twice (many answers repeat the same words)."""
    seen: set[str] = set()
    out = []
    for example in examples:
        key = normal(example["text"])
        if key not in seen:
            seen.add(key)
            out.append(example)
    return out[:limit]


def _example(source: Any) -> dict[str, Any]:
    kind, pk = source.key
    return {kind: pk, "text": source.text}


def _copy(codeframe: Codeframe, user: Any) -> Codeframe:
    new = Codeframe.objects.create(
        consultation_id=codeframe.consultation_id,
        question_id=codeframe.question_id,
        version=_next_version(codeframe.consultation_id, codeframe.question_id),
        based_on=codeframe,
        engine=codeframe.engine,
        created_by=user,
        modified_by=user,
    )
    Theme.objects.bulk_create(
        Theme(
            codeframe=new,
            lineage=t.lineage,
            label=t.label,
            description=t.description,
            examples=t.examples,
            share=t.share,
            came_from=t.came_from,
            order=t.order,
        )
        for t in codeframe.themes.all()
    )
    return new


def _theme(codeframe: Codeframe, lineage: Any) -> Theme:
    theme = codeframe.themes.filter(lineage=lineage).first()
    if theme is None:
        raise ValidationError(f"No theme {lineage} in this codeframe")
    return theme


def _apply(codeframe: Codeframe, op: dict[str, Any]) -> str:
    kind = op.get("op")
    last = codeframe.themes.aggregate(m=Max("order"))["m"] or 0
    if kind == "rename":
        theme = _theme(codeframe, op["theme"])
        old = theme.label
        theme.label = op["label"].strip()
        theme.description = op.get("description", theme.description)
        theme.save(update_fields=["label", "description"])
        if old == theme.label:
            return f"described ‘{old}’"
        return f"renamed ‘{old}’ to ‘{theme.label}’"
    if kind == "merge":
        themes = [_theme(codeframe, lineage) for lineage in op["themes"]]
        if len(themes) < 2:
            raise ValidationError("Choose two or more themes to merge")
        keep, *rest = themes
        keep.came_from = sorted(
            {
                *keep.came_from,
                *(str(t.lineage) for t in rest),
                *(c for t in rest for c in t.came_from),
            }
        )
        keep.label = op.get("label", keep.label).strip()
        keep.examples = _distinct([e for t in themes for e in t.examples])
        keep.share = sum(t.share or 0 for t in themes) or None
        keep.save()
        for t in rest:
            t.delete()
        return f"merged {len(themes)} themes into ‘{keep.label}’"
    if kind == "split":
        theme = _theme(codeframe, op["theme"])
        labels = [label.strip() for label in op["labels"] if label.strip()]
        if len(labels) < 2:
            raise ValidationError("Give two or more themes to split into")
        for n, label in enumerate(labels):
            Theme.objects.create(
                codeframe=codeframe, label=label, came_from=[str(theme.lineage)], order=last + n + 1
            )
        theme.delete()
        return f"split ‘{theme.label}’ into {', '.join(labels)}"
    if kind == "add":
        theme = Theme.objects.create(
            codeframe=codeframe,
            label=op["label"].strip(),
            description=op.get("description", ""),
            order=last + 1,
        )
        return f"added ‘{theme.label}’"
    if kind == "remove":
        theme = _theme(codeframe, op["theme"])
        theme.delete()
        return f"removed ‘{theme.label}’"
    raise ValidationError(f"Unknown change '{kind}'")


@transaction.atomic
def codeframe_change(
    *, user: Any, codeframe: Codeframe, operations: list[dict[str, Any]]
) -> Codeframe:
    """Rename, merge, split, add or remove themes. On a finalised codeframe the changes make
    the next version, which starts as a draft; the finalised one is kept unchanged."""
    ensure(user, Perm.ANALYSE)
    target = _copy(codeframe, user) if codeframe.is_final else codeframe
    done = [_apply(target, op) for op in operations]
    labels = [t.label for t in target.themes.all()]
    if any(not label for label in labels):
        raise ValidationError("Every theme needs a label")
    if len({label.lower() for label in labels}) != len(labels):
        raise ValidationError("Two themes cannot have the same label")
    target.change_note = "; ".join(
        filter(None, [target.change_note if target.pk == codeframe.pk else "", *done])
    )
    target.modified_by = user
    target.save(update_fields=["change_note", "modified_by", "modified_at"])
    audit_record(
        actor=user,
        action="codeframe.change",
        obj=target,
        changes={"changes": [None, "; ".join(done)]},
    )
    return target


@transaction.atomic
def codeframe_finalise(*, user: Any, codeframe: Codeframe) -> Codeframe:
    ensure(user, Perm.ANALYSE)
    if codeframe.is_final:
        return codeframe
    if not codeframe.themes.exists():
        raise ValidationError("A codeframe needs at least one theme to be finalised")
    codeframe.finalised_at = timezone.now()
    codeframe.finalised_by = user
    codeframe.save(update_fields=["finalised_at", "finalised_by", "modified_at"])
    audit_record(actor=user, action="codeframe.finalise", obj=codeframe)
    return codeframe
