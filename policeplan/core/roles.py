"""Roles and what each may do. Views and services both ask `can(user, perm)`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    POLICY_OFFICER = "policy_officer", "Policy officer"
    ANALYST = "analyst", "Performance analyst"
    COMMITTEE_MEMBER = "committee_member", "Committee member"
    ADMINISTRATOR = "administrator", "Administrator"


class Perm(StrEnum):
    STAFF_AREA = "staff.area"  # may use the staff pages at all
    VIEW_DRAFTS = "plans.view_drafts"  # may read unpublished plan versions
    EDIT_PLANS = "plans.edit"
    PUBLISH_PLANS = "plans.publish"
    VIEW_AUDIT = "audit.view"
    ADMINISTER = "core.administer"  # the office's details and staff accounts
    IMPORT_DATA = "performance.import"  # bring police and survey data in
    RUN_CONSULTATIONS = "consultations.run"  # build consultations, events, add submissions
    READ_RESPONSES = "consultations.read"  # read answers and aggregate reports (no identities)
    PERSONAL_DATA = "consultations.personal"  # names, emails, registrations, subject access
    ANALYSE = "analysis.code"  # suggest, edit and finalise codeframes; code answers
    RUN_SCRUTINY = "scrutiny.run"  # committees, meetings, papers, minutes and actions
    # Unpublished meetings and papers and exempt items: every body's for those who run
    # scrutiny; a committee member's only for the bodies they sit on (scrutiny.disclosure).
    SCRUTINY_DRAFTS = "scrutiny.drafts"
    # Commentary on a measure's figures for a period: analysts and policy officers draft it;
    # only policy officers approve it, and never their own draft (commentary.services).
    WRITE_COMMENTARY = "performance.commentary"
    APPROVE_COMMENTARY = "performance.approve_commentary"
    # Reports (quarterly update, annual report, committee pack): analysts and policy officers
    # prepare editions and their statutory texts; only policy officers publish them.
    PREPARE_REPORTS = "reports.prepare"
    PUBLISH_REPORTS = "reports.publish"
    # The police estate (buildings, opening hours, pledges, disposals) and where residents
    # live: policy officers keep it; its public pages are public.
    MANAGE_ESTATE = "estates.manage"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.POLICY_OFFICER: frozenset(
        {
            Perm.STAFF_AREA,
            Perm.VIEW_DRAFTS,
            Perm.EDIT_PLANS,
            Perm.PUBLISH_PLANS,
            Perm.RUN_CONSULTATIONS,
            Perm.READ_RESPONSES,
            Perm.PERSONAL_DATA,
            Perm.ANALYSE,
            Perm.RUN_SCRUTINY,
            Perm.SCRUTINY_DRAFTS,
            Perm.WRITE_COMMENTARY,
            Perm.APPROVE_COMMENTARY,
            Perm.PREPARE_REPORTS,
            Perm.PUBLISH_REPORTS,
            Perm.MANAGE_ESTATE,
        }
    ),
    # Analysts read what people said, never who said it.
    Role.ANALYST: frozenset(
        {
            Perm.STAFF_AREA,
            Perm.VIEW_DRAFTS,
            Perm.IMPORT_DATA,
            Perm.READ_RESPONSES,
            Perm.ANALYSE,
            Perm.WRITE_COMMENTARY,
            Perm.PREPARE_REPORTS,
        }
    ),
    # The committee scrutinises what the office publishes; it does not see the office's
    # internal drafts, only its own body's papers before they are published.
    Role.COMMITTEE_MEMBER: frozenset({Perm.STAFF_AREA, Perm.SCRUTINY_DRAFTS}),
    Role.ADMINISTRATOR: frozenset(Perm),
}


def can(user: Any, perm: Perm) -> bool:
    """Whether this user (possibly anonymous or None) holds the permission."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


def ensure(user: Any, perm: Perm) -> None:
    """Raise PermissionDenied unless the user holds the permission (used by services)."""
    if not can(user, perm):
        raise PermissionDenied(f"This needs the '{perm}' permission.")
