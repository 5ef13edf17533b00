"""Masking personal details in quotes before they are published.

Finds email addresses (also written out: "jo [at] example [dot] org", "jo(at)example.co.uk",
"jo at example dot com"), UK phone numbers however punctuated ("+44 (0)20 7946 0958",
"020.7946.0959", "0044 7700900123"), postcodes however spaced ("S W 1 A 1 A A", "sw1a1aa"),
street addresses (a house number and street, a flat or apartment number, a named building
before its street), National Insurance numbers (with spaces, dots or dashes), dates of birth
(a date, in figures or words, next to "born", "DOB" or "date of birth") and people's names:
after a title such as Mrs or PC; after "my name is", "I am" or "I'm" (in small letters too
after "my name is", and after "i am" from a writer who uses no capitals); in a sign-off such
as "Regards, Jo Bloggs" or "Signed: JO BLOGGS", whatever follows it; two or three words alone
on a letter's last line. Each is replaced with a bracketed kind, for example "[email]".
Capitalised words that are places, the police or who someone says they are ("I am British",
"Met Police", "Lambeth") are not names, nor is what people say they feel ("i am fed up").

A name in the middle of a sentence with no cue ("I saw Jo Bloggs at the bus stop") cannot be
told from other capitalised words by rules and is not masked: analysts mask those by hand.
Recall and precision are measured on a planted corpus
(`tests/security/test_privacy_redaction.py`). It errs towards masking: a quote that loses a
harmless word is better than one that names someone. Every repeat in the patterns is
bounded, so a long hostile text costs time in proportion to its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters in names, accented ones included ("Zoë Núñez", "Łukasz"): capitals, small letters.
UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ"
LO = "a-zß-öø-ÿā-žḀ-ỿ"
# A capitalised word ("Jane", "O'Brien-Smythe", "McDonald", "Núñez"), a word in capitals
# ("BLOGGS", "O'BRIEN") and a word in small letters ("margaret", "o'brien-smythe").
WORD = rf"[{UP}](?:[{LO}]|['’][{UP}])(?:[{UP}{LO}]|['’\-](?=[{UP}{LO}])){{0,40}}"
CAPS = rf"[{UP}](?:[{UP}]|['’\-](?=[{UP}])){{1,40}}"
LOWER = rf"[{LO}](?:[{LO}]|['’\-](?=[{LO}])){{0,40}}"
# A person's name: one to three such words, optionally after an initial ("J. Example").
NAME = rf"(?:[{UP}]\.[ \t]*)?{WORD}(?:[ \t]+{WORD}){{0,2}}"
# In a sign-off or alone on a line, a name may also be in capitals ("JO BLOGGS").
SIGNED = (
    rf"(?:[{UP}]\.[ \t]*)?(?:{WORD}|{CAPS})(?:[ \t]+(?:[{UP}]\.[ \t]*)?(?:{WORD}|{CAPS})){{0,2}}"
)
# After "my name is" or "I am", a name may be in small letters ("i am jo bloggs").
LOWER_NAME = rf"{LOWER}(?:[ \t]+{LOWER}){{0,2}}"

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
    sent urgent ps p.s nb done well confused reassured reassuring grateful satisfied fine
    better thank-you
"""
NOT_NAMES = frozenset(_NOT_NAMES.split())
_FUNCTION_WORDS = "a an the in on at as of by for from with to and or but if"
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())

