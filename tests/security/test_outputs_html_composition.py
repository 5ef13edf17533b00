"""HTML composed for a GOV.UK macro's `html` argument goes through one helper (`html(...)`,
like Django's format_html) that keeps our markup and escapes every value: the home page's
"Have your say" banner is a real link, not its tags shown as text, and a hostile title stays
text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policeplan.consultations.models import Consultation
from policeplan.consultations.tests.conftest import build
from policeplan.jinja import html

ROOT = Path(__file__).resolve().parents[2] / "policeplan"


def test_the_helper_keeps_the_markup_and_escapes_the_values():
    out = html('<a href="{href}">{title}</a>', href="/x?a=1&b=2", title="<script>x</script>")
    assert str(out) == '<a href="/x?a=1&amp;b=2">&lt;script&gt;x&lt;/script&gt;</a>'
    assert str(html("<p>{}</p>", out)) == f"<p>{out}</p>"  # Markup is kept, not escaped twice


@pytest.mark.django_db
def test_the_home_page_banner_is_a_link_and_a_hostile_title_stays_text(client, demo, users):
    consultation = build(users["policy_officer"])
    Consultation.objects.filter(pk=consultation.pk).update(title='Safer <b>streets</b> & "parks"')
    page = client.get("/").text
    link = re.search(r'<a class="govuk-notification-banner__link" href="([^"]+)">(.*?)</a>', page)
    assert link is not None, "the banner has no link"
    assert link.group(1) == f"/consultations/{consultation.slug}/"
    assert link.group(2) == "Safer &lt;b&gt;streets&lt;/b&gt; &amp; &#34;parks&#34;"
    assert "&lt;a class" not in page and "Have your say:" in page
    beta = re.search(r'This is a new service\. <a class="govuk-link" href="/contact/">', page)
    assert beta is not None


def test_no_template_builds_a_macros_html_by_joining_strings():
    """The mechanism, not one banner: a macro's html built with `~` or marked `| safe` by
    hand is how the banner broke, so no template may do it again."""
    offenders = []
    for template in ROOT.rglob("templates/**/*.html"):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            for argument in re.finditer(r'"html":\s*(.*?)(?:\}\)|,\s*"[a-zA-Z]+":|$)', line):
                value = argument.group(1)
                if "~" in value or "| safe" in value or re.match(r"['\"]<", value):
                    offenders.append(f"{template.relative_to(ROOT)}:{number}: {value[:60]}")
    assert offenders == []
