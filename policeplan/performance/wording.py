"""Plain words for figures and changes, as the public reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policeplan.core.dates import MONTHS
from policeplan.warehouse import periods

if TYPE_CHECKING:
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
    "none": "govuk-tag--grey",
}
RAG_LABELS = {
    "green": "Improving",
    "amber": "No significant change",
    "red": "Getting worse",
    "grey": "Context only",
    "none": "Cannot be assessed yet",
}
TARGET_LABELS = {
    "green": "Meets its target",
    "amber": "Close to its target",
    "red": "Short of its target",
    "grey": "Context only",
    "none": "Cannot be assessed yet",
}


def rag_label(assessment: Any) -> str:
    """The status in words: against the target when the measure has one, else the change."""
    labels = TARGET_LABELS if assessment.rule in {"target", "baseline"} else RAG_LABELS
    return labels[assessment.rag]


def rule_text(assessment: Any) -> str:
    """Which rule produced the status, in words: 'Assessed against a numeric target.'"""
    if assessment.rule == "context":
        return "Not assessed: this is a context measure."
    if assessment.rag == "none":
        return f"To be assessed against {assessment.rule_name}."
    return f"Assessed against {assessment.rule_name}."


# How many months after a month ends its data is usually published (data.police.uk and the
# London Datastore: the month after; the survey: the quarter after).
PUBLICATION_LAG = {"pas": 3}
STEP = {"monthly": 1, "quarterly": 3, "annually": 12}


def month_name(month: str) -> str:
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def next_update(*, frequency: str, dataset: str, last_month: str) -> str:
    """When the next figures are expected, from the last month the data covers."""
    if not last_month:
        return ""
    nxt = periods.shift(last_month, STEP.get(frequency, 1))
    expected = periods.shift(nxt, PUBLICATION_LAG.get(dataset, 1))
    return (
        f"With the data for {month_name(nxt)}, usually published in "
        f"{MONTHS[int(expected[5:7]) - 1]} {expected[:4]}"
    )


def methodology(
    *, dataset: str, unit: str, categories: list[str], numerators: list[str], source: str = ""
) -> str:
    """How the figures are calculated, in words, from the measure's binding."""
    if not dataset:
        interval = {
            "percentage": "the Wilson score method on the base given",
            "rate_per_1000": "the exact Poisson method, per 1,000 residents of the base given",
        }.get(unit, "the exact Poisson method")
        return (
            f"Counted outside this service ({source or 'another source'}) and supplied to the "
            f"office area by area and period. 95% intervals by {interval}."
        )
    counted = ", ".join(categories) if categories else "every category"
    if dataset == "pas":
        question = categories[0] if categories else "the question"
        return (
            f"The share of Public Attitude Survey respondents agreeing with ‘{question}’ over the "
            "12 months to each quarter, on a base of about 400 interviews a borough a year. "
            "95% intervals by the Wilson score method; a change is significant when Newcombe's "
            "interval for the difference leaves out zero."
        )
    source = {
        "street": "data.police.uk street-level crimes",
        "mps_crime": "MPS recorded crimes",
        "stop_search": "data.police.uk stop and searches",
        "outcomes": "data.police.uk crime outcomes",
    }.get(dataset, "records")
    if dataset == "outcome_rate":
        return (
            f"Outcomes recorded in the period that were {', '.join(numerators)}, for crimes of "
            f"these types: {counted}; divided by the crimes of those types recorded in the same "
            "period (outcomes can belong to crimes recorded earlier). 95% intervals by the exact "
            "Poisson method on the outcomes; changes as rate ratios."
        )
    if unit == "percentage":
        return (
            f"The share of {source} ({counted}) whose outcome was {', '.join(numerators)}. "
            "95% intervals by the Wilson score method."
        )
    per = (
        " per 1,000 residents (the ONS population estimate for the year each period starts "
        "in; where there is none yet, the nearest year's, and the figure says so)"
        if unit == "rate_per_1000"
        else ""
    )
    return (
        f"The number of {source} in these categories: {counted}{per}. Areas come from each "
        "record's LSOA (or the borough it was published for). 95% intervals by the exact "
        "Poisson method; a change is significant when the interval of the rate ratio leaves "
        "out 1."
    )
