"""Recording a borough's local priorities for a year: checked against the menu, with its
evidence pack made now and frozen with the decision (one transaction, audited)."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.performance.models import Area
from policeplan.plans.localpriorities import config, selectors
from policeplan.plans.models_local import LocalPriorities


def _sha256(evidence: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(evidence, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


@transaction.atomic
def local_priorities_record(
    *,
    user: Any,
    borough: Area,
    year: int,
    chosen: list[str],
    council: str,
    commander: str,
    partnership: str,
    agreed_on: datetime.date,
    figures: dict[str, Any] | None = None,
) -> LocalPriorities:
    """Record what the borough agreed for the financial year starting in `year`. The pack is
    made from the figures held now (or `figures`, already computed for every borough) and
    frozen. A year already recorded is refused: the decision stays as it was agreed."""
    ensure(user, Perm.EDIT_PLANS)
    menu = config.menu()
    if menu is None:
        raise ValidationError("This office has no menu of local priorities configured")
    errors: dict[str, str] = {}
    if len(set(chosen)) != len(chosen) or len(chosen) != menu.choose:
        errors["chosen"] = f"Choose {menu.choose} different priorities from the menu"
    elif any(menu.candidate(slug) is None for slug in chosen):
        errors["chosen"] = "Choose priorities from the menu"
    for name, value in (
        ("council", council),
        ("commander", commander),
        ("partnership", partnership),
    ):
        if not value.strip():
            errors[name] = "Say who agreed it"
    if not selectors.FIRST_YEAR <= year <= selectors.current_year() + 1:
        errors["year"] = (
            f"Local priorities can be recorded for {selectors.FIRST_YEAR} to "
            f"{selectors.current_year() + 1}"
        )
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = "The date it was agreed must be today or in the past"
    elif agreed_on < datetime.date(year - 1, 1, 1):
        errors["agreed_on"] = (
            f"The date it was agreed must be in the run-up to {year}-{str(year + 1)[2:]} or "
            "during it"
        )
    if borough.pk not in {a.pk for a in selectors.force_boroughs()}:
        errors["borough"] = "Choose one of the force's boroughs"
    if errors:
        raise ValidationError(errors)
    found = LocalPriorities.objects.filter(borough=borough, year=year).first()
    if found is not None:
        raise ValidationError(
            f"{borough.name}’s local priorities for {found.year_label} were recorded as agreed on "
            f"{found.agreed_on:%d %B %Y}: a decision, with the evidence it was made on, is "
            "kept as it was"
        )
    evidence = selectors.evidence_pack(borough=borough, year=year, figures=figures)
    if not any(t["borough"] for c in evidence["crimes"] for t in c["trend"]):
        raise ValidationError(
            {
                "chosen": f"There are no figures for {borough.name} in the five years before "
                f"{evidence['year']}: import them first, so the choice has its evidence"
            }
        )
    latest = [c["trend"][-1] for c in evidence["crimes"] if c["trend"]]
    if latest and not any(t["borough"] for t in latest):
        raise ValidationError(
            {
                "chosen": f"There are no figures yet for {latest[0]['year']}, the year the "
                f"choice for {evidence['year']} is made on (its trend, rank and most similar "
                "boroughs all need it): record the choice once that year's figures are in"
            }
        )
    record = LocalPriorities(borough=borough, year=year, created_by=user)
    record.chosen = list(chosen)
    record.chosen_titles = [menu.candidate(s).title for s in chosen]  # type: ignore[union-attr]
    record.mandatory = list(menu.mandatory)
    record.council, record.commander, record.partnership = council, commander, partnership
    record.agreed_on = agreed_on
    record.evidence = evidence
    record.evidence_sha256 = _sha256(evidence)
    record.modified_by = user
    record.save()
    audit_record(
        actor=user,
        action="plans.local_priorities_recorded",
        obj=record,
        changes={
            "chosen": record.chosen_titles,
            "evidence_sha256": record.evidence_sha256,
        },
    )
    return record
