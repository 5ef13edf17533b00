"""Writes for 'you said, we did': the office's response to each theme, and the changes
between the consultation draft and the final plan, each citing the themes that caused it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from policeplan.analysis import tasks
from policeplan.analysis.models import PlanChange, ThemeResponse
from policeplan.core import jobs
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.plans.models import PlanVersion, VersionState


@transaction.atomic
def theme_response_save(
    *, user: Any, consultation: Any, theme: Any, you_said: str, we_did: str
) -> ThemeResponse:
    """Write or change the office's response to a theme (of a finalised codeframe)."""
    ensure(user, Perm.ANALYSE)
    if not theme.codeframe.is_final:
        raise ValidationError("Respond to the themes of a finalised codeframe")
    if not you_said.strip() or not we_did.strip():
        raise ValidationError("Enter what people said and the office's response")
    found = ThemeResponse.objects.filter(consultation=consultation, lineage=theme.lineage).first()
    item = found or ThemeResponse(consultation=consultation, lineage=theme.lineage, created_by=user)
    item.label = theme.label
    if not item.slug:
        base = slugify(theme.label)[:70] or "theme"
        slug, n = base, 2
        while ThemeResponse.objects.filter(consultation=consultation, slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        item.slug = slug
    item.you_said, item.we_did, item.modified_by = you_said.strip(), we_did.strip(), user
    item.save()
    audit_record(actor=user, action="analysis.theme_response", obj=item)
    # the published summary quotes the response
    jobs.enqueue(tasks.prepare_results_pdf, consultation.pk)
    return item


def final_version_after(consultation: Any) -> PlanVersion | None:
    """The final plan that followed the consultation draft: the newest final version of the
    same plan with a higher number."""
    draft = consultation.plan_version
    return (
        PlanVersion.objects.filter(
            plan_id=draft.plan_id, state=VersionState.FINAL, number__gt=draft.number
        )
        .order_by("-number")
        .first()
    )


@transaction.atomic
def plan_change_save(
    *, user: Any, consultation: Any, data: dict[str, Any], change: PlanChange | None = None
) -> PlanChange:
    """Record a change between the draft and the final plan and what led to it: themes of
    what people said, recommendations of the scrutiny body's reports on the draft, or both."""
    from policeplan.scrutiny import selectors_recommendations as scrutiny

    ensure(user, Perm.ANALYSE)
    final = final_version_after(consultation)
    if final is None:
        raise ValidationError("There is no final plan after the consultation draft yet")
    themes = list(data.get("themes") or [])
    recommendations = list(data.get("recommendations") or [])
    if not themes and not recommendations:
        raise ValidationError(
            {"themes": "Choose the themes or the recommendations that led to this change"}
        )
    if any(t.consultation_id != consultation.pk for t in themes):
        raise ValidationError({"themes": "Choose themes from this consultation"})
    allowed = {r.pk for r in scrutiny.recommendations_on_version(version=consultation.plan_version)}
    if any(r.pk not in allowed for r in recommendations):
        raise ValidationError(
            {"recommendations": "Choose published recommendations on the consultation draft"}
        )
    item = change or PlanChange(consultation=consultation, created_by=user)
    item.from_version = consultation.plan_version
    item.to_version = final
    item.item = data["item"].strip()
    item.summary = data["summary"].strip()
    item.measure_lineage = data.get("measure_lineage") or None
    item.modified_by = user
    item.save()
    item.themes.set(themes)
    item.recommendations.set(recommendations)
    audit_record(actor=user, action="analysis.plan_change", obj=item)
    # the published summary lists the changes
    jobs.enqueue(tasks.prepare_results_pdf, consultation.pk)
    return item
