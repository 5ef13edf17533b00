"""Reads for consultations. Pages get what they show in a fixed number of queries."""

from __future__ import annotations

import datetime
import hmac
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from policeplan.consultations import equality
from policeplan.consultations.codes import normalise_code, withdrawal_code_hash
from policeplan.consultations.disclosure import text_for_viewer
from policeplan.consultations.models import (
    Answer,
    Channel,
    Consultation,
    EqualityRecord,
    Event,
    Question,
    Registration,
    RegistrationStatus,
    RespondentContact,
    RespondentType,
    Response,
    ResponseStatus,
    Section,
)
from policeplan.consultations.questions import (
    PriorityRef,
    QuestionContext,
    readable_cells,
    readable_columns,
)
from policeplan.core.roles import Perm, can
from policeplan.performance import selectors as performance
from policeplan.plans import selectors as plans

COUNTED = [ResponseStatus.SUBMITTED]


def consultations_public() -> dict[str, list[Consultation]]:
    """Published consultations grouped as the hub shows them: open, forthcoming, closed."""
    rows = Consultation.objects.filter(published_at__isnull=False).annotate(
        responded=Count("responses", filter=Q(responses__status__in=COUNTED))
    )
    now = timezone.now()
    groups: dict[str, list[Consultation]] = {"open": [], "forthcoming": [], "closed": []}
    for c in rows.order_by("closes_at"):
        groups[c.status(now).value].append(c)
    groups["closed"].reverse()  # most recently closed first
    return groups


def consultations_open() -> list[Consultation]:
    """Published consultations open now (the home page invites people to them)."""
    now = timezone.now()
    return list(
        Consultation.objects.filter(
            published_at__isnull=False, opens_at__lte=now, closes_at__gt=now
        ).order_by("closes_at")
    )


def consultation_for_viewer(*, slug: str, user: Any) -> Consultation:
    """A published consultation, or (for staff who run consultations) one being prepared."""
    consultation = (
        Consultation.objects.select_related("plan_version__plan").filter(slug=slug).first()
    )
    if consultation is None:
        raise Http404("No such consultation")
    if not consultation.is_public and not can(user, Perm.RUN_CONSULTATIONS):
        raise Http404("No such consultation")
    return consultation


_RESPONDENT_CACHE: dict[str, tuple[float, Consultation]] = {}


def consultation_for_respondent(*, slug: str, user: Any) -> Consultation:
    """As consultation_for_viewer, but lean: the questionnaire pages are the busiest in the
    service and need only the consultation's own row (the plan is read when the
    questionnaire's structure is first built). Each process reads the row at most once a
    second (PAGE_STAMP_SECONDS): opening and closing are worked out from its dates at every
    request, and staff edits show within that second."""
    import copy
    import time

    from django.conf import settings

    now = time.monotonic()
    hit = _RESPONDENT_CACHE.get(slug)
    if hit is not None and now - hit[0] < settings.PAGE_STAMP_SECONDS:
        consultation = copy.copy(hit[1])
    else:
        try:
            consultation = Consultation.objects.get(slug=slug)
        except Consultation.DoesNotExist:
            raise Http404("No such consultation") from None
        if len(_RESPONDENT_CACHE) > 256:
            _RESPONDENT_CACHE.clear()
        _RESPONDENT_CACHE[slug] = (now, copy.copy(consultation))
    if not consultation.is_public and not can(user, Perm.RUN_CONSULTATIONS):
        raise Http404("No such consultation")
    return consultation


def consultation_page(*, consultation: Consultation) -> dict[str, Any]:
    """Everything the public consultation page shows."""
    counts = dict(
        Response.objects.filter(consultation=consultation, status__in=COUNTED)
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    by_channel = [(Channel(k).label, counts[k]) for k in Channel.values if counts.get(k)]
    events = list(
        Event.objects.filter(consultation=consultation).annotate(
            confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
            attended_count=Count("registrations", filter=Q(registrations__attended=True)),
        )
    )
    return {
        "responded": sum(counts.values()),
        "by_channel": by_channel,
        "stages": list(consultation.stages.all()),
        "events": events,
        "documents": plans.version_documents(version=consultation.plan_version),
        "boroughs": performance.borough_names(),
    }


def question_context(*, consultation: Consultation) -> QuestionContext:
    priorities = plans.version_priorities(version=consultation.plan_version)
    return QuestionContext(
        priorities=[PriorityRef(str(p.lineage), p.title, p.summary) for p in priorities],
        boroughs=performance.borough_names(),
    )


def sections_with_questions(*, consultation: Consultation) -> list[Section]:
    questions = Question.objects.select_related("priority", "chapter").order_by("order", "pk")
    return list(
        consultation.sections.prefetch_related(Prefetch("questions", queryset=questions)).order_by(
            "order", "pk"
        )
    )


def response_by_token(*, token: Any) -> Response | None:
    if not token:
        return None
    return Response.objects.select_related("consultation").filter(token=token).first()


def response_answers(*, response: Response) -> dict[int, Answer]:
    return {a.question_id: a for a in response.answers.all()}


def event_public(*, consultation: Consultation, event_id: int) -> Event:
    event = (
        Event.objects.filter(consultation=consultation, pk=event_id)
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status="confirmed")))
        .first()
    )
    if event is None:
        raise Http404("No such event")
    return event


