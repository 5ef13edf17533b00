"""The Jinja2 environment: our templates, the GOV.UK Frontend macros and shared helpers."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

from policeplan.core import dates, govuk
from policeplan.core.markdown import render_markdown


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value: Any, fmt: str = "") -> str:
    """4 December 2026 (GOV.UK style, `policeplan.core.dates.day`); with a Django date format
    of day, month and year only, that format (for example "j M Y" in a crowded table).
    Times go through the `time`, `time_range`, `at` and `when` filters, never a format here."""
    if value is None:
        return ""
    if not fmt:
        return dates.day(value)
    if set(fmt) & set("aAgGhHisuPfeOTZcrU"):
        raise ValueError(f"Times are written by the dates filters (at, time, when), not {fmt!r}")
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return date_format(value, fmt)


def format_money(value: Any) -> str:
    if value is None:
        return ""
    return f"£{value:,.0f}"


def html(template: str, *args: Any, **kwargs: Any) -> Markup:
    """Composed HTML for a GOV.UK macro's `html` argument, like Django's `format_html`:
    the template is markup written in our own template file; every value put into it is
    escaped (a value that is already Markup, such as `html(...)` or `markdown`, is kept).

        govukNotificationBanner({"html": html('Have your say: <a href="{href}">{title}</a>',
                                               href=url(...), title=consultation.title)})

    Never build a macro's `html` by joining strings with `~`: with autoescaping, joining a
    string to an escaped value escapes the whole string, and the page shows the tags as text.
    """
    return Markup(template).format(*args, **kwargs)  # noqa: S704 - values escaped by format


DESCRIPTION_LENGTH = 160  # what search results show of a page's description


def meta_description(value: Any) -> str:
    """A page's `<meta name="description">` from the text its template gives (markup, such as
    rendered Markdown, is read as text): one line of at most 160 characters, cut at a word
    with an ellipsis when longer."""
    text = value.striptags() if isinstance(value, Markup) else Markup.escape(value).striptags()
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def borough_slug(area: Any) -> str:
    """The address part of a borough's page (`estates:borough`)."""
    from policeplan.estates.selectors import borough_slug as slug

    return slug(area)


@functools.lru_cache(maxsize=4)
def _own_boroughs(geography: str) -> dict[str, str]:
    """The names of the office's own force's boroughs -> their page's slug."""
    from django.utils.text import slugify

    from policeplan.performance.geography import config, configured_borough_names

    forces = config(geography)
    names = configured_borough_names(geography)
    codes = forces[0].all_boroughs if forces else []
    return {names[c]: slugify(names[c]) for c in codes if c in names}


def borough_href(name: Any) -> str:
    """The page of a borough of the office's own force named `name` (an Area or its name),
    or "" for anything else ("Not given", another force's area): every mention can link."""
    from django.conf import settings

    text = getattr(name, "name", name)
    slug = _own_boroughs(settings.GEOGRAPHY).get(text) if isinstance(text, str) else None
    return url("estates:borough", slug=slug) if slug else ""


def environment(**options: Any) -> Environment:
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 - Django's backend sets autoescape=True
    env.globals.update(
        static=static,
        url=url,
        get_messages=get_messages,
        now=timezone.now,
        govuk_field=govuk.field_spec,
        govuk_error_summary=govuk.error_summary,
        govuk_error_summary_many=govuk.error_summary_many,
        html=html,
        borough_slug=borough_slug,
        borough_href=borough_href,
    )
    env.filters.update(
        date=format_date,
        day=dates.day,
        short_day=dates.short_day,
        short_at=dates.short_at,
        weekday=dates.weekday,
        month=dates.month,
        months=dates.months,
        time=dates.time,
        time_range=dates.time_range,
        at=dates.at,
        when=dates.when,
        period=dates.period,
        money=format_money,
        markdown=render_markdown,
        meta_description=meta_description,
    )
    return env