# Words in small letters that follow "I am", "I'm" or "my name is" without being a name:
# what people say they feel or are ("i am fed up", "im scared", "i'm a mum of three").
_NOT_LOWER_NAMES = """
    i me my we our it is was be been being am are this that what who how why when where
    into onto over under about against after before since until through during near out up
    down off away back again ever never always sometimes often once already even almost
    fed sick tired angry upset scared frightened terrified afraid anxious nervous fine well
    ill unwell alone lonely sad mad cross furious livid fuming gutted shocked disgusted
    appalled horrified outraged annoyed frustrated disappointed confused surprised amazed
    grateful thankful pleased delighted proud keen eager willing ready unsure uncertain
    convinced certain positive hopeful hopeless desperate exhausted done finished over
    old older elderly retired young younger pregnant single married divorced widowed
    unemployed employed homeless housebound vulnerable poor new local resident born bred
    mum dad mother father mum's grandmother grandfather grandparent carer nurse teacher
    student pensioner worker driver officer volunteer councillor neighbour tenant owner
    going coming living working calling emailing asking hoping trying looking waiting
    withheld private confidential anonymous unknown irrelevant important unimportant
    one two three four five six seven eight nine ten eleven twelve twenty thirty forty
    fifty sixty seventy eighty ninety hundred half
    against for fully totally completely absolutely strongly deeply really truly
    someone somebody nobody anyone everyone part proud just simply
    free sure right wrong late early lucky unlucky tired sick bored fearful concerned
    sorry hurt injured disabled deaf blind dyslexic autistic neurodivergent
    black white brown asian gay straight bi lesbian trans queer muslim jewish christian
    responding writing replying contacting between today better worse alright most more less
    post pre pain overall forever diabetic asthmatic epileptic transgender nonbinary gender
    methadone currently now still being getting feeling doing moving making hoping satisfied
    recovering healthy unhealthy well-known famous known left stuck trapped lost
"""
NOT_LOWER_NAMES = NOT_NAMES | frozenset(_NOT_LOWER_NAMES.split())
# Words after a name in small letters that show it was not one ("i am sick of it").
_AFTER_NOT_NAME = re.compile(
    r"[ \t]+(?:about|to|of|that|with|by|at|for|because|when|than|as|too|enough|if|"
    r"since|after|before|in|on)\b"
)

ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|twentieth|thirtieth|"
    r"(?:twenty|thirty)[\s\-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))"
)
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?|(?:the\s+)?" + ORDINAL + r")"
YEAR = r"(?:\d{4}|['’]\d{2})"
DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 12/03/1985, 12-3-85, 4.7.1960
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 1985-03-12
    + r"|"
    + DAY
    + r"\s+(?:of\s+)?"
    + MONTH
    + r",?\s+"
    + YEAR  # the fourth of July 1960
    + r"|"
    + MONTH
    + r"\s+"
    + DAY
    + r",?\s+"
    + YEAR  # March 12, 1985; July the fourth '60
    + r"|"
    + MONTH
    + r",?\s+\d{4})"  # July 1960 (next to a cue only)
)
BIRTH_CUE = r"(?:\bborn\b|\bd\.?o\.?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bbirthday\b)"
_BIRTH = re.compile(BIRTH_CUE, re.IGNORECASE)

# An email address written out to dodge filters: "jo [at] example [dot] org",
# "jo(at)example.co.uk", "jo at example dot com" (the last only when the domain ends in a
# known ending such as "dot com" or ".org", so "meet at the station" is kept).
_LOCAL = r"(?<![\w.+\-])[\w.+\-]{0,64}\w"
_LABEL = r"[\w\-]{1,63}"
_BR_AT = r"[ \t]*[\[\(\{<][ \t]*(?:at|@)[ \t]*[\]\)\}>][ \t]*"
_BR_DOT = r"[ \t]*[\[\(\{<][ \t]*(?:dot|\.)[ \t]*[\]\)\}>][ \t]*"
_WORD_DOT = r"[ \t]+dot[ \t]+"
_ANY_DOT = rf"(?:{_BR_DOT}|{_WORD_DOT}|[ \t]*\.[ \t]*)"
_TLD = r"(?:com|org|net|uk|gov|ac|edu|io|info|me|eu|biz|london|co)"