def registration_by_token(*, token: str) -> Registration | None:
    return (
        Registration.objects.select_related("event__consultation")
        .filter(cancel_token=token)
        .first()
    )


# Staff reads -----------------------------------------------------------------------------


def consultations_for_staff() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("plan_version__plan").annotate(
        responded=Count("responses", filter=Q(responses__status__in=COUNTED))
    )


def consultation_for_staff(*, consultation_id: int) -> Consultation:
    consultation = (
        Consultation.objects.select_related("plan_version__plan").filter(pk=consultation_id).first()
    )
    if consultation is None:
        raise Http404("No such consultation")
    return consultation


@dataclass(frozen=True)
class Dashboard:
    total: int
    withdrawn: int
    by_channel: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    by_borough: list[tuple[str, int]]
    by_day: list[tuple[datetime.date, int]]
    attended: int


def dashboard(*, consultation: Consultation) -> Dashboard:
    responses = Response.objects.filter(consultation=consultation)
    submitted = responses.filter(status__in=COUNTED)
    channel = Counter(dict(submitted.values_list("channel").annotate(n=Count("id"))))
    kinds = Counter(dict(submitted.values_list("respondent_type").annotate(n=Count("id"))))
    boroughs = Counter(dict(submitted.values_list("borough_code").annotate(n=Count("id"))))
    names = performance.borough_names()
    days = (
        submitted.annotate(day=TruncDate("submitted_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return Dashboard(
        total=sum(channel.values()),
        withdrawn=responses.filter(status=ResponseStatus.WITHDRAWN).count(),
        by_channel=[(Channel(k).label, channel[k]) for k in Channel.values if channel.get(k)],
        by_type=[(RespondentType(k).label, kinds[k]) for k in RespondentType.values if kinds[k]]
        + ([("Not given", kinds[""])] if kinds.get("") else []),
        by_borough=sorted(
            [(names.get(k, "Not given or outside the area"), n) for k, n in boroughs.items()],
            key=lambda item: (-item[1], item[0]),
        ),
        by_day=list(days),
        attended=Registration.objects.filter(
            event__consultation=consultation, attended=True
        ).count(),
    )


def responses_search(
    *,
    consultation: Consultation,
    text: str = "",
    channel: str = "",
    borough: str = "",
    letters: bool = True,
) -> QuerySet[Response]:
    """Submitted responses, newest first. `letters` False leaves the words of letters and
    emails out of the search, for staff who may not see them unmasked (a search
    for a name would otherwise say which letter holds it)."""
    rows = Response.objects.filter(consultation=consultation, status__in=COUNTED)
    if channel:
        rows = rows.filter(channel=channel)
    if borough:
        rows = rows.filter(borough_code=borough)
    if text:
        found = (
            Q(answers__text__icontains=text)
            | Q(organisation__icontains=text)
            | Q(reference__iexact=text.strip())
        )
        if letters:
            found |= Q(body__icontains=text)
        rows = rows.filter(found).distinct()
    return rows.order_by("-submitted_at", "-id")


def response_answer_rows(*, response: Response) -> list[tuple[str, Any]]:
    """The answers of a response as the staff response page lists them: what the export
    has, one row per plan priority for the priority scale and ranking, labels not codes."""
    ctx = question_context(consultation=response.consultation)
    rows = []
    for answer in response.answers.all():
        cells = readable_cells(answer.question, answer.value, answer.text, ctx)
        columns = readable_columns(answer.question, ctx)
        rows += [(c, v) for c, v in zip(columns, cells, strict=True) if v != ""]
    return rows


def response_for_staff(*, consultation: Consultation, response_id: int) -> Response:
    response = (
        Response.objects.filter(consultation=consultation, pk=response_id)
        .exclude(status=ResponseStatus.IN_PROGRESS)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question__section").order_by(
                    "question__section__order", "question__order", "question__pk"
                ),
            )
        )
        .first()
    )
    if response is None:
        raise Http404("No such response")
    return response


