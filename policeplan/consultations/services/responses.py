"""Writes for responses: answering, saving to return later, submitting once, withdrawing.

No submitted response is lost or duplicated: every submission carries a token (the
response's idempotency key) and the database holds at most one response per token, so a
double click, a retry after a timeout or a resubmitted form finds the response already made.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from policeplan.consultations import selectors, tasks
from policeplan.consultations.codes import (
    new_code,
    new_reference,
    normalise_code,
    withdrawal_code_hash,
)
from policeplan.consultations.models import (
    Answer,
    Channel,
    Consultation,
    EqualityRecord,
    PublishConsent,
    Question,
    QuestionKind,
    RespondentContact,
    RespondentType,
    Response,
    ResponseStatus,
)
from policeplan.consultations.signals import responses_erased
from policeplan.core import jobs
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record

RESUME_DAYS = 28


class ConsultationClosed(Exception):
    """The consultation is not open, so it takes no new answers."""


class ResponseIncomplete(ValidationError):
    def __init__(self, missing: list[Question]) -> None:
        self.missing = missing
        super().__init__([f"Answer ‘{q.text}’" for q in missing])


def _hash(code: str) -> str:
    return salted_hmac(
        "policeplan.resume-code", normalise_code(code), algorithm="sha256"
    ).hexdigest()


def _ensure_open(consultation: Consultation) -> None:
    if not consultation.is_open:
        raise ConsultationClosed(consultation.title)


def _derived(answers: dict[Question, tuple[Any, str]]) -> dict[str, str]:
    """Fields kept on the response itself, for counting by borough and respondent type."""
    out: dict[str, str] = {}
    for q, (value, _) in answers.items():
        if q.kind == QuestionKind.BOROUGH:
            out["borough_code"] = value if value != "outside" else ""
        elif q.kind == QuestionKind.POSTCODE_DISTRICT:
            out["postcode_district"] = value
        elif q.kind == QuestionKind.RESPONDENT_TYPE:
            out["respondent_type"] = value["type"]
            out["organisation"] = (
                value["organisation"] if value["type"] == RespondentType.ORGANISATION else ""
            )
    return out


@transaction.atomic
def response_start(*, consultation: Consultation) -> Response:
    _ensure_open(consultation)
    return Response.objects.create(consultation=consultation)


def _in_progress(token: uuid.UUID) -> Response:
    response = Response.objects.select_for_update().select_related("consultation").get(token=token)
    if response.status != ResponseStatus.IN_PROGRESS:
        raise ValidationError("This response has already been sent")
    _ensure_open(response.consultation)
    response.touched_at = timezone.now()
    Response.objects.filter(pk=response.pk).update(touched_at=response.touched_at)
    return response


@transaction.atomic
def responses_abandoned_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete unsent responses nobody has saved for longer than a session lasts
    (`SESSION_COOKIE_AGE`: the browser that started one can no longer reach it) and that
    were not saved for later with a code still valid. Returns how many went."""
    now = now or timezone.now()
    stale = Response.objects.filter(
        status=ResponseStatus.IN_PROGRESS,
        touched_at__lt=now - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE),
    ).exclude(resume_code_hash__gt="", resume_expires_at__gt=now)
    deleted = stale.count()
    if deleted:
        stale.delete()  # their answers, details and equality answers go with them
        audit_record(
            actor=None,
            action="response.delete_abandoned",
            obj=None,
            changes={"responses": [None, str(deleted)]},
        )
    return deleted


@transaction.atomic
def response_save_answers(
    *, token: uuid.UUID, answers: dict[Question, tuple[Any, str]], page: list[Question]
) -> Response:
    """Store one page's answers; questions on the page left blank lose any earlier answer."""
    response = _in_progress(token)
    Answer.objects.filter(
        response=response, question__in=[q for q in page if q not in answers]
    ).delete()
    for question, (value, text) in answers.items():
        Answer.objects.update_or_create(
            response=response, question=question, defaults={"value": value, "text": text}
        )
    derived = _derived(answers)
    for q in page:
        if q not in answers and q.kind == QuestionKind.BOROUGH:
            derived["borough_code"] = ""
    for field, value in derived.items():
        setattr(response, field, value)
    response.save()
    return response


