"""Writes that protect respondents: retention, subject-access export, written submissions.

After a consultation's retention date the scheduled job erases names, email and postal
addresses, event registrants' details and uploaded letters; what people said is kept for
analysis, no longer linked to anyone.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from policeplan.consultations import extract, selectors
from policeplan.consultations.disclosure import sees_personal_details
from policeplan.consultations.models import (
    Answer,
    Consultation,
    RegistrationStatus,
    RespondentContact,
    Response,
    ResponseStatus,
)
from policeplan.consultations.models import Registration as EventRegistration
from policeplan.consultations.services.responses import _assign_reference, _save_contact
from policeplan.consultations.signals import responses_erased
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.core.uploads import safe_display_name, stored_name


@transaction.atomic
def consultation_personal_details_erase(
    *, consultation: Consultation, user: Any = None
) -> dict[str, int]:
    if user is not None:
        ensure(user, Perm.PERSONAL_DATA)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    responses = Response.objects.filter(consultation=consultation)
    responses_erased.send(
        sender=Consultation,
        consultation_id=consultation.pk,
        response_ids=list(responses.values_list("pk", flat=True)),
        answer_ids=list(
            Answer.objects.filter(response__consultation=consultation).values_list("pk", flat=True)
        ),
        withdrawn=False,
    )
    contacts, _ = RespondentContact.objects.filter(response__consultation=consultation).delete()
    registrations = EventRegistration.objects.filter(event__consultation=consultation).exclude(
        name="", email="", access_needs=""
    )
    registrants = 0
    for pk in registrations.values_list("pk", flat=True):
        # A new random token: the old cancellation link stops working.
        EventRegistration.objects.filter(pk=pk).update(
            name="", email="", access_needs="", cancel_token=secrets.token_urlsafe(32)
        )
        registrants += 1
    names = []
    for response in responses.exclude(document=""):
        names.append((response.document.storage, str(response.document.name)))
    documents = responses.exclude(document="").update(document="", document_name="")
    unsent, _ = responses.filter(status=ResponseStatus.IN_PROGRESS).delete()
    responses.update(resume_code_hash="")
    consultation.personal_details_erased_at = timezone.now()
    consultation.save(update_fields=["personal_details_erased_at"])
    counts = {
        "contacts": contacts,
        "registrations": registrants,
        "documents": documents,
        "unsent_responses": unsent,
    }
    audit_record(
        actor=user,
        action="consultation.erase_personal_details",
        obj=consultation,
        changes={k: [None, str(v)] for k, v in counts.items()},
    )

    def delete_files() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return counts


def personal_details_erase_due(*, today: datetime.date | None = None) -> list[Consultation]:
    """The scheduled job: erase for every consultation whose retention date has passed."""
    today = today or timezone.localdate()
    due = list(
        Consultation.all_objects.filter(
            retain_until__lt=today, personal_details_erased_at__isnull=True
        )
    )
    for consultation in due:
        consultation_personal_details_erase(consultation=consultation)
    return due


@transaction.atomic
def responses_export(
    *, user: Any, consultation: Consultation, fmt: str
) -> tuple[list[str], list[list[Any]]]:
    """Every submitted response of a consultation for a bulk download (CSV or Excel),
    recorded in the audit trail like a subject-access export: who, which consultation, in
    what format and how many rows. Letters and emails are masked unless the user may see
    personal details."""
    ensure(user, Perm.READ_RESPONSES)
    header, rows = selectors.export_rows(consultation=consultation, user=user)
    audit_record(
        actor=user,
        action="responses.export",
        obj=consultation,
        changes={
            "format": [None, fmt],
            "rows": [None, str(len(rows))],
            "masked": [None, str(not sees_personal_details(user))],
        },
    )
    return header, rows


@transaction.atomic
def respondent_export(*, user: Any, response: Response) -> dict[str, Any]:
    """Everything held about one respondent (a subject access request), recorded in the audit."""
    ensure(user, Perm.PERSONAL_DATA)
    contact = RespondentContact.objects.filter(response=response).first()
    equality = getattr(response, "equality", None)
    registrations = (
        EventRegistration.objects.filter(email__iexact=contact.email).select_related("event")
        if contact and contact.email
        else EventRegistration.objects.none()
    )
    audit_record(actor=user, action="response.export", obj=response)
    return {
        "consultation": response.consultation.title,
        "reference": response.reference,
        "status": response.get_status_display(),
        "channel": response.get_channel_display(),
        "submitted_at": response.submitted_at.isoformat() if response.submitted_at else None,
        "respondent_type": response.get_respondent_type_display(),
        "organisation": response.organisation,
        "borough_code": response.borough_code,
        "postcode_district": response.postcode_district,
        "publish_consent": response.get_publish_consent_display(),
        "contact": {"name": contact.name, "email": contact.email, "address": contact.address}
        if contact
        else None,
        "answers": [
            {"question": a.question.text, "answer": a.text}
            for a in response.answers.select_related("question").order_by(
                "question__section__order", "question__order"
            )
        ],
        "written_submission": response.body or None,
        "equality_monitoring": equality.data if equality else None,
        "event_registrations": [
            {
                "event": r.event.title,
                "starts_at": r.event.starts_at.isoformat(),
                "status": RegistrationStatus(r.status).label,
                "access_needs": r.access_needs,
                "attended": r.attended,
            }
            for r in registrations
        ],
    }


def submission_add(
    *,
    user: Any,
    consultation: Consultation,
    channel: str,
    received_on: datetime.date | None = None,
    organisation: str = "",
    name: str = "",
    email: str = "",
    address: str = "",
    text: str = "",
    upload: Any = None,
) -> Response:
    """Log a letter, email or forum submission; text is taken from the file where possible.

    The file is read and parsed (within limits, in a child process) before any transaction
    opens, so a hostile file never holds the database; a refusal stores nothing."""
    ensure(user, Perm.RUN_CONSULTATIONS)
    data = b""
    if upload is not None:
        data = upload.read(extract.MAX_BYTES + 1)
        try:
            found = extract.extract(upload.name, data)
        except extract.ExtractError as error:
            raise ValidationError({"upload": str(error)}) from None
        text = text.strip() or found.text
        name = name or found.sender_name
        email = email or found.sender_email
        received_on = received_on or found.received_on
    return _submission_save(
        user=user,
        consultation=consultation,
        channel=channel,
        received_on=received_on,
        organisation=organisation,
        name=name,
        email=email,
        address=address,
        text=text,
        upload_name=upload.name if upload is not None else "",
        data=data,
    )


@transaction.atomic
def _submission_save(
    *,
    user: Any,
    consultation: Consultation,
    channel: str,
    received_on: datetime.date | None,
    organisation: str,
    name: str,
    email: str,
    address: str,
    text: str,
    upload_name: str,
    data: bytes,
) -> Response:
    if not text.strip():
        raise ValidationError(
            {"text": "Type or paste what the submission says: no text could be read from the file"}
        )
    received_on = received_on or timezone.localdate()
    at = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12)))
    response = Response.objects.create(
        consultation=consultation,
        status=ResponseStatus.SUBMITTED,
        channel=channel,
        body=text.strip(),
        organisation=organisation,
        respondent_type="organisation" if organisation else "individual",
        received_on=received_on,
        submitted_at=at,
        added_by=user,
    )
    _assign_reference(response)
    if upload_name:
        # The file is stored under a name the server makes; the name it came with (which may
        # itself be personal, or hostile) is kept only as data, erased with the rest.
        response.document_name = safe_display_name(upload_name)
        response.document.save(stored_name(upload_name), ContentFile(data), save=True)
    _save_contact(response, name=name, email=email, address=address)
    audit_record(actor=user, action="response.add_written", obj=response)
    return response