# Kinds of street, and of named building before one ("Rose Cottage, Mill Lane").
STREET = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Gardens|Gdns|Place|Pl|"
    r"Crescent|Court|Ct|Terrace|Grove|Square|Sq|Hill|Park|Walk|Row|Mews|Estate|Rise|Parade|"
    r"Broadway|Green|Vale|Wharf|Yard|Gate|Quay|View|Passage|Villas)\b\.?"
)
BUILDING = (
    r"(?:House|Cottage|Lodge|Mansions|Court|Tower|Heights|Buildings|Villas|Hall|Farm|Point|"
    r"Apartments|Flats|Block|Chambers|Maltings|Wharf|Works)\b"
)
_CAPWORDS = r"(?:[A-Z][A-Za-z'’\-]{1,30}[ \t]+){0,3}"
_STREET_NAME = r"(?:[A-Z][A-Za-z'’\-]{1,30}[ \t]+){1,3}" + STREET
_HOUSE = r"\d{1,4}[ \t]?[a-zA-Z]?(?:[\-–/]\d{1,4}[a-zA-Z]?)?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "email",
        re.compile(
            r"(?<![\w.+\-])[\w.+\-]{1,64}[ \t]*@[ \t]*[\w\-]{1,63}(?:\.[\w\-]{1,63})*"
            r"\.[^\W\d_]{2,63}\b"  # the last part is letters: "fam. @ 1.91%" is no address
        ),
    ),
    (
        "email",
        re.compile(
            rf"(?i:{_LOCAL}{_BR_AT}{_LABEL}(?:{_ANY_DOT}{_LABEL})+"
            rf"|{_LOCAL}[ \t]+at[ \t]+{_LABEL}(?:{_ANY_DOT}{_LABEL})*{_ANY_DOT}{_TLD})\b"
        ),
    ),
    (
        "phone number",
        re.compile(
            r"(?<![\w+])(?:(?:\+|00)[ \t]?44[ \t.\-]*(?:\(0\)[ \t.\-]*|0[ \t.\-]*)?|\(?0)"
            r"(?:\d[ \t.\-\)]{0,2}){8,10}\d(?![\w])"
        ),
    ),
    (
        "National Insurance number",
        re.compile(r"(?<![\w])[A-Z]{2}(?:[ \t.\-]?\d{2}){3}[ \t.\-]?[A-D](?![\w])", re.IGNORECASE),
    ),
    # A date within a few words after a cue ("born on", "DOB:", "date of birth is"), or a
    # year alone after "born in".
    (
        "date of birth",
        re.compile(r"(?i:" + BIRTH_CUE + r")[^\n;]{0,30}?(?i:(" + DATE + r"))"),
    ),
    ("date of birth", re.compile(r"(?i:\bborn\s+(?:in\s+)?)((?:19|20)\d{2})\b")),
    # A date just before a cue ("12/03/1985 is my date of birth").
    (
        "date of birth",
        re.compile(r"(?i:(" + DATE + r"))(?=[^\n.;]{0,20}?(?i:" + BIRTH_CUE + r"))"),
    ),
    # Postcodes however spaced: "SW1A 1AA", "sw1a1aa", "SW1A  1AA", "S W 1 A 1 A A".
    ("postcode", re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?[ \t\-]*[0-9][A-Z]{2}\b", re.IGNORECASE)),
    (
        "postcode",
        re.compile(
            r"\b[A-Z][ .]?(?:[A-Z][ .]?)?[0-9][ .]?(?:[A-Z0-9][ .]?)?"
            r"[ \t]*[0-9][ .]?[A-Z][ .]?[A-Z]\b"
        ),
    ),
    ("postcode", re.compile(r"\b[a-z] (?:[a-z] )?[0-9] (?:[a-z0-9] )?[0-9] [a-z] [a-z]\b")),
    # A flat or apartment number, with the building and street that follow it.
    (
        "address",
        re.compile(
            r"(?i:\b(?:flat|apartment|apt|maisonette)\.?[ \t]*(?:no\.?[ \t]*)?)"
            r"\d{1,4}[a-zA-Z]?\b"
            r"(?:,?[ \t]+(?:The[ \t]+)?(?:[A-Z][A-Za-z'’\-]{1,30}[ \t]*){1,3})?"
            r"(?:,?[ \t]*(?:" + _HOUSE + r",?[ \t]+)?" + _STREET_NAME + r")?"
        ),
    ),
    # A house number and street ("42 Acacia Avenue", "12A Mill Lane", "12-14 High Street").
    ("address", re.compile(r"\b" + _HOUSE + r",?[ \t]+" + _STREET_NAME)),
    # A named building and its street ("Rose Cottage, Mill Lane").
    (
        "address",
        re.compile(
            r"(?<![\w'’\-])(?:The[ \t]+)?"
            + _CAPWORDS
            + BUILDING
            + r",?[ \t]+(?:"
            + _HOUSE
            + r"[ \t]+)?"
            + _STREET_NAME
        ),
    ),
    (
        "name",
        re.compile(
            r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|PC|PCSO|DC|DS|DI|Sgt|Sergeant|Inspector|Officer|"
            r"Councillor|Cllr)\.?\s+(" + NAME + r")"
        ),
    ),
    (
        "name",
        re.compile(
            r"(?i:\b(?:my name(?: is|'s|’s)|i(?: am|'m|’m|m)(?: called)?|this is|call me|"
            r"name:))[ \t]+(" + NAME + r")"
        ),
    ),
    # A name in capitals after "my name is" ("my name is MARGARET O'BRIEN").
    (
        "name",
        re.compile(
            r"(?i:\bmy name is|\bmy name's|\bmy name’s|\bi am called|\bi'm called|"
            r"\bi’m called|\bname:)[ \t]+(" + SIGNED + r")"
        ),
    ),
    # A sign-off, the name on the same line or the next, whatever follows it on later lines
    # (a P.S., "Sent from my iPhone", a quoted reply): "Regards,\nJo Bloggs",
    # "Signed: Jo Bloggs", "Regards, Jo Bloggs (Mrs)", "> Kind regards,\n> JO BLOGGS".
    (
        "name",
        re.compile(
            r"(?im:^[ \t>]*(?:regards|kind regards|best regards|warm regards|with regards|"
            r"kindest regards|best wishes|all the best|many thanks|thanks|thank you|with thanks|"
            r"yours sincerely|yours faithfully|yours truly|sincerely|cheers|best|from|signed|"
            r"sign(?:ed)? off|love|respectfully|yours)[,.!:]?[ \t]*(?:\n[ \t>]*)?)"
            r"(" + SIGNED + r")(?=[ \t]*(?:\([^)\n]{1,20}\))?[ \t]*(?:[,.;<]|$))",
            re.MULTILINE,
        ),
    ),
]
# A name of two or three words alone on a letter's last line ("...\nJane Example"), or
# followed only by a footer, a postscript or a quoted reply.
ALONE = re.compile(
    r"\n[ \t>]*(" + SIGNED + r")[ \t]*[,.]?[ \t]*"
    r"(?=\s*\Z|[ \t]*\n\s*(?i:sent from|get outlook|p\.?\s?s\b|--|__|>|on\b[^\n]{0,100}"
    r"\bwrote\b|from:|original message))"
)
PATTERNS.append(("name", ALONE))

