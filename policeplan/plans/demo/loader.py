"""Load the demo office, staff and plan through the services, so the audit trail is real.

Demo only: publishing stamps a version with the moment it happens, as it must. The demo's
plan was published in 2021-22 (its consultation draft on 1 December 2021, the final plan on
24 March 2022), so the loader backdates each version's published_at to that day afterwards.
Nothing outside the demo backdates."""

from __future__ import annotations

import datetime
import tomllib
import zoneinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from policeplan.core.models import User
from policeplan.core.services import office_save, user_create
from policeplan.performance.models import Caveat
from policeplan.plans import services
from policeplan.plans.demo.pdf import text_pdf
from policeplan.plans.kinds import KINDS
from policeplan.plans.models import Measure, Outcome, PlanVersion, Priority, VersionState

DEMO_FILE = Path(__file__).with_name("london.toml")
# Real published files the demo's figures are computed from (built by
# scripts/build-demo-extract; sources, licences and SHA-256 in its PROVENANCE.md).
EXTRACT = Path(__file__).with_name("data")
DEMO_PASSWORD = "Plan-demo-2025"  # noqa: S105 - demo accounts only, listed in the README
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _backdate(version: PlanVersion, published_at: datetime.datetime) -> PlanVersion:
    """Demo-only backdating: the version was published on this (London) day of the story."""
    PlanVersion.objects.filter(pk=version.pk).update(
        published_at=published_at.replace(tzinfo=LONDON)
    )
    version.refresh_from_db()
    return version


def _measure_data(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k not in {"outcome"}}


def _add_priority_tree(user: User, version: PlanVersion, raw: dict[str, Any]) -> None:
    priority = services.plan_item_create(
        user=user,
        kind=KINDS["priorities"],
        parent=version,
        data={"title": raw["title"], "summary": raw.get("summary", "")},
    )
    for raw_outcome in raw.get("outcomes", []):
        _add_outcome(user, priority, raw_outcome)


def _add_outcome(user: User, priority: Any, raw: dict[str, Any]) -> None:
    outcome = services.plan_item_create(
        user=user,
        kind=KINDS["outcomes"],
        parent=priority,
        data={"title": raw["title"], "description": raw.get("description", "")},
    )
    for raw_measure in raw.get("measures", []):
        services.plan_item_create(
            user=user, kind=KINDS["measures"], parent=outcome, data=_measure_data(raw_measure)
        )


def _priority(version: PlanVersion, title: str) -> Priority:
    return Priority.objects.get(version=version, title=title)


def _commitment(user: User, version: PlanVersion, raw: dict[str, Any]) -> None:
    data = {**raw, "priority": _priority(version, raw["priority"]) if raw.get("priority") else None}
    services.plan_item_create(user=user, kind=KINDS["commitments"], parent=version, data=data)


def _money(raw: dict[str, Any]) -> dict[str, Any]:
    return {**raw, "amount": Decimal(str(raw["amount"]))}


@transaction.atomic
def load_demo(*, password: str = DEMO_PASSWORD) -> PlanVersion:
    """Create the demo office, one account per role and the demo plan; return the final version."""
    spec = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    office_save(**spec["office"])
    users = {raw["role"]: user_create(password=password, **raw) for raw in spec["staff"]}
    officer = users["policy_officer"]

    draft = spec["draft"]
    version = services.plan_create(user=officer, **spec["plan"])
    services.plan_version_update(
        user=officer,
        version=version,
        data={"summary": draft["summary"], "grants_statement": draft.get("grants_statement", "")},
    )
    for raw in draft["chapters"]:
        services.plan_item_create(user=officer, kind=KINDS["chapters"], parent=version, data=raw)
    for raw in draft["priorities"]:
        _add_priority_tree(officer, version, raw)
    for raw in draft.get("commitments", []):
        _commitment(officer, version, raw)
    for raw in draft.get("resources", []):
        services.plan_item_create(
            user=officer, kind=KINDS["resources"], parent=version, data=_money(raw)
        )
    for raw in draft.get("reporting", []):
        services.plan_item_create(user=officer, kind=KINDS["reporting"], parent=version, data=raw)
    services.plan_version_publish(
        user=officer,
        version=version,
        state=VersionState.CONSULTATION,
        change_note="The consultation draft, published for Londoners to comment on.",
    )
    _backdate(version, draft["published_at"])

    final = spec["final"]
    version = services.plan_version_new_draft(user=officer, plan=version.plan)
    services.plan_version_update(user=officer, version=version, data={"summary": final["summary"]})
    for raw in final.get("update_chapters", []):
        chapter = version.chapters.get(title=raw["title"])
        services.plan_item_update(user=officer, item=chapter, data={"body": raw["body"]})
    for raw in final.get("add_outcomes", []):
        _add_outcome(officer, _priority(version, raw["priority"]), raw)
    for raw in final.get("update_measures", []):
        measure = Measure.objects.get(outcome__priority__version=version, title=raw["title"])
        services.plan_item_update(
            user=officer, item=measure, data={k: v for k, v in raw.items() if k != "title"}
        )
    for raw in final.get("remove_measures", []):
        measure = Measure.objects.get(outcome__priority__version=version, title=raw["title"])
        services.plan_item_archive(user=officer, item=measure)
    for raw in final.get("add_measures", []):
        outcome = Outcome.objects.get(priority__version=version, title=raw["outcome"])
        services.plan_item_create(
            user=officer, kind=KINDS["measures"], parent=outcome, data=_measure_data(raw)
        )
    for raw in final.get("add_commitments", []):
        _commitment(officer, version, raw)
    for raw in final.get("add_grants", []):
        services.plan_item_create(
            user=officer, kind=KINDS["grants"], parent=version, data=_money(raw)
        )
    for raw in final.get("add_documents", []):
        name = raw["title"].lower().replace(" ", "-").replace(":", "").replace("–", "") + ".pdf"
        upload = SimpleUploadedFile(
            name, text_pdf(raw["lines"], title=raw["title"]), "application/pdf"
        )
        services.plan_item_create(
            user=officer,
            kind=KINDS["documents"],
            parent=version,
            data={"title": raw["title"], "kind": raw["kind"], "file": upload},
        )
    Caveat.objects.get_or_create(
        dataset="mps_crime",
        effective_from="2024-02",
        defaults={
            "title": "New recording system",
            "text": "From February 2024 the Met recorded crime on a new system (Connect). Domestic "
            "abuse and hate crime figures before and after the change are not comparable, and some "
            "other categories moved: compare across the change with care.",
        },
    )
    published = services.plan_version_publish(
        user=officer, version=version, state=VersionState.FINAL, change_note=final["change_note"]
    )
    return _backdate(published, final["published_at"])
