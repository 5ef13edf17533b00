"""Matching the many spellings of a borough's name."""

from __future__ import annotations

import re

_PREFIX = re.compile(r"^(the )?(london borough of|royal borough of|city of westminster$)")


def normalise(name: str) -> str:
    """'City of Westminster' → 'westminster'; 'Richmond Upon Thames' → 'richmond upon thames'."""
    text = re.sub(r"\s+", " ", name.replace("&", "and").strip().lower())
    if text == "city of westminster":
        return "westminster"
    text = re.sub(r"^(the )?(london borough of|royal borough of) ", "", text)
    return text
