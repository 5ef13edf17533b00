"""Who may see what of the people who respond: one policy, called by every page, export and
API route that shows their words or counts them.

- Letters, emails and event notes are shown in full only to staff who hold the personal-data
  permission (policy officers and administrators, `core.roles`); everyone else who may read
  responses sees them with names, email addresses, phone numbers, postal addresses,
  postcodes, National Insurance numbers and dates of birth masked, exactly as a published
  quote is masked.
- An equality group (or any group picked out together with an equality answer) smaller than
  `EQUALITY_MIN_CELL` is never filtered to, listed or counted on its own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from policeplan.core.roles import Perm, can
from policeplan.textanalysis.redact import redact


def sees_personal_details(user: Any) -> bool:
    """Whether this user may read respondents' own words unmasked, and their contact details."""
    return can(user, Perm.PERSONAL_DATA)


def text_for_viewer(*, text: str, user: Any) -> str:
    """A letter, email or event note as this user may see it: in full for those entitled to
    personal details, masked as a public quote for everyone else."""
    if not text or sees_personal_details(user):
        return text
    return redact(text).text


def equality_group_shown(*, people: int, min_cell: int | None = None) -> bool:
    """Whether a group of `people` respondents picked out by an equality answer may be shown
    (its texts listed, its references or counts given). An empty group reveals no one."""
    floor = settings.EQUALITY_MIN_CELL if min_cell is None else min_cell
    return people == 0 or people >= floor
