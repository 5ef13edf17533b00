"""The redaction pass measured on a planted corpus (`data/redaction_corpus.jsonl`, 417 cases
written by `data/make_redaction_corpus.py`): names with and without a title, sign-offs
wherever they sit (followed by a P.S., a phone's footer or a quoted reply), names with accents,
in capitals or in small letters, a name alone on a letter's last line, names mid-sentence with
no cue (which the pass does not look for, so they count as misses), National Insurance
numbers, dates of birth in figures and words, addresses, postcodes, emails and phone numbers
written to dodge filters, and ordinary comments whose capitalised words, numbers and dates
belong to no one, including near misses for the rules ("Flat rate", "at the station",
"i am fed up", "Born and bred in Hackney").

Recall: the share of planted details wholly masked. Precision: the share of masked spans that
cover a planted detail. The figures are reported in docs/how-to/analyse-responses.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from policeplan.textanalysis.redact import find, redact

CORPUS = Path(__file__).with_name("data") / "redaction_corpus.jsonl"


def _spans(text: str, phrase: str) -> list[tuple[int, int]]:
    out, at = [], text.find(phrase)
    while at >= 0:
        out.append((at, at + len(phrase)))
        at = text.find(phrase, at + 1)
    assert out, f"the corpus phrase {phrase!r} is not in {text!r}"
    return out


def measure() -> dict:
    cases = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    planted = hit = masked = right = kept = keeps = 0
    missed, wrong = [], []
    for case in cases:
        text = case["text"]
        findings = find(text)
        expected = [s for phrase in case["mask"] for s in _spans(text, phrase)]
        for start, end in expected:
            planted += 1
            if all(any(f.start <= i < f.end for f in findings) for i in range(start, end)):
                hit += 1
            else:
                missed.append((text, text[start:end]))
        for f in findings:
            masked += 1
            if any(f.start < end and start < f.end for start, end in expected):
                right += 1
            else:
                wrong.append((text, f.text))
        shown = redact(text).text
        for phrase in case["keep"]:
            keeps += 1
            kept += phrase in shown
    return {
        "cases": len(cases),
        "planted": planted,
        "recall": hit / planted,
        "precision": right / masked,
        "kept": kept / keeps,
        "missed": missed,
        "wrong": wrong,
    }


def test_the_corpus_is_large_enough_and_covers_every_kind():
    cases = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert len(cases) >= 200
    texts = "\n".join(c["text"] for c in cases)
    for cue in ("I am ", "I'm ", "Regards,\n", "QQ 12 34 56 C", "QQ123456C", "DOB", "born"):
        assert cue in texts
    # The hostile tester's bypasses and their near misses are planted too.
    for text, hidden in BYPASSES:
        assert hidden in texts or text in texts, hidden
    for cue in (
        "Sent from my iPhone",
        "> On ",
        "(Mrs)",
        "Flat rate",
        "at the station",
        "Born and bred in Hackney",
        "Church Lane is dangerous",
        "i am fed up",
    ):
        assert cue in texts
    assert sum(1 for c in cases if not c["mask"]) >= 40  # ordinary comments, nothing to mask


def test_redaction_recall_and_precision_on_the_planted_corpus():
    result = measure()
    # Figures this pass reaches (reported in docs/how-to/analyse-responses.md): recall 0.977,
    # precision 1.000. The misses are names mid-sentence with no cue, which rules cannot find,
    # and names that are also ordinary words ("April Jones", "Chelsea Brown").
    assert result["recall"] >= 0.95, result["missed"]
    assert result["precision"] >= 0.95, result["wrong"]
    assert result["kept"] >= 0.95, result["wrong"]


def test_ordinary_words_the_police_use_survive():
    for text in [
        "Stop and search is overused by the Met Police in Lambeth.",
        "I am British and I am Black.",
        "On 12 March 2024 I was stopped in Tower Hamlets.",
        "Thank you\nMet Police",
    ]:
        assert redact(text).text == text


def test_each_new_kind_is_masked():
    assert redact("I am Jane Example").text == "I am [name]"
    assert redact("I'm Jane, from Ealing").text == "I'm [name], from Ealing"
    assert redact("Please act.\nRegards,\nJane Example").text == "Please act.\nRegards,\n[name]"
    assert redact("Please act.\n\nJane Example").text == "Please act.\n\n[name]"
    assert redact("NI QQ 12 34 56 C").text == "NI [National Insurance number]"
    assert redact("NI QQ123456C").text == "NI [National Insurance number]"
    for text in ["born 12/03/1985", "DOB: 1985-03-12", "date of birth 12th March 1985"]:
        assert "[date of birth]" in redact(text).text, text
    assert redact("12 March 1985 is my date of birth").text.startswith("[date of birth]")


# Every bypass a hostile tester found (issue 10 follow-up, finding 2), each with what it hid.
BYPASSES = [
    ("My name is margaret o'brien-smythe and I live here.", "margaret o'brien-smythe"),
    ("i am jo bloggs, from Hackney", "jo bloggs"),
    ("I live in Flat 3b above the shop.", "Flat 3b"),
    ("Apartment 5 The Maltings, Church Lane", "Apartment 5 The Maltings, Church Lane"),
    ("It happened outside 12A Mill Lane.", "12A Mill Lane"),
    ("Rose Cottage, Mill Lane is my home.", "Rose Cottage, Mill Lane"),
    ("Postcode S W 1 A 1 A A please", "S W 1 A 1 A A"),
    ("postcode sw1a1aa", "sw1a1aa"),
    ("postcode SW1A  1AA", "SW1A  1AA"),
    ("Write to margaret [at] example [dot] org today", "margaret [at] example [dot] org"),
    ("or m.obs(at)example.co.uk", "m.obs(at)example.co.uk"),
    ("mail jo at example dot com", "jo at example dot com"),
    ("Ring 0044 7700900123", "0044 7700900123"),
    ("Ring +44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
    ("Ring 020.7946.0959", "020.7946.0959"),
    ("Ring (020) 7946 0960", "(020) 7946 0960"),
    ("Ring 07700-900-123", "07700-900-123"),
    ("NI QQ.12.34.56.C", "QQ.12.34.56.C"),
    ("NI qq-12-34-56-c", "qq-12-34-56-c"),
    ("I was born on the fourth of July 1960.", "fourth of July 1960"),
    ("born 4 Jul '60", "4 Jul '60"),
    ("DOB: 04/07/60", "04/07/60"),
    ("d.o.b. 4.7.1960", "4.7.1960"),
    ("Kind regards,\nJoanna Bloggsworth\n\nSent from my iPhone", "Joanna Bloggsworth"),
    ("Regards,\nJo Bloggs\n\nP.S. The lights are out again.", "Jo Bloggs"),
    ("Regards,\nJO BLOGGS", "JO BLOGGS"),
    ("Signed: Jo Bloggs", "Jo Bloggs"),
    ("Regards, Jo Bloggs (Mrs)\nFlat rate tenants' group", "Jo Bloggs"),
    ("Best wishes,\nZoë Núñez\n\n> On Monday MOPAC wrote:\n> Thank you", "Zoë Núñez"),
    ("Please act.\n\nJane O'Brien-Smythe\n--\nSent from Outlook", "Jane O'Brien-Smythe"),
]


def test_every_bypass_the_hostile_tester_found_is_masked():
    leaked = []
    for text, hidden in BYPASSES:
        start = text.index(hidden)
        findings = find(text)
        if not all(
            any(f.start <= i < f.end for f in findings) for i in range(start, start + len(hidden))
        ):
            leaked.append((text, redact(text).text))
    assert leaked == []


def test_what_looks_like_a_bypass_but_is_no_one_survives():
    for text in [
        "I am worried about the Flat rate charged for storage.",
        "i am fed up and i'm sick of waiting, im scared to go out.",
        "We meet at the station at 10 every week.",
        "Born and bred in Hackney, I know Church Lane is dangerous.",
        "On the fourth of July 2023 I was robbed on Church Lane.",
        "My name is not important. I am a mum of three.",
        "Call 101 or 999.",
    ]:
        assert redact(text).text == text
