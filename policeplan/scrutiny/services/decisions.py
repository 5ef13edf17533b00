"""Writes for the decisions log: a decision (reference, details, Part 2, links to the plan
and to a meeting), its documents, and publishing it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from policeplan.core import filetypes
from policeplan.core.selectors import office_current
from policeplan.core.services import audit_record
from policeplan.core.uploads import safe_display_name
from policeplan.scrutiny import references
from policeplan.scrutiny.models import Decision, DecisionDocument, DecisionPlanLink
from policeplan.scrutiny.services._common import apply, ensure_runs, publish_once
from policeplan.scrutiny.services._links import plan_links_set
from policeplan.scrutiny.services.meetings import PAPER_FILE_ERROR

DECISION_FIELDS = (
    "reference",
    "slug",
    "title",
    "summary",
    "decision_maker",
    "decision_maker_role",
    "decided_on",
    "value",
    "exempt_summary",
    "exempt_reason",
    "meeting",
    "item",
)


def _checked(data: Mapping[str, Any], decision: Decision | None) -> dict[str, Any]:
    """The data with its reference in the stored form and its meeting taken from its item;
    a clash, a Part 2 without a reason, or an item of another meeting refused."""
    data = dict(data)
    if "reference" in data:
        allowed = references.prefixes(office_current())
        try:
            data["reference"] = references.normalise(str(data["reference"]), allowed=allowed)
        except ValidationError as error:
            raise ValidationError({"reference": error.messages}) from None
        data["slug"] = references.slug(data["reference"])
        others = Decision.all_objects.exclude(pk=decision.pk if decision else None)
        if others.filter(slug=data["slug"]).exists():
            raise ValidationError({"reference": f"There is already a decision {data['reference']}"})
    if (
        str(data.get("exempt_summary", "")).strip()
        and not str(data.get("exempt_reason", "")).strip()
    ):
        raise ValidationError({"exempt_reason": "Enter why Part 2 is exempt"})
    if (
        decision is not None
        and "exempt_reason" in data
        and not str(data["exempt_reason"] or "").strip()
        and decision.documents.filter(part2=True).exists()
    ):
        # Without a reason the decision has no Part 2, and its Part 2 documents would be
        # hidden from everyone, staff included, with no way to remove them.
        raise ValidationError(
            {"exempt_reason": "Remove the Part 2 documents before removing why Part 2 is exempt"}
        )
    meeting, item = data.get("meeting"), data.get("item")
    if item is not None:
        if meeting is not None and item.meeting_id != meeting.pk:
            raise ValidationError({"item": "Choose an item on the agenda of the meeting chosen"})
        data["meeting"] = item.meeting
    return data


@transaction.atomic
def decision_save(
    *,
    user: Any,
    data: Mapping[str, Any],
    plan_links: Iterable[str] | None = None,
    decision: Decision | None = None,
) -> Decision:
    """Add a decision (a draft until published) or change one."""
    ensure_runs(user)
    data = _checked(data, decision)
    created = decision is None
    decision = decision or Decision(created_by=user)
    decision.modified_by = user
    changes = apply(decision, data, DECISION_FIELDS)
    if plan_links is not None:
        changes |= plan_links_set(
            owner=decision, link_model=DecisionPlanLink, field="decision", lineages=plan_links
        )
    audit_record(
        actor=user,
        action="decision.create" if created else "decision.update",
        obj=decision,
        changes=changes,
    )
    return decision


@transaction.atomic
def decision_publish(*, user: Any, decision: Decision) -> Decision:
    """Put the decision in the public log (all but its Part 2). Twice does nothing more."""
    return publish_once(user=user, instance=decision, action="decision.publish")


@transaction.atomic
def decision_document_add(
    *, user: Any, decision: Decision, data: Mapping[str, Any], upload: UploadedFile | None
) -> DecisionDocument:
    """Attach a document, stored under a name the server makes (its own name is data)."""
    ensure_runs(user)
    if upload is None:
        raise ValidationError({"upload": "Choose the file to attach"})
    if not filetypes.is_document(upload.name or "", upload):
        raise ValidationError({"upload": PAPER_FILE_ERROR})
    if data.get("part2") and not decision.has_part2:
        raise ValidationError(
            {"part2": "Give the decision a Part 2 (and why it is exempt) before adding to it"}
        )
    document = DecisionDocument(
        decision=decision,
        title=data["title"],
        part2=bool(data.get("part2")),
        order=data.get("order") or 0,
        original_name=safe_display_name(upload.name or "document"),
        size=upload.size or 0,
        created_by=user,
        modified_by=user,
    )
    document.file.save(document.original_name, upload, save=False)
    document.full_clean()
    document.save()
    audit_record(
        actor=user,
        action="decision_document.create",
        obj=document,
        changes={"file": [None, document.original_name], "part2": [None, str(document.part2)]},
    )
    return document


@transaction.atomic
def decision_document_remove(*, user: Any, document: DecisionDocument) -> DecisionDocument:
    """Take a document off the decision (archived, not deleted: the audit trail keeps it)."""
    ensure_runs(user)
    document.archived_at = timezone.now()
    document.modified_by = user
    document.save(update_fields=["archived_at", "modified_by", "modified_at"])
    audit_record(actor=user, action="decision_document.remove", obj=document)
    return document
