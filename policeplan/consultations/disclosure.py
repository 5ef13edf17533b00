"""Who may see what of the people who respond: one policy, called by every page, export and
API route that shows their words or counts them.

- Letters, emails and event notes are shown in full only to staff who hold the personal-data
  permission (policy officers and administrators, `core.roles`); everyone else who may read
  responses sees them with names, email addresses, phone numbers, postal addresses,
  postcodes, National Insurance numbers and dates of birth masked, exactly as a published
  quote is masked.
- An equality group (or any group picked out together with an equality answer) smaller than
  `EQUALITY_MIN_CELL` is never filtered to, listed or counted on its own.
- Under an equality filter, whatever the size of the group, pages, exports and APIs give
  counts only: never a text, a reference or a link to a respondent. Two lists of people
  (one per equality answer, or a borough's list against an equality group's) could otherwise
  be matched up to learn each person's answers, even when every list is large.
- Where counts in one set (the answers to a question, the themes within a group) are shown,
  a count below `EQUALITY_MIN_CELL` is withheld, and when only one would be, the next
  smallest is withheld with it, so the hidden figure cannot be worked out from the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from policeplan.core.roles import Perm, can


def sees_personal_details(user: Any) -> bool:
    """Whether this user may read respondents' own words unmasked, and their contact details."""
    return can(user, Perm.PERSONAL_DATA)


def text_for_viewer(*, text: str, user: Any) -> str:
    """A letter, email or event note as this user may see it: in full for those entitled to
    personal details, masked as a public quote for everyone else."""
    if not text or sees_personal_details(user):
        return text
    # Imported when first masking: its patterns take a tenth of a second to compile, which
    # every command would otherwise pay at start-up (tests/test_startup.py).
    from policeplan.textanalysis.redact import redact

    return redact(text).text


def equality_group_shown(*, people: int, min_cell: int | None = None) -> bool:
    """Whether a group of `people` respondents picked out by an equality answer may be shown
    (its texts listed, its references or counts given). An empty group reveals no one."""
    floor = settings.EQUALITY_MIN_CELL if min_cell is None else min_cell
    return people == 0 or people >= floor


def area_count_shown(*, count: int, min_cell: int | None = None) -> int | None:
    """How many responses came from an area, as a published page may give it: None (shown as
    "fewer than") for 1 to `min_cell` - 1, so a handful of respondents from one borough are
    not picked out; 0 and larger counts as they are."""
    floor = settings.EQUALITY_MIN_CELL if min_cell is None else min_cell
    return count if count == 0 or count >= floor else None


def listing_allowed(*, equality_filtered: bool) -> bool:
    """Whether a page (or export, or API) may list texts, references or links to respondents
    under its filters: never when one of them is an equality answer (counts only)."""
    return not equality_filtered


def withheld_cells(counts: Sequence[int], *, min_cell: int | None = None) -> set[int]:
    """Positions of the counts in one set to withhold: every count of 1 to `min_cell` - 1,
    and when exactly one is withheld, the next smallest non-zero count too (complementary
    suppression, so the hidden one cannot be found by subtraction)."""
    floor = settings.EQUALITY_MIN_CELL if min_cell is None else min_cell
    withheld = {i for i, n in enumerate(counts) if 0 < n < floor}
    if len(withheld) == 1:
        others = [(n, i) for i, n in enumerate(counts) if i not in withheld and n > 0]
        if others:
            withheld.add(min(others)[1])
    return withheld
