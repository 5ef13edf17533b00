"""The plan's priority and outcomes pages show each measure's latest figure and status, and
link it to its figures."""

from __future__ import annotations

from html import unescape

import pytest

from policeplan.performance.models import Area, MeasureValue
from policeplan.plans.models import Measure
from policeplan.plans.tests.factories import MeasureFactory, OutcomeFactory, VersionFactory
from policeplan.warehouse import periods, stats

pytestmark = pytest.mark.django_db

PRIORITY = "/plans/london-2022-25/v2/priorities/protecting-people-from-exploitation-and-harm/"
FRAMEWORK = "/plans/london-2022-25/v2/outcomes-framework/"


def _force() -> Area:
    return Area.objects.create(
        level="force", code="metropolitan", name="Metropolitan Police Service"
    )


def _rates(measure: Measure, area: Area, by_end: dict[str, tuple[int, float]]) -> None:
    """Rolling-year rates per 1,000 residents: {last month: (crimes, residents)}."""
    for end, (n, residents) in by_end.items():
        p = periods.rolling_12(end)
        e = stats.rate(n, residents)
        MeasureValue.objects.create(
            measure_lineage=measure.lineage,
            area=area,
            period_kind=p.kind,
            period_key=p.key,
            period_label=p.label,
            period_start=p.start,
            period_end=p.end,
            value=e.value,
            lower=e.lower,
            upper=e.upper,
            numerator=n,
            denominator=residents,
        )


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(unescape(response.text).split())


@pytest.fixture
def burglary(demo):
    measure = Measure.objects.get(
        outcome__priority__version=demo, title="Residential burglary rate"
    )
    # 2.81 per 1,000 residents in the year to March 2025, down from 4.00 a year before.
    _rates(measure, _force(), {"2024-03": (40_000, 10_000_000), "2025-03": (28_100, 10_000_000)})
    return measure


def test_a_priority_page_gives_each_measures_latest_figure_with_unit_period_and_status(
    client, burglary
):
    html = _text(client, PRIORITY)
    assert (
        "Latest figure for Metropolitan Police Service: <strong>2.81 per 1,000 residents</strong>"
        '<span class="govuk-body-s">, 12 months to March 2025</span>'
    ) in html
    # The status in words (the tag's colour alone would say nothing to many readers).
    assert '<strong class="govuk-tag govuk-tag--green">Improving</strong>' in html
    assert f'href="/performance/measures/{burglary.lineage}/">Residential burglary rate</a>' in html
    assert client.get(f"/performance/measures/{burglary.lineage}/").status_code == 200


def test_a_measure_without_figures_says_so_and_never_shows_zero(client, burglary):
    html = _text(client, PRIORITY)
    # 'Londoners who see drug use or dealing as a problem locally' has no figures here.
    after = html.split("Londoners who see drug use or dealing as a problem locally</a>")[1]
    latest = after.split('<p class="govuk-body app-measure-latest">')[1].split("</p>")[0]
    assert latest == "Latest figure for Metropolitan Police Service: No figures yet"


def test_the_outcomes_framework_gives_every_measures_latest_figure_and_status(client, burglary):
    html = _text(client, FRAMEWORK)
    assert "Latest figure for Metropolitan Police Service</th>" in html
    row = html.split(f'href="/performance/measures/{burglary.lineage}/">')[1].split("</tr>")[0]
    assert "<strong>2.81 per 1,000 residents</strong>" in row
    assert "12 months to March 2025" in row and ">Improving</strong>" in row
    assert (
        html.count("No figures yet")
        == Measure.objects.filter(outcome__priority__version__number=2).count() - 1
    )
    # The wide table scrolls inside its own labelled region at 375px, not the page.
    assert (
        '<div class="app-table-scroll" role="region" '
        'aria-label="Protecting people from exploitation and harm" tabindex="0">'
    ) in html


def test_counts_withheld_by_disclosure_control_are_not_shown(client, burglary, settings):
    settings.DISCLOSURE_MIN_COUNT = 1_000_000
    html = _text(client, PRIORITY)
    assert "2.81" not in html
    assert "Latest figure for Metropolitan Police Service: <strong>not shown</strong>" in html


def test_a_drafts_measures_are_not_linked_to_figures_pages_the_public_cannot_see(
    client, users, demo, burglary
):
    from policeplan.plans import services

    draft = services.plan_version_new_draft(user=users["policy_officer"], plan=demo.plan)
    client.force_login(users["analyst"])
    html = _text(
        client,
        f"/plans/london-2022-25/v{draft.number}/priorities/"
        "protecting-people-from-exploitation-and-harm/",
    )
    assert "<strong>2.81 per 1,000 residents</strong>" in html  # figures follow the lineage
    assert "/performance/measures/" not in html


def test_a_priority_with_many_measures_costs_the_same_queries_as_one_with_few(
    client, django_assert_max_num_queries, users
):
    version = VersionFactory(state="final", number=1)
    _force()
    outcome = OutcomeFactory(priority__version=version, priority__slug="busy")
    url = f"/plans/{version.plan.slug}/v1/priorities/busy/"
    MeasureFactory(outcome=outcome, unit="rate_per_1000")
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    for measure in [MeasureFactory(outcome=outcome, unit="rate_per_1000") for _ in range(30)]:
        _rates(measure, Area.objects.get(code="metropolitan"), {"2025-03": (281, 100_000)})
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = _text(client, url)
    assert html.count("<strong>2.81 per 1,000 residents</strong>") == 30


def test_a_made_up_figure_is_marked_made_up_beside_it_and_its_unit_is_given_once(client, burglary):
    from policeplan.performance.models import ReportedFigures

    html = _text(client, PRIORITY)
    assert "per 1,000 residents per 1,000 residents" not in html
    assert "Made up</strong>" not in html  # real figures carry no such tag
    ReportedFigures.objects.create(
        measure_lineage=burglary.lineage, file_name="made-up.csv", made_up=True
    )
    html = _text(client, PRIORITY)
    assert (
        "<strong>2.81 per 1,000 residents</strong>"
        ' <strong class="govuk-tag govuk-tag--grey">Made up</strong>'
    ) in html
    assert "Made up</strong>" in _text(client, FRAMEWORK)
