"""Compare two snapshots of plan versions: what was added, removed or changed, item by item.

Items are matched by lineage (kept when a version is copied), so an edited title reads as a
change, not as one item removed and another added. Long text gets a word-level inline diff.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

# (snapshot key, singular label, fields compared with their labels, long-text fields)
SECTIONS: list[tuple[str, str, dict[str, str]]] = [
    ("chapters", "Chapter", {"title": "Title", "body": "Text", "statutory_element": "Sets out"}),
    ("priorities", "Priority", {"title": "Title", "summary": "Summary"}),
    (
        "outcomes",
        "Outcome",
        {"title": "Title", "description": "Description", "priority": "Priority"},
    ),
    (
        "measures",
        "Measure",
        {
            "title": "Title",
            "description": "Description",
            "outcome": "Outcome",
            "data_source_kind": "Data source",
            "unit": "Unit",
            "direction": "Direction of good",
            "geography_levels": "Geography",
            "frequency": "Frequency",
            "baseline_period": "Baseline",
            "target": "Target",
            "target_kind": "Numeric target",
            "target_value": "Target figure",
            "owner": "Owner",
            "dataset": "Computed from",
            "categories": "Categories counted",
            "numerator_categories": "Outcomes counted towards the percentage",
        },
    ),
    (
        "commitments",
        "Commitment",
        {"text": "Commitment", "owner": "Owner", "due_on": "Due", "status": "Status"},
    ),
    (
        "resources",
        "Budget line",
        {"heading": "Heading", "financial_year": "Year", "amount": "Amount"},
    ),
    (
        "grants",
        "Grant",
        {
            "recipient": "Recipient",
            "purpose": "Purpose",
            "amount": "Amount",
            "conditions": "Conditions",
        },
    ),
    (
        "reporting",
        "Reporting arrangement",
        {"title": "Title", "description": "Description", "frequency": "Frequency"},
    ),
    ("documents", "Document", {"title": "Title", "kind": "Kind"}),
]
LONG_TEXT = {"body", "summary", "description", "purpose", "conditions", "text"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    inline: Markup | None = None  # word-level diff for long text


@dataclass(frozen=True)
class ItemChange:
    kind: str
    status: str  # "added" | "removed" | "changed"
    title: str
    context: str = ""  # e.g. the priority an outcome belongs to
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class SectionDiff:
    key: str
    label: str
    changes: list[ItemChange]


def flatten(snapshot: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Snapshot sections as flat lists; outcomes and measures name their parent's title."""
    flat: dict[str, list[dict[str, Any]]] = {
        key: list(snapshot.get(key, [])) for key, *_ in SECTIONS
    }
    flat["priorities"], flat["outcomes"], flat["measures"] = [], [], []
    for priority in snapshot.get("priorities", []):
        flat["priorities"].append({k: v for k, v in priority.items() if k != "outcomes"})
        for outcome in priority["outcomes"]:
            flat["outcomes"].append(
                {
                    **{k: v for k, v in outcome.items() if k != "measures"},
                    "priority": priority["title"],
                }
            )
            for measure in outcome["measures"]:
                flat["measures"].append({**measure, "outcome": outcome["title"]})
    return flat


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]+")


def inline_diff(old: str, new: str) -> Markup:
    """Word-level diff as HTML with <del> and <ins>, everything escaped."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))  # noqa: S704 - every piece escaped above


def _context(item: dict[str, Any]) -> str:
    if "outcome" in item and "unit" in item:
        return f"Outcome: {item['outcome']}"
    if "priority" in item and "description" in item:
        return f"Priority: {item['priority']}"
    return ""


def _title(item: dict[str, Any]) -> str:
    for key in ("title", "heading", "recipient", "text"):
        if item.get(key):
            return _as_text(item[key])[:120]
    return "(untitled)"


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[SectionDiff]:
    """Every section with at least one change, in the order of SECTIONS."""
    a, b = flatten(old), flatten(new)
    result = []
    for key, label, fields in SECTIONS:
        before = {item["lineage"]: item for item in a[key]}
        after = {item["lineage"]: item for item in b[key]}
        changes: list[ItemChange] = []
        for lineage, item in after.items():
            if lineage not in before:
                changes.append(ItemChange(label, "added", _title(item), _context(item)))
                continue
            diffs = []
            for name, field_label in fields.items():
                old_text, new_text = _as_text(before[lineage].get(name)), _as_text(item.get(name))
                if old_text != new_text:
                    inline = inline_diff(old_text, new_text) if name in LONG_TEXT else None
                    diffs.append(FieldChange(field_label, old_text, new_text, inline))
            if diffs:
                changes.append(ItemChange(label, "changed", _title(item), _context(item), diffs))
        changes += [
            ItemChange(label, "removed", _title(item), _context(item))
            for lineage, item in before.items()
            if lineage not in after
        ]
        if changes:
            result.append(SectionDiff(key, label, changes))
    for name, field_label in (
        ("summary", "Introduction"),
        ("grants_statement", "Statement on grants"),
    ):
        if _as_text(old.get(name)) != _as_text(new.get(name)):
            change = FieldChange(
                field_label,
                _as_text(old.get(name)),
                _as_text(new.get(name)),
                inline_diff(_as_text(old.get(name)), _as_text(new.get(name))),
            )
            result.insert(
                0,
                SectionDiff(
                    name, field_label, [ItemChange("Plan", "changed", field_label, "", [change])]
                ),
            )
    return result
