"""Writes that build a consultation: its details, timeline, sections, questions and events.

Each checks the permission, runs in one transaction and records one audit event. Once anyone
has started answering, the questionnaire is locked: changing a question under people who are
answering it would make their answers mean something else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from policeplan.consultations import selectors
from policeplan.consultations.models import (
    Answer,
    Consultation,
    Event,
    Question,
    Section,
    Stage,
)
from policeplan.core import jobs
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record, model_changes


class QuestionnaireLocked(ValidationError):
    pass


def _fields(obj: models.Model, data: dict[str, Any]) -> list[str]:
    names = [f.name for f in obj._meta.get_fields() if hasattr(f, "attname")]
    return [k for k in data if k in names]


def _save(*, user: Any, obj: models.Model, data: dict[str, Any], action: str) -> Any:
    created = obj.pk is None
    fields = _fields(obj, data)
    before = {name: getattr(obj, name, None) for name in fields}
    for name in fields:
        setattr(obj, name, data[name])
    if created:
        obj.created_by = user  # type: ignore[attr-defined]
    obj.modified_by = user  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()
    audit_record(
        actor=user,
        action=f"{action}.{'create' if created else 'update'}",
        obj=obj,
        changes={} if created else model_changes(obj, fields, before),
    )
    return obj


def _ensure_unlocked(consultation: Consultation) -> None:
    """Refuse once anyone has answered; else mark the consultation changed, so that pages
    holding its questionnaire (keyed by its modified time) read the new one."""
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    if (
        consultation.responses.filter(channel="online").exists()
        or Answer.objects.filter(question__section__consultation=consultation).exists()
    ):
        raise QuestionnaireLocked(
            "People have started answering this questionnaire, so its questions can no longer "
            "change."
        )
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(modified_at=now)
    consultation.modified_at = now


@transaction.atomic
def consultation_save(
    *, user: Any, data: dict[str, Any], consultation: Consultation | None = None
) -> Consultation:
    ensure(user, Perm.RUN_CONSULTATIONS)
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        raise ValidationError({"closes_at": "The closing date must be after the opening date"})
    version = data.get("plan_version")
    if version is not None and version.state == "draft":
        raise ValidationError(
            {
                "plan_version": "Publish the plan version as a consultation draft "
                "before consulting on it"
            }
        )
    if consultation is None and not data.get("slug"):
        data = {**data, "slug": _unique_slug(data.get("title", ""))}
    return _save(user=user, obj=consultation or Consultation(), data=data, action="consultation")


def _unique_slug(title: str) -> str:
    root = slugify(title)[:70] or "consultation"
    taken = set(Consultation.all_objects.values_list("slug", flat=True))
    slug, n = root, 2
    while slug in taken:
        slug, n = f"{root}-{n}", n + 1
    return slug


@transaction.atomic
def consultation_publish(*, user: Any, consultation: Consultation) -> Consultation:
    """Make the consultation public (it shows as forthcoming until it opens)."""
    ensure(user, Perm.RUN_CONSULTATIONS)
    problems = []
    if (
        not consultation.sections.exists()
        or not Question.objects.filter(section__consultation=consultation).exists()
    ):
        problems.append("Add at least one section with a question")
    if not consultation.privacy_notice.strip():
        problems.append("Write the privacy notice")
    if problems:
        raise ValidationError(problems)
    if consultation.published_at is None:
        consultation.published_at = timezone.now()
        consultation.modified_by = user
        consultation.save(update_fields=["published_at", "modified_by", "modified_at"])
        audit_record(actor=user, action="consultation.publish", obj=consultation)
    return consultation


@transaction.atomic
def consultation_results_publish(
    *, user: Any, consultation: Consultation, results_summary: str
) -> Consultation:
    ensure(user, Perm.RUN_CONSULTATIONS)
    if consultation.status().value != "closed":
        raise ValidationError("Results can be published once the consultation has closed")
    consultation.results_summary = results_summary
    consultation.results_published_at = consultation.results_published_at or timezone.now()
    consultation.save(update_fields=["results_summary", "results_published_at", "modified_at"])
    audit_record(actor=user, action="consultation.results", obj=consultation)
    from policeplan.analysis import tasks as analysis_tasks  # analysis builds on consultations

    # ready before the first reader asks for it
    jobs.enqueue(analysis_tasks.prepare_results_pdf, consultation.pk)
    return consultation


@transaction.atomic
def stage_save(
    *, user: Any, consultation: Consultation, data: dict[str, Any], stage: Stage | None = None
) -> Stage:
    ensure(user, Perm.RUN_CONSULTATIONS)
    if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": "The end date must be on or after the date"})
    return _save(
        user=user, obj=stage or Stage(consultation=consultation), data=data, action="stage"
    )


@transaction.atomic
def section_save(
    *, user: Any, consultation: Consultation, data: dict[str, Any], section: Section | None = None
) -> Section:
    ensure(user, Perm.RUN_CONSULTATIONS)
    _ensure_unlocked(consultation)
    if section is None:
        last = consultation.sections.aggregate(m=Max("order"))["m"]
        section = Section(consultation=consultation, order=0 if last is None else last + 1)
    return _save(user=user, obj=section, data=data, action="section")


@transaction.atomic
def question_save(
    *, user: Any, section: Section, data: dict[str, Any], question: Question | None = None
) -> Question:
    ensure(user, Perm.RUN_CONSULTATIONS)
    _ensure_unlocked(section.consultation)
    kind = data.get("kind", question.kind if question else "")
    if kind in ("single", "multiple") and len(data.get("options") or []) < 2:
        raise ValidationError({"options": "Enter at least two answers to choose from"})
    for key, model_name in (("priority", "priority"), ("chapter", "chapter")):
        linked = data.get(key)
        if linked is not None and linked.version_id != section.consultation.plan_version_id:
            raise ValidationError({key: f"Choose a {model_name} of the plan being consulted on"})
    if question is None:
        last = section.questions.aggregate(m=Max("order"))["m"]
        question = Question(section=section, order=0 if last is None else last + 1)
    return _save(user=user, obj=question, data=data, action="question")


@transaction.atomic
def consultation_item_move(*, user: Any, item: Section | Question, direction: str) -> None:
    """Swap a section or question with its neighbour above ('up') or below ('down')."""
    ensure(user, Perm.RUN_CONSULTATIONS)
    siblings: list[Any]
    if isinstance(item, Section):
        consultation = item.consultation
        siblings = list(consultation.sections.order_by("order", "pk"))
    else:
        consultation = item.section.consultation
        siblings = list(item.section.questions.order_by("order", "pk"))
    _ensure_unlocked(consultation)
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            type(sibling).objects.filter(pk=sibling.pk).update(order=position)
    audit_record(
        actor=user,
        action=f"{type(item).__name__.lower()}.move",
        obj=item,
        changes={"direction": [None, direction]},
    )


def removal_refusal(answered: int) -> str:
    return (
        f"This question has {answered:,} answer{'s' if answered != 1 else ''}, so it cannot be "
        "removed: answers are never deleted. It stays in the questionnaire and in the exports "
        "and analysis."
    )


@transaction.atomic
def question_remove(*, user: Any, question: Question) -> None:
    """Remove a question nobody has answered. Answers are never lost: a question with answers
    (from any channel: online, paper, an import) is refused, naming how many."""
    ensure(user, Perm.RUN_CONSULTATIONS)
    answered = selectors.question_answer_count(question=question)
    if answered:
        raise QuestionnaireLocked(removal_refusal(answered))
    _ensure_unlocked(question.section.consultation)
    question.archived_at = timezone.now()
    question.save(update_fields=["archived_at", "modified_at"])
    audit_record(actor=user, action="question.remove", obj=question)


@transaction.atomic
def event_save(
    *, user: Any, consultation: Consultation, data: dict[str, Any], event: Event | None = None
) -> Event:
    ensure(user, Perm.RUN_CONSULTATIONS)
    if data.get("ends_at") and data.get("starts_at") and data["ends_at"] <= data["starts_at"]:
        raise ValidationError({"ends_at": "The end must be after the start"})
    if not data.get("venue") and not data.get("online_link"):
        raise ValidationError({"venue": "Enter the venue, or an online link for online events"})
    return _save(
        user=user, obj=event or Event(consultation=consultation), data=data, action="event"
    )