def export_rows(
    *, consultation: Consultation, user: Any = None
) -> tuple[list[str], list[list[Any]]]:
    """One row per submitted response, one column per question (one per plan priority for
    the priority scale and ranking), answers as their labels. No names or emails; letters
    and emails as `user` may read them (masked unless they may see personal details)."""
    questions = list(
        Question.objects.filter(section__consultation=consultation).order_by(
            "section__order", "section__pk", "order", "pk"
        )
    )
    names = performance.borough_names()
    ctx = question_context(consultation=consultation)
    header = [
        "Reference",
        "Channel",
        "Id in the imported file",
        "Received",
        "Respondent type",
        "Organisation",
        "Borough",
        "Postcode district",
        "May publish",
        "Written submission",
        *[column for q in questions for column in readable_columns(q, ctx)],
    ]
    answers: dict[int, dict[int, tuple[Any, str]]] = {}
    for response_id, question_id, value, text in Answer.objects.filter(
        response__consultation=consultation, response__status__in=COUNTED
    ).values_list("response_id", "question_id", "value", "text"):
        answers.setdefault(response_id, {})[question_id] = (value, text)
    rows = []
    for r in Response.objects.filter(consultation=consultation, status__in=COUNTED).order_by(
        "submitted_at", "pk"
    ):
        mine = answers.get(r.pk, {})
        rows.append(
            [
                r.reference,
                r.get_channel_display(),
                r.external_id,
                timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M")
                if r.submitted_at
                else "",
                r.get_respondent_type_display() if r.respondent_type else "",
                r.organisation,
                names.get(r.borough_code, ""),
                r.postcode_district,
                "Yes, anonymously" if r.publish_consent == "anonymous" else "No",
                text_for_viewer(text=r.body, user=user),
                *[
                    cell
                    for q in questions
                    for cell in readable_cells(q, *mine.get(q.pk, (None, "")), ctx)
                ],
            ]
        )
    return header, rows


def equality_tables(*, consultation: Consultation, min_cell: int) -> list[equality.QuestionTable]:
    records = list(
        EqualityRecord.objects.filter(
            consultation=consultation, response__status__in=COUNTED
        ).values_list("data", flat=True)
    )
    return equality.tables(records, min_cell=min_cell)


def event_for_staff(*, consultation: Consultation, event_id: int) -> Event:
    event = Event.objects.filter(consultation=consultation, pk=event_id).first()
    if event is None:
        raise Http404("No such event")
    return event


def event_registrations(*, event: Event) -> list[Registration]:
    order: dict[str, int] = {RegistrationStatus.CONFIRMED: 0, RegistrationStatus.WAITING: 1}
    rows = list(event.registrations.all())
    return sorted(rows, key=lambda r: (order.get(r.status, 2), r.created_at, r.pk))


def response_by_reference(*, reference: str) -> Response | None:
    code = normalise_code(reference, prefix="PCP")
    if len(code) != 9:
        return None
    return (
        Response.objects.select_related("consultation")
        .filter(reference=f"PCP-{code}")
        .exclude(status=ResponseStatus.IN_PROGRESS)
        .first()
    )


def response_for_withdrawal(*, reference: str, email: str) -> Response | None:
    """The response a person may withdraw: the reference must be right, and so must the
    email address given with the response or, for an online response sent without one, the
    withdrawal code shown on its confirmation page. One comparison in constant time, made
    even when the reference is wrong, so neither the answer nor its timing says which was
    wrong. A response with neither (a letter, an import) is never withdrawn here: its sender
    asks the office, and a policy officer withdraws it for them."""
    response = response_by_reference(reference=reference)
    given = email.strip().casefold()
    held = given if response is None else secrets.token_hex(32)  # nothing matches by default
    if response is not None:
        contact = RespondentContact.objects.filter(response=response).first()
        if contact and contact.email.strip():
            held = contact.email.strip().casefold()
        elif response.withdrawal_code_hash:
            held, given = response.withdrawal_code_hash, withdrawal_code_hash(email)
    matched = hmac.compare_digest(given.encode(), held.encode())
    return response if matched and given else None


def free_text_answers(*, question: Question) -> list[tuple[int, str]]:
    """(answer id, text) of every submitted answer to a question, oldest first, for analysis."""
    return list(
        Answer.objects.filter(question=question, response__status__in=COUNTED)
        .exclude(text="")
        .order_by("response__submitted_at", "pk")
        .values_list("pk", "text")
    )


def question_answer_count(*, question: Question) -> int:
    """How many answers a question holds, from every channel."""
    return Answer.objects.filter(question=question).count()