@transaction.atomic
def response_save_publishing(
    *, token: uuid.UUID, consent: str, name: str = "", email: str = ""
) -> Response:
    response = _in_progress(token)
    response.publish_consent = PublishConsent(consent)
    response.save(update_fields=["publish_consent"])
    _save_contact(response, name=name, email=email)
    return response


def _save_contact(response: Response, *, name: str, email: str, address: str = "") -> None:
    if name or email or address:
        RespondentContact.objects.update_or_create(
            response=response, defaults={"name": name, "email": email, "address": address}
        )
    else:
        RespondentContact.objects.filter(response=response).delete()


@transaction.atomic
def response_save_equality(*, token: uuid.UUID, data: dict[str, str]) -> Response:
    response = _in_progress(token)
    _save_equality(response, data)
    return response


def _save_equality(response: Response, data: dict[str, str]) -> None:
    if data:
        EqualityRecord.objects.update_or_create(
            response=response, defaults={"consultation_id": response.consultation_id, "data": data}
        )
    else:
        EqualityRecord.objects.filter(response=response).delete()


@transaction.atomic
def response_resume_code(*, token: uuid.UUID) -> str:
    """A new code to come back with; it replaces any earlier one."""
    response = _in_progress(token)
    code = new_code()
    response.resume_code_hash = _hash(code)
    response.resume_expires_at = timezone.now() + datetime.timedelta(days=RESUME_DAYS)
    response.save(update_fields=["resume_code_hash", "resume_expires_at"])
    return code


def response_resume(*, code: str) -> Response | None:
    """The unsent response this code was given for, while the code is valid."""
    if len(normalise_code(code)) != 9:
        return None
    return (
        Response.objects.select_related("consultation")
        .filter(
            resume_code_hash=_hash(code),
            status=ResponseStatus.IN_PROGRESS,
            resume_expires_at__gt=timezone.now(),
        )
        .first()
    )


def _required_missing(response: Response) -> list[Question]:
    answered = set(response.answers.values_list("question_id", flat=True))
    required = Question.objects.filter(
        section__consultation=response.consultation, required=True, section__archived_at=None
    ).order_by("section__order", "order", "pk")
    return [q for q in required if q.pk not in answered]


def _assign_reference(response: Response) -> None:
    for _ in range(5):
        response.reference = new_reference()
        try:
            with transaction.atomic():
                response.save(update_fields=["reference"])
            return
        except IntegrityError:
            continue
    raise IntegrityError("Could not find an unused reference")  # pragma: no cover


@transaction.atomic
def response_submit(*, token: uuid.UUID) -> Response:
    """Send an answered questionnaire. Submitting the same token again returns the same one."""
    response = Response.objects.select_for_update().select_related("consultation").get(token=token)
    if response.status == ResponseStatus.SUBMITTED:
        return response
    if response.status == ResponseStatus.WITHDRAWN:
        raise ValidationError("This response was withdrawn")
    _ensure_open(response.consultation)
    missing = _required_missing(response)
    if missing:
        raise ResponseIncomplete(missing)
    _assign_reference(response)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.resume_code_hash = ""
    response.save(update_fields=["status", "submitted_at", "resume_code_hash"])
    _confirm(response)
    return response


def _confirm(response: Response) -> None:
    if RespondentContact.objects.filter(response=response).exclude(email="").exists():
        jobs.enqueue(tasks.send_consultation_email, "response_received", response.pk)