# Words that make a would-be name an organisation ("Streatham Neighbourhood Watch").
_ORGANISATION = """watch residents tenants association forum group team board police council network
    trust committee panel community church school office service society club partnership
    project centre federation alliance union campaign"""
ORGANISATION = frozenset(_ORGANISATION.split())

# A name in small letters after "my name is", "I am" or "I'm"; kept apart because what
# follows "I am" is far more often a feeling than a name.
# After "I am" or "I'm" only when the writer does not use capitals either ("i am jo bloggs"):
# someone who writes "I am" capitalises their name, and "I am extremely grateful" is common.
LOWER_NAME_CUE = re.compile(
    r"(?:(?i:\bmy name is|\bmy name's|\bmy name’s|\bi am called|\bi'm called|\bi’m called|"
    r"\bname:)|\bi am|\bi'm|\bi’m|\bim)[ \t]+(" + LOWER_NAME + rf")(?![{UP}{LO}'’\-])"
)


def _name_span(
    text: str, start: int, end: int, stop: frozenset[str] = NOT_NAMES
) -> tuple[int, int] | None:
    """The part of a would-be name that is one: words that are not ordinary capitalised words
    (places, the police, who people say they are). None when nothing of it is a name."""
    words = list(re.finditer(rf"[{UP}{LO}'’\-.]+", text[start:end]))
    if not words or words[0].group(0).strip(".").lower() in stop:
        return None
    kept = [words[0]]
    for w in words[1:]:
        word = w.group(0).strip(".")
        # A capitalised little word inside a name is part of it ("Nguyễn Văn An").
        if word.lower() in stop and not (word.istitle() and word.lower() in FUNCTION_WORDS):
            break
        kept.append(w)
    return start + kept[0].start(), start + kept[-1].end()


def _lower_names(text: str) -> list[tuple[int, int]]:
    """Names in small letters after a cue: "my name is margaret o'brien-smythe", "i am jo
    bloggs", but not "i am fed up", "im sick of it" or "i am worried about"."""
    spans = []
    for match in LOWER_NAME_CUE.finditer(text):
        if not match.group(1).islower():
            continue
        span = _name_span(text, *match.span(1), stop=NOT_LOWER_NAMES)
        if span is None or _AFTER_NOT_NAME.match(text, span[1]):
            continue
        first = text[span[0] : span[1]].split()[0]
        if len(first) > 5 and first.endswith(("ing", "ful", "ous", "less", "able", "ible")):
            continue
        if len(first) > 6 and first.endswith("ly"):  # extremely, highly, completely
            continue
        if len(first) > 5 and first.endswith("ed") and not first.endswith(("eed", "med")):
            continue
        spans.append(span)
    return spans


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
    birth = _BIRTH.search(text) is not None
    for kind, pattern in PATTERNS:
        if kind == "date of birth" and not birth:
            continue  # every date-of-birth pattern needs a cue; most texts have none
        for match in pattern.finditer(text):
            group = 1 if match.re.groups and match.group(1) else 0
            start, end = match.span(group)
            if kind == "name":
                words = [w.strip(".,").lower() for w in text[start:end].split()]
                if ORGANISATION.intersection(words):
                    continue
                if pattern is ALONE and len(words) < 2:
                    continue  # a last line of one word is a heading or a thought ("Food.")
                if pattern is ALONE and text[start:end].isupper() and NOT_NAMES.intersection(words):
                    continue  # shouting ("STOP AND SEARCH"), not a name
                span = _name_span(text, start, end)
                if span is None:
                    continue
                start, end = span
            spans.append(Finding(kind, start, end, text[start:end]))
    for start, end in _lower_names(text):
        spans.append(Finding("name", start, end, text[start:end]))
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
