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


def test_the_page_description_is_escaped_in_its_attribute(client, db):
    # A title with a quote once closed the meta tag's attribute and opened a script: the
    # description's text is escaped for the attribute it stands in.
    from django.template import engines

    page = engines["jinja2"].from_string(
        '{% extends "base.html" %}{% block title %}x"><script>alert(1)</script>{% endblock %}'
    )
    request = client.get("/accessibility/").wsgi_request
    html = page.render({}, request=request)
    head = html.split('<meta name="description"', 1)[1].split(">", 1)[0]
    assert head.startswith(' content="x&#34;&gt;alert(1) – ') and head.count('"') == 2
