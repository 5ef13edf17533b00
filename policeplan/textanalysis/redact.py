"""Masking personal details in quotes before they are published.

Finds email addresses, UK phone numbers, postcodes, street addresses and people's names (after
a title such as Mrs or PC, after "my name is" / "I am called", and in a sign-off such as
"Regards, Jo Bloggs") and replaces each with a bracketed kind, for example "[email]". It errs
towards masking: a quote that loses a harmless word is better than one that names someone.
Analysts can mask more by hand; this is the first pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = r"[A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+){0,2}"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")),
    (
        "phone number",
        re.compile(r"(?<![\w])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s\-\)]?){9,10}\d?(?![\w])"),
    ),
    (
        "postcode",
        re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE),
    ),
    (
        "address",
        re.compile(
            r"\b\d{1,4}[a-zA-Z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}"
            r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Gardens|Gdns|Place|Pl|"
            r"Crescent|Court|Ct|Terrace|Grove|Square|Sq|Hill|Park|Walk|Row|Mews|Estate)\b\.?"
        ),
    ),
    (
        "name",
        re.compile(
            r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|PC|PCSO|DC|DS|DI|Sgt|Sergeant|Inspector|Officer|"
            r"Councillor|Cllr)\.?\s+" + NAME
        ),
    ),
    (
        "name",
        re.compile(r"(?i:\bmy name is|\bi am called|\bi'm called|\bthis is)\s+(" + NAME + r")"),
    ),
    (
        "name",
        re.compile(
            r"(?im:^(?:regards|kind regards|best wishes|many thanks|thanks|yours sincerely|"
            r"yours faithfully|sincerely|from)[,.]?\s*\n?\s*)(" + NAME + r")\s*$"
        ),
    ),
]


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Redacted:
    text: str
    findings: list[Finding]


def find(text: str) -> list[Finding]:
    """Every personal detail found, earliest first, overlaps merged into the widest."""
    spans: list[Finding] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            group = 1 if match.re.groups and match.group(1) else 0
            start, end = match.span(group)
            if kind == "name" and group == 0:
                # Keep the title ("PC [name]") so the quote still reads.
                title = re.match(r"\S+\.?\s+", match.group(0))
                start += title.end() if title else 0
            spans.append(Finding(kind, start, end, text[start:end]))
    spans.sort(key=lambda f: (f.start, -(f.end - f.start)))
    merged: list[Finding] = []
    for f in spans:
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            if f.end > last.end:
                merged[-1] = Finding(last.kind, last.start, f.end, text[last.start : f.end])
            continue
        merged.append(f)
    return merged


def redact(text: str, extra: list[str] | None = None) -> Redacted:
    """The text with every finding masked, plus any exact phrases an analyst adds."""
    findings = find(text)
    for phrase in extra or []:
        for match in re.finditer(re.escape(phrase), text):
            findings.append(Finding("redacted by an analyst", match.start(), match.end(), phrase))
    findings.sort(key=lambda f: f.start)
    out, last = [], 0
    for f in findings:
        if f.start < last:
            continue
        out.append(text[last : f.start])
        out.append(f"[{f.kind}]")
        last = f.end
    out.append(text[last:])
    return Redacted("".join(out), findings)
