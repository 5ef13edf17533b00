"""What the public may see of a disposal: the one rule every page, download and API answer
about disposals goes through.

A disposal marked exempt (commercially sensitive while a sale is negotiated, under the
exempt-information rules the decisions log follows) is listed, with its building, borough,
decision and dates, but its money figures and notes are withheld, and totals leave them out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from policeplan.estates.models import Disposal

WITHHELD = "Withheld: exempt information"
MONEY_FIELDS = ("estimated_receipt", "actual_receipt", "running_cost_saving")


def disposal_record(row: Disposal) -> dict[str, Any]:
    """A disposal as the public may see it (money as whole pounds, None when not known or
    withheld; `withheld` says which)."""

    def pounds(value: Decimal | None) -> int | None:
        return None if value is None or row.exempt else int(value)

    return {
        "id": row.pk,
        "building": row.building.name,
        "building_reference": row.building.reference,
        "borough": row.building.borough.name,
        "borough_code": row.building.borough.code,
        "decision_reference": row.decision_reference,
        "decided_on": row.decided_on,
        "estimated_receipt": pounds(row.estimated_receipt),
        "actual_receipt": pounds(row.actual_receipt),
        "sold_on": row.sold_on,
        "running_cost_saving": pounds(row.running_cost_saving),
        "withheld": row.exempt,
        "withheld_reason": row.exempt_reason if row.exempt else "",
        "notes": "" if row.exempt else row.notes,
    }
