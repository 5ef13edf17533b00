"""What a text says beyond its themes: its stance on a proposal, and whether it is rich in
evidence. Both are plain, readable rules (no model), so an analyst can see why a text was
marked and the marks are the same on every run.

Stance is read only where the question asks for agreement. Cue phrases for agreeing and
disagreeing are counted, a negation just before a cue turns it round ("don't agree"), and
the text is `agree` or `disagree` when only one side has cues, `mixed` when both do, and
`unclear` when neither does.

A text is rich in evidence when it gives at least two kinds of support for what it says:
first-hand experience, figures or dates, named places, or a source (a report, data, a survey).
"""

from __future__ import annotations

import re

AGREE = re.compile(
    r"\b(agree|support|welcome|in favour|right priorit|good idea|great idea|glad|"
    r"pleased|yes|approve|back (?:this|the)|makes sense|is right)\w*",
    re.IGNORECASE,
)
DISAGREE = re.compile(
    r"\b(disagree|oppose|against|wrong|object|reject|no point|waste|concern(?:ed|s)? about|"
    r"not (?:enough|convinced|sure)|should not|shouldn't|isn't right|doesn't go far)\w*",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(not|don't|do not|never|can't|cannot|won't|no longer)\s+(\w+\s+)?$")

ASKS_AGREEMENT = re.compile(
    r"\b(agree|disagree|support|oppose|how far|to what extent|do you think .* right)",
    re.IGNORECASE,
)

EVIDENCE = {
    "experience": re.compile(
        r"\b(I|we|my|our)\s+(have|had|was|were|saw|seen|witnessed|reported|called|lost|"
        r"son|daughter|child|children|mother|father|partner|family|neighbour|shop|street)\b",
        re.IGNORECASE,
    ),
    "figures or dates": re.compile(
        r"\b\d[\d,.]*\s*(%|per cent|percent|times|years?|months?|weeks?|days?|hours?|minutes?)"
        r"|\b(19|20)\d\d\b|£\s?\d",
        re.IGNORECASE,
    ),
    "places": re.compile(
        r"\b(?:[A-Z][a-z]+ )+(Road|Street|Lane|Park|Station|Estate|High Street|Common|Green|"
        r"Square|Broadway|Market)\b|\b(in|near|outside|at) (?:the )?[A-Z][a-z]{3,}"
    ),
    "sources": re.compile(
        r"\b(report|data|survey|research|study|statistics|figures|evidence|inspection|HMICFRS|"
        r"review)\b",
        re.IGNORECASE,
    ),
}


def asks_agreement(question: str) -> bool:
    return bool(ASKS_AGREEMENT.search(question))


def _cues(pattern: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in pattern.finditer(text)]


def stance(text: str) -> str:
    """'agree', 'disagree', 'mixed' or 'unclear'."""
    agree = disagree = 0
    for start in _cues(AGREE, text):
        if NEGATION.search(text[max(0, start - 24) : start]):
            disagree += 1
        else:
            agree += 1
    disagree_starts = set(_cues(DISAGREE, text))
    for start in disagree_starts:
        if NEGATION.search(text[max(0, start - 24) : start]) and not text[
            start:
        ].lower().startswith(("enough", "convinced", "sure")):
            agree += 1
        else:
            disagree += 1
    if agree and disagree:
        return "mixed"
    if agree:
        return "agree"
    if disagree:
        return "disagree"
    return "unclear"


def evidence_kinds(text: str) -> list[str]:
    """The kinds of evidence a text gives, in a fixed order."""
    return [kind for kind, pattern in EVIDENCE.items() if pattern.search(text)]


def evidence_rich(text: str) -> bool:
    return len(evidence_kinds(text)) >= 2
