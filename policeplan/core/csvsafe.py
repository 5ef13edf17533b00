"""Formula-safe cells for Django code: the one implementation is `policeplan.safecells`
(Django-free, so the warehouse and text analysis use it too)."""

from policeplan.safecells import (
    SafeWriter,
    cell_from_file,
    safe_cell,
    safe_cell_reversible,
    safe_row,
    to_csv,
    to_reversible_csv,
)

__all__ = [
    "SafeWriter",
    "cell_from_file",
    "safe_cell",
    "safe_cell_reversible",
    "safe_row",
    "to_csv",
    "to_reversible_csv",
]