def response_submit_complete(
    *,
    consultation: Consultation,
    token: uuid.UUID,
    answers: dict[Question, tuple[Any, str]],
    consent: str,
    name: str = "",
    email: str = "",
    equality: dict[str, str] | None = None,
    required: list[Question] | None = None,
) -> tuple[Response, bool]:
    """Store a whole questionnaire sent from one page. Returns (response, created).

    If a response with this token exists (a retry, or its twin racing in on another
    connection), that response is returned and nothing new is stored. `required` saves a
    query when the caller already holds the questionnaire's required questions.
    """
    # The insert is tried first and the token looked up only when it fails: a first send
    # (nearly every one) costs no lookup; a retry or a twin meets the token's unique index.
    try:
        _ensure_open(consultation)
        if required is None:
            required = list(
                Question.objects.filter(section__consultation=consultation, required=True)
            )
        missing = [q for q in required if q not in answers]
        if missing:
            raise ResponseIncomplete(missing)
    except (ConsultationClosed, ResponseIncomplete):
        stored = Response.objects.filter(token=token).first()
        if stored is not None:  # sent before it closed: the retry gets its confirmation
            return stored, False
        raise
    for _ in range(5):
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    consultation=consultation,
                    token=token,
                    reference=new_reference(),
                    status=ResponseStatus.SUBMITTED,
                    submitted_at=timezone.now(),
                    publish_consent=PublishConsent(consent),
                    **_derived(answers),
                )
                Answer.objects.bulk_create(
                    Answer(response=response, question=q, value=value, text=text)
                    for q, (value, text) in answers.items()
                )
                if name or email:
                    RespondentContact.objects.create(response=response, name=name, email=email)
                if equality:
                    EqualityRecord.objects.create(
                        response=response, consultation=consultation, data=equality
                    )
                if email:
                    jobs.enqueue(tasks.send_consultation_email, "response_received", response.pk)
        except IntegrityError:
            stored = Response.objects.filter(token=token).first()
            if stored is not None:
                return stored, False  # a retry, or its twin won the race
            continue  # (rarely) the reference was taken: draw another
        return response, True
    raise IntegrityError("Could not store the response")  # pragma: no cover


@transaction.atomic
def response_withdrawal_code(*, response: Response) -> str:
    """For an online response sent without an email address: a new code (replacing any
    earlier one) that withdraws it with its reference. Only its hash is kept, so it is
    shown once, to the respondent, and to no one else."""
    code = new_code(groups=3)
    Response.objects.filter(pk=response.pk).update(withdrawal_code_hash=withdrawal_code_hash(code))
    response.withdrawal_code_hash = withdrawal_code_hash(code)
    return code


def needs_withdrawal_code(response: Response) -> bool:
    """An online response with no email address to prove who sent it."""
    return (
        response.channel == Channel.ONLINE
        and not RespondentContact.objects.filter(response=response).exclude(email="").exists()
    )


@transaction.atomic
def response_withdraw(*, reference: str, email: str = "") -> Response | None:
    """Withdraw a response by its reference, and the email address given with it (or, for
    an online response sent without one, the withdrawal code shown when it was sent:
    `selectors.response_for_withdrawal`): what it said and who sent it are deleted. None
    when the two do not match a response."""
    found = selectors.response_for_withdrawal(reference=reference, email=email)
    response = Response.objects.select_for_update().filter(pk=found.pk).first() if found else None
    if response is None:
        return None
    return _withdraw(response, actor=None, action="response.withdraw")


@transaction.atomic
def response_withdraw_on_behalf(*, user: Any, response: Response) -> Response:
    """A policy officer withdraws a response for the person who sent it (a letter, or a
    response with no email address and no code), who asked the office quoting its
    reference. Audited with who did it."""
    ensure(user, Perm.PERSONAL_DATA)
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.status == ResponseStatus.IN_PROGRESS:
        raise ValidationError("This response has not been sent, so it cannot be withdrawn")
    return _withdraw(locked, actor=user, action="response.withdraw_on_behalf")


def _withdraw(response: Response, *, actor: Any, action: str) -> Response:
    if response.status == ResponseStatus.WITHDRAWN:
        return response
    responses_erased.send(
        sender=Response,
        consultation_id=response.consultation_id,
        response_ids=[response.pk],
        answer_ids=list(response.answers.values_list("pk", flat=True)),
        withdrawn=True,
    )
    response.answers.all().delete()
    RespondentContact.objects.filter(response=response).delete()
    EqualityRecord.objects.filter(response=response).delete()
    if response.document:
        name = str(response.document.name)
        storage = response.document.storage
        transaction.on_commit(lambda: storage.delete(name))
    response.document = ""
    response.document_name = ""
    response.body = ""
    response.organisation = ""
    response.withdrawal_code_hash = ""
    response.status = ResponseStatus.WITHDRAWN
    response.withdrawn_at = timezone.now()
    response.save()
    audit_record(actor=actor, action=action, obj=response)
    return response
