"""Writes for the body itself, its members and the officers who attend."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from policeplan.core.roles import Role
from policeplan.core.services import audit_record
from policeplan.scrutiny.models import Committee, Member, Officer
from policeplan.scrutiny.services._common import apply, ensure_runs

COMMITTEE_FIELDS = ("name", "slug", "kind", "description", "contact_email")
MEMBER_FIELDS = ("name", "role", "affiliation", "term_from", "term_to", "user")
OFFICER_FIELDS = ("name", "job_title")
# Addresses under /scrutiny/ that are the office's own pages, not a body's (scrutiny/urls.py).
RESERVED_SLUGS = frozenset({"decisions", "recommendations", "alerts"})


@transaction.atomic
def committee_save(
    *, user: Any, data: Mapping[str, Any], committee: Committee | None = None
) -> Committee:
    ensure_runs(user)
    if str(data.get("slug", "")).lower() in RESERVED_SLUGS:
        # The office's own pages live at these addresses under /scrutiny/: a body named so
        # would lose its pages (its alerts sign-up among them) to them.
        raise ValidationError({"slug": "Choose another web address name: that one is in use"})
    created = committee is None
    committee = committee or Committee(created_by=user)
    committee.modified_by = user
    changes = apply(committee, data, COMMITTEE_FIELDS)
    audit_record(
        actor=user,
        action="committee.create" if created else "committee.update",
        obj=committee,
        changes=changes,
    )
    return committee


@transaction.atomic
def member_save(
    *, user: Any, committee: Committee, data: Mapping[str, Any], member: Member | None = None
) -> Member:
    """Add or change a seat. A linked staff account must be a committee member's: it is
    what lets them see this body's drafts."""
    ensure_runs(user)
    account = data.get("user")
    if account is not None and account.role != Role.COMMITTEE_MEMBER:
        raise ValidationError({"user": "Choose the staff account of a committee member (or none)"})
    created = member is None
    member = member or Member(committee=committee, created_by=user)
    member.modified_by = user
    changes = apply(member, data, MEMBER_FIELDS)
    audit_record(
        actor=user,
        action="committee_member.create" if created else "committee_member.update",
        obj=member,
        changes=changes,
    )
    return member


@transaction.atomic
def officer_save(
    *, user: Any, committee: Committee, data: Mapping[str, Any], officer: Officer | None = None
) -> Officer:
    ensure_runs(user)
    created = officer is None
    officer = officer or Officer(committee=committee, created_by=user)
    officer.modified_by = user
    changes = apply(officer, data, OFFICER_FIELDS)
    audit_record(
        actor=user,
        action="committee_officer.create" if created else "committee_officer.update",
        obj=officer,
        changes=changes,
    )
    return officer
