import re

from policeplan.core.markdown import render_markdown


def test_scripts_and_event_handlers_never_survive():
    html = str(
        render_markdown(
            "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[click](javascript:alert(1)) and [ok](https://example.org)"
        )
    )
    assert "<script" not in html
    assert not re.search(r"<[^>]*\bon[a-z]+=", html)  # no handler inside any tag
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, harmlessly
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html


def test_headings_sit_below_the_page_heading_with_govuk_classes():
    html = str(render_markdown("# Part one\n\n## Detail\n\nText\n\n* a\n* b"))
    assert '<h2 class="govuk-heading-l">Part one</h2>' in html
    assert '<h3 class="govuk-heading-m">Detail</h3>' in html
    assert '<p class="govuk-body">Text</p>' in html
    assert 'class="govuk-list govuk-list--bullet"' in html


def test_empty_text_renders_nothing():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""


def test_a_text_that_starts_at_level_two_still_starts_at_h2():
    html = str(render_markdown("## Section\n\n### Detail"))
    assert '<h2 class="govuk-heading-l">Section</h2>' in html
    assert '<h3 class="govuk-heading-m">Detail</h3>' in html
