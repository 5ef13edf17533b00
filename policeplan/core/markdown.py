"""Markdown for chapter text: CommonMark without raw HTML, then sanitised, with GOV.UK classes;
and HTML from elsewhere through the same sanitiser.

Headings are renumbered so that the highest level a text uses becomes h2 (under the page's
h1), keeping their relative order, so no heading level is ever skipped.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")

_CLASSES = {
    "h2": {"class": "govuk-heading-l"},
    "h3": {"class": "govuk-heading-m"},
    "h4": {"class": "govuk-heading-s"},
    "h5": {"class": "govuk-heading-s"},
    "h6": {"class": "govuk-heading-s"},
    "p": {"class": "govuk-body"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "a": {"class": "govuk-link"},
    "table": {"class": "govuk-table"},
    "thead": {"class": "govuk-table__head"},
    "tbody": {"class": "govuk-table__body"},
    "tr": {"class": "govuk-table__row"},
    "th": {"class": "govuk-table__header"},
    "td": {"class": "govuk-table__cell"},
    "blockquote": {"class": "govuk-inset-text"},
    "hr": {"class": "govuk-section-break govuk-section-break--m govuk-section-break--visible"},
}
_TAGS = {*_CLASSES, "strong", "em", "code", "pre", "li", "br"}


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for Markdown written by staff (or anyone): scripts and handlers never survive."""
    if not text:
        return Markup("")
    return _render(text)


@lru_cache(maxsize=256)
def _render(text: str) -> Markup:
    """Rendered once per process for each text: a long report read by many is parsed once
    (the text is the key, so a change is a new entry)."""
    tokens = _md.parse(text)
    headings = [t for t in tokens if t.type in {"heading_open", "heading_close"}]
    if headings:
        shift = 2 - min(int(t.tag[1]) for t in headings)
        for token in headings:
            token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
    return _clean(_md.renderer.render(tokens, _md.options, {}))


def render_html(text: str | None) -> Markup:
    """Safe HTML from HTML written elsewhere (a committee paper saved from a word processor):
    only the tags Markdown could have made survive, with GOV.UK classes; scripts, styles,
    handlers and headings above h2 do not."""
    if not text:
        return Markup("")
    return _clean(text)


def _clean(html: str) -> Markup:
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        set_tag_attribute_values=_CLASSES,
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 above
