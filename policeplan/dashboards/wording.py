"""Plain words for figures and changes, as the public reads them."""

from __future__ import annotations

from policeplan.warehouse import stats


def change_text(change: stats.Change | None, unit: str) -> str:
    if change is None:
        return "No earlier figure to compare with"
    if change.ratio is not None:
        pct = (change.ratio - 1) * 100
        lo, hi = (change.lower - 1) * 100, (change.upper - 1) * 100
        word = "up" if pct > 0 else "down" if pct < 0 else "unchanged"
        return f"{word} {abs(pct):.1f}% (95% interval {lo:+.1f}% to {hi:+.1f}%)"
    points = (change.difference or 0) * 100
    word = "up" if points > 0 else "down" if points < 0 else "unchanged"
    return (
        f"{word} {abs(points):.1f} percentage points "
        f"(95% interval {change.lower * 100:+.1f} to {change.upper * 100:+.1f})"
    )


RAG_CLASSES = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
    "grey": "govuk-tag--grey",
}
RAG_LABELS = {
    "green": "Improving",
    "amber": "No significant change",
    "red": "Getting worse",
    "grey": "Not assessed",
}
