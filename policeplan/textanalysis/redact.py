"""Masking personal details in quotes before they are published.

Finds email addresses, UK phone numbers, postcodes, street addresses, National Insurance
numbers, dates of birth (a date next to "born", "DOB" or "date of birth") and people's names
(after a title such as Mrs or PC; after "my name is", "I am" or "I'm"; in a sign-off such as
"Regards, Jo Bloggs"; alone on a letter's last line) and replaces each with a bracketed kind,
for example "[email]". Capitalised words that are places, the police or who someone says they
are ("I am British", "Met Police", "Lambeth") are not names. Its recall and precision are
measured on a planted corpus (`tests/security/test_privacy_redaction.py`). It errs
towards masking: a quote that loses a harmless word is better than one that names someone.
Analysts can mask more by hand; this is the first pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A person's name: one to three capitalised words ("Jane", "Jane Example", "Mary-Ann O'Brien",
# "McDonald"), optionally after an initial ("J. Example").
WORD = r"[A-Z](?:[a-z]|['’][A-Z])[A-Za-z'’\-]*"
NAME = r"(?:[A-Z]\.\s*)?" + WORD + r"(?:[ \t]+" + WORD + r"){0,2}"

# Capitalised words that follow "I am" or end a letter without being anyone's name: places
# (every London borough and the words of place names), the police and the office, who people
# say they are (nationality, faith, ethnicity) and the words that close a letter.
_NOT_NAMES = """
    barking dagenham barnet bexley brent bromley camden croydon ealing enfield greenwich
    hackney hammersmith fulham haringey harrow havering hillingdon hounslow islington
    kensington chelsea kingston lambeth lewisham merton newham redbridge richmond southwark
    sutton tower hamlets waltham forest wandsworth westminster city london england britain
    brixton peckham tottenham stratford wembley hampstead soho shoreditch whitechapel
    road street avenue lane close drive way gardens place crescent court terrace grove square
    hill park walk row mews estate station high centre town ward borough north south east west
    met metropolitan police policing service constabulary council mayor mopac office government
    home commissioner crime plan panel committee nhs tfl school college university church
    mosque temple synagogue gurdwara community group trust association network forum
    neighbourhood neighbourhoods safer watch board residents tenants
    chair head member manager director secretary treasurer founder leader coordinator
    british english scottish welsh irish european african caribbean asian black white mixed
    indian pakistani bangladeshi chinese polish romanian turkish somali nigerian ghanaian
    jamaican muslim christian jewish hindu sikh buddhist catholic protestant atheist gay
    lesbian bisexual trans disabled deaf blind autistic
    not very so really also just still now here there only too quite rather sure glad happy
    sorry afraid worried concerned writing responding replying aware able unable told
    a an the in on at as of by for from with to and or but if yes no ok okay please
    thank thanks you regards sincerely faithfully cheers best wishes kind many warm love
    dear sir madam team all everyone yours truly respectfully
    stop search knife knives drugs gangs violence safety safe women girls men boys youth
    young people children residents resident victims victim parents parent
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december
"""
NOT_NAMES = frozenset(_NOT_NAMES.split())

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 12/03/1985, 12-3-85, 12.03.1985
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 1985-03-12
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH + r",?\s+\d{4}"  # 12th of March 1985
    r"|" + MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"  # March 12, 1985
)
BIRTH_CUE = r"(?:\bborn\b|\bd\.?o\.?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bbirthday\b)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")),
    (
        "phone number",
        re.compile(r"(?<![\w])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s\-\)]?){9,10}\d?(?![\w])"),
    ),
    (
        "National Insurance number",
        re.compile(
            r"(?<![\w])[A-Z]{2}[ \t\-]?\d{2}[ \t\-]?\d{2}[ \t\-]?\d{2}[ \t\-]?[A-D](?![\w])",
            re.IGNORECASE,
        ),
    ),
    # A date within a few words after a cue ("born on", "DOB:", "date of birth is"), or a
    # year alone after "born in".
    (
        "date of birth",
        re.compile(
            r"(?i:" + BIRTH_CUE + r")[^\n.;]{0,30}?(?i:(" + DATE + r"))",
        ),
    ),
    ("date of birth", re.compile(r"(?i:\bborn\s+in\s+)((?:19|20)\d{2})\b")),
    # A date just before a cue ("12/03/1985 is my date of birth").
    (
        "date of birth",
        re.compile(r"(?i:(" + DATE + r"))(?=[^\n.;]{0,20}?(?i:" + BIRTH_CUE + r"))"),
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
        re.compile(
            r"(?i:\bmy name is|\bi am called|\bi'm called|\bi’m called|\bthis is|\bi am|\bi'm|"
            r"\bi’m|\bim|\bmy name's|\bmy name’s|\bcall me|\bname:)[ \t]+(" + NAME + r")"
        ),
    ),
    (
        "name",
        re.compile(
            r"(?im:^[ \t]*(?:regards|kind regards|best regards|warm regards|with regards|"
            r"best wishes|many thanks|thanks|thank you|with thanks|yours sincerely|"
            r"yours faithfully|yours truly|sincerely|cheers|best|from|signed)[,.!]?[ \t]*\n?"
            r"[ \t]*)(" + NAME + r")[ \t]*[,.]?[ \t]*$"
        ),
    ),
    # A name alone on the last line of a letter ("...\nJane Example").
    ("name", re.compile(r"\n[ \t]*(" + NAME + r")[ \t]*[,.]?\s*\Z")),
]


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of a would-be name that is one: words that are not ordinary capitalised words
    (places, the police, who people say they are). None when nothing of it is a name."""
    words = list(re.finditer(r"[A-Za-z'’\-.]+", text[start:end]))
    if not words or words[0].group(0).strip(".").lower() in NOT_NAMES:
        return None
    kept = []
    for w in words:
        if w.group(0).strip(".").lower() in NOT_NAMES:
            break
        kept.append(w)
    return start + kept[0].start(), start + kept[-1].end()


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
            if kind == "name":
                span = _name_span(text, start, end)
                if span is None:
                    continue
                start, end = span
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
