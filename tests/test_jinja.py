"""The template helpers every page uses (policeplan/jinja.py)."""

from __future__ import annotations

from markupsafe import Markup

from policeplan.jinja import meta_description


def test_a_description_reads_markup_as_text_on_one_line():
    rendered = Markup(
        "<p>Safer <strong>streets</strong> &amp; parks.</p>\n\n<ul><li>Patrols</li></ul>"
    )
    assert meta_description(rendered) == "Safer streets & parks. Patrols"


def test_a_description_is_text_even_when_it_looks_like_markup():
    assert meta_description("Rates < 3 & <b>falling</b>") == "Rates < 3 & <b>falling</b>"


def test_a_long_description_is_cut_at_a_word_with_an_ellipsis():
    text = "The plan sets out " + "how London will be policed " * 10
    cut = meta_description(text)
    assert len(cut) <= 160 and cut.endswith("…")
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] == " "
