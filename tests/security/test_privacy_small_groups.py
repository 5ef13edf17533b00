"""Small equality groups are withheld on every route that can filter or count by them.

One respondent is alone in a value of every equality question (bisexual, Sikh, under 16...);
twelve others share the common values. Every consultation and analysis URL (from the URL
resolver, so new routes are walked too) is fetched with `?equality=<question>:<value>` for
each of the lone person's answers: wherever their words or reference appear under the
filter, the filter must have been ignored (the page shows just what it shows without it),
never narrowed to them.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone

from policeplan.consultations import services as consult
from policeplan.consultations.models import Question
from policeplan.consultations.tests.conftest import consultation  # noqa: F401
from policeplan.core.roles import Role
from tests.security.privacy_routes import body_text, routes, site_values, url_for

pytestmark = pytest.mark.django_db

LONE = {
    "age": "under_16",
    "sex": "male",
    "gender_identity": "no",
    "sexual_orientation": "bisexual",
    "ethnicity": "mixed",
    "religion": "sikh",
    "disability": "yes",
}
COMMON = {
    "age": "35_44",
    "sex": "female",
    "gender_identity": "yes",
    "sexual_orientation": "straight",
    "ethnicity": "white",
    "religion": "none",
    "disability": "no",
}
MARK = re.compile(r"Marker([A-Z]+)")


@pytest.fixture
def groups(consultation, users, settings):  # noqa: F811
    """The lone respondent (text 'MarkerLONE', Lambeth), twelve others ('MarkerOTHER...'),
    one of them alone in Barnet, all coded into one theme of a finalised codeframe."""
    from policeplan.analysis.models import CodedText, Codeframe, TextTheme, Theme
    from policeplan.consultations.models import Answer

    settings.EQUALITY_MIN_CELL = 10
    free = Question.objects.get(section__consultation=consultation, kind="free_text")
    borough = Question.objects.get(section__consultation=consultation, kind="borough")
    kind = Question.objects.get(section__consultation=consultation, kind="respondent_type")
    individual = ({"type": "individual", "organisation": ""}, "As an individual")
    people = {}
    letters = "ABCDEFGHIJKL"
    for who, data in [("LONE", LONE)] + [(f"OTHER{c}", COMMON) for c in letters]:
        code = ("E09000003", "Barnet") if who == "OTHERA" else ("E09000022", "Lambeth")
        text = f"Marker{who} wants better street lighting."
        people[who], _ = consult.response_submit_complete(
            consultation=consultation,
            token=uuid.uuid4(),
            answers={free: (text, text), borough: code, kind: individual},
            consent="anonymous",
            equality=data,
        )
    officer = users[Role.POLICY_OFFICER]
    frame = Codeframe.objects.create(
        consultation=consultation,
        question=free,
        version=1,
        finalised_at=timezone.now(),
        created_by=officer,
    )
    theme = Theme.objects.create(codeframe=frame, label="Street lighting")
    coded = {}
    for who, response in people.items():
        answer = Answer.objects.get(response=response, question=free)
        coded[who] = CodedText.objects.create(
            codeframe=frame, answer=answer, response=response, confidence=0.3
        )
        TextTheme.objects.create(coded=coded[who], theme=theme, confidence=0.3)
    values = site_values(
        consultation=consultation,
        officer=officer,
        frame=frame,
        theme=theme,
        response=people["LONE"],
        coded=coded["LONE"],
    )
    references = {who: r.reference for who, r in people.items()}
    return values, references


def _seen(client, url: str, references: dict[str, str]) -> set[str] | None:
    response = client.get(url)
    if response.status_code != 200:
        return None
    text = body_text(response)
    found = set(MARK.findall(text))
    found |= {who for who, ref in references.items() if ref in text}
    return found


def _walk(
    client, values, references, queries: list[dict[str, str]], target: str | None = None
) -> list[str]:
    """Every route under each query: a leak is a page that shows `target` (or, without one,
    anyone at all) under the filter and differs from the same page without it (the filter
    narrowed a list of people to those with an equality answer)."""
    from urllib.parse import urlencode

    leaks = []
    for route in routes():
        url = url_for(route, values)
        assert url is not None, f"give the privacy walk a value for {route.name}'s {route.kwargs}"
        plain = _seen(client, url, references)
        for query in queries:
            filtered = _seen(client, f"{url}?{urlencode(query)}", references)
            shown = filtered and (target in filtered if target else bool(filtered))
            if shown and filtered != plain:
                leaks.append(f"{route.name} {query}: shows {sorted(filtered)}")
    return leaks


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR])
def test_no_route_lists_the_one_person_in_an_equality_group(client, users, groups, role):
    values, references = groups
    client.force_login(users[role])
    queries = [{"equality": f"{question}:{value}"} for question, value in LONE.items()]
    assert _walk(client, values, references, queries, "LONE") == []


def test_a_group_of_one_made_by_combining_filters_is_withheld_too(client, users, groups):
    values, references = groups
    client.force_login(users[Role.ANALYST])
    # Everyone but the lone person is female; only one of them lives in Barnet.
    query = {"equality": "sex:female", "borough": "E09000003"}
    assert _walk(client, values, references, [query], "OTHERA") == []


def test_no_route_lists_anyone_under_an_equality_filter_however_large_the_group(
    client, users, groups
):
    """Lists of people by equality answer could be matched against each other (or against a
    borough's list) to learn each person's answers: under an equality filter, alone or with
    a borough, channel or type, no page shows a respondent's text or reference."""
    values, references = groups
    client.force_login(users[Role.ANALYST])
    extras = [
        {"borough": "E09000022"},
        {"borough": "E09000003"},
        {"channel": "online"},
        {"respondent_type": "individual"},
    ]
    queries = [
        {"equality": f"{question}:{value}"} for question, value in [*COMMON.items(), *LONE.items()]
    ] + [{"equality": "sex:female", **extra} for extra in extras]
    assert _walk(client, values, references, queries) == []


def test_a_borough_list_matched_with_an_equality_list_gives_no_one_away(client, users, groups):
    """The differencing attack: Barnet's list of texts against the list of women singles out
    the one woman in Barnet, whom the combined filter rightly refuses to count."""
    values, references = groups
    client.force_login(users[Role.ANALYST])
    theme = f"/staff/analysis/codeframes/{values['codeframe_id']}/themes/{values['lineage']}/"

    def people(query: dict[str, str]) -> set[str]:
        text = client.get(theme, query).text
        return set(MARK.findall(text)) | {w for w, ref in references.items() if ref in text}

    barnet = people({"borough": "E09000003"})
    assert barnet == {"OTHERA"}  # a borough alone is no equality group: its texts are listed
    assert people({"borough": "E09000003", "equality": "sex:female"}) == set()
    assert barnet & people({"equality": "sex:female"}) == set()


def test_a_large_enough_group_is_counted_but_never_listed(client, users, groups):
    values, references = groups
    client.force_login(users[Role.ANALYST])
    theme = f"/staff/analysis/codeframes/{values['codeframe_id']}/themes/{values['lineage']}/"
    page = client.get(theme, {"equality": "sex:female"}).text
    assert "12 texts" in page and "MarkerOTHER" not in page and "MarkerLONE" not in page
    assert "Texts are not listed when filtering by an equality group" in page
    assert not any(ref in page for ref in references.values())
    assert "MarkerOTHERB" in client.get(theme).text  # unfiltered, analysts read them
    alone = client.get(theme, {"equality": "sexual_orientation:bisexual"}).text
    assert "MarkerLONE" not in alone and references["LONE"] not in alone
    assert "Fewer than 10 people in this group gave this theme" in alone
    dashboard = f"/staff/consultations/{values['consultation_id']}/analysis/dashboard/"
    counted = client.get(dashboard, {"equality": "sexual_orientation:bisexual"}).text
    assert "Fewer than 10 people in this group answered" in counted


def test_stances_within_a_group_are_counted_only_when_enough_people_hold_them(
    client, users, groups, settings
):
    from policeplan.analysis.models import CodedText

    values, _ = groups
    frame = values["codeframe_id"]
    CodedText.objects.filter(codeframe_id=frame).update(stance="agree")
    CodedText.objects.filter(codeframe_id=frame, answer__text__startswith="MarkerOTHERA").update(
        stance="disagree"
    )
    client.force_login(users[Role.ANALYST])
    dashboard = f"/staff/consultations/{values['consultation_id']}/analysis/dashboard/"
    everyone = client.get(dashboard).text
    assert ">Disagree</th>" in everyone  # no equality filter: every stance is counted
    group = client.get(dashboard, {"equality": "sex:female"}).text
    # Eleven women agree and one disagrees: the one is withheld, and the eleven with it,
    # or the one could be worked out from the group's total.
    assert ">Disagree</th>" not in group and ">Agree</th>" not in group
    CodedText.objects.filter(codeframe_id=frame, answer__text__startswith="MarkerOTHERB").update(
        stance="disagree"
    )
    settings.EQUALITY_MIN_CELL = 2
    group = client.get(dashboard, {"equality": "sex:female"}).text
    assert ">Disagree</th>" in group and ">Agree</th>" in group


def test_when_one_theme_count_is_withheld_in_a_group_the_next_smallest_is_too(
    client, users, groups
):
    """Two themes among the twelve women: 'Parks' said by 3 (withheld), 'Street lighting' by
    12. With the group's total of 12 shown, lighting's count would give nothing away on its
    own, but a third theme's would give Parks' by subtraction: the next smallest goes too."""
    from policeplan.analysis.models import CodedText, TextTheme, Theme

    values, _ = groups
    frame = values["codeframe_id"]
    parks = Theme.objects.create(codeframe_id=frame, label="Parks", order=2)
    litter = Theme.objects.create(codeframe_id=frame, label="Litter", order=3)
    women = CodedText.objects.filter(codeframe_id=frame).exclude(
        answer__text__startswith="MarkerLONE"
    )
    for coded in women.order_by("pk")[:3]:
        TextTheme.objects.create(coded=coded, theme=parks, confidence=0.5)
    for coded in women.order_by("pk")[:11]:
        TextTheme.objects.create(coded=coded, theme=litter, confidence=0.5)
    client.force_login(users[Role.ANALYST])
    dashboard = f"/staff/consultations/{values['consultation_id']}/analysis/dashboard/"
    page = client.get(dashboard, {"equality": "sex:female"}).text
    cells = re.findall(r">(Parks|Litter|Street lighting)</a></th>\s*<td[^>]*>([^<]+)</td>", page)
    assert dict(cells) == {
        "Street lighting": "12",
        "Litter": "fewer than 10",
        "Parks": "fewer than 10",
    }
