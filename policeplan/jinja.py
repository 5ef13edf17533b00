"""The Jinja2 environment: our templates, the GOV.UK Frontend macros and shared helpers."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

from policeplan.core import govuk
from policeplan.core.markdown import render_markdown


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value: Any, fmt: str = "j F Y") -> str:
    if value is None:
        return ""
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
    )
    env.filters.update(
        date=format_date,
        money=format_money,
        markdown=render_markdown,
    )
    return env
