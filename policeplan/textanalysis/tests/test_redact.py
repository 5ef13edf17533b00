"""Every planted personal detail in a test corpus is masked; ordinary words are kept."""

from __future__ import annotations

from policeplan.textanalysis.redact import redact

CORPUS = [
    ("Email me at jo.bloggs+plan@example.co.uk about it.", ["jo.bloggs+plan@example.co.uk"]),
    ("Call 07700 900123 or 020 7946 0958 any time.", ["07700 900123", "020 7946 0958"]),
    ("Ring +44 7700 900 456 please", ["+44 7700 900 456"]),
    ("I live at 42 Acacia Avenue, Croydon CR0 1AB.", ["42 Acacia Avenue", "CR0 1AB"]),
    ("The dealing happens near 7 Station Road every night.", ["7 Station Road"]),
    ("Postcode sw1a1aa is where it happened", ["sw1a1aa"]),
    ("PC Sarah Jones was very helpful.", ["Sarah Jones"]),
    ("Mrs O'Brien next door was burgled.", ["O'Brien"]),
    ("My name is Daniel Okafor and I run a youth club.", ["Daniel Okafor"]),
    ("Thanks for listening.\nRegards,\nPriya Shah", ["Priya Shah"]),
    ("Councillor Ahmed Khan raised it at the ward panel.", ["Ahmed Khan"]),
]


def test_every_planted_personal_detail_is_masked():
    missed = []
    for text, planted in CORPUS:
        result = redact(text)
        for detail in planted:
            if detail in result.text:
                missed.append((text, detail, result.text))
    assert missed == []


def test_ordinary_text_is_left_alone_and_titles_are_kept():
    text = "More police on foot in Croydon town centre would help. Knife crime worries me."
    assert redact(text).text == text
    assert redact("PC Sarah Jones was very helpful.").text == "PC [name] was very helpful."
    assert redact("Call 07700 900123").text == "Call [phone number]"


def test_an_analyst_can_mask_more():
    result = redact("The man from the corner shop on Lee High Road saw it.", ["corner shop"])
    assert "corner shop" not in result.text
    assert any(f.kind == "redacted by an analyst" for f in result.findings)
