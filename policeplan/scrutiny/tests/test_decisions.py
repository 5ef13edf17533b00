"""The decisions log: references, money, staff forms with hostile input, the public list's
search and filters, its CSV and API, Part 2 withheld everywhere, and fixed query counts."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policeplan.core.roles import Role
from policeplan.scrutiny import references, services
from policeplan.scrutiny.forms_record import MoneyField
from policeplan.scrutiny.models import Decision
from policeplan.scrutiny.models_record import money_text
from policeplan.scrutiny.tests.conftest import SECRET, build
from policeplan.scrutiny.tests.record import DRAFT_DECISION, PART2_SECRET, build_record, pdf

pytestmark = pytest.mark.django_db
LIST = "/scrutiny/decisions/"
CSV = "/scrutiny/decisions/decisions.csv"


@pytest.fixture(autouse=True)
def _london_prefixes(settings):
    # Most tests have no office (the demo's is London's): its prefixes, as configured.
    settings.DECISION_REFERENCE_PREFIXES = ["PCD", "DMPCD"]


@pytest.fixture
def record(users, demo):
    built = build(users[Role.POLICY_OFFICER], users[Role.COMMITTEE_MEMBER])
    return build_record(users[Role.POLICY_OFFICER], built)


def _decision(officer, reference: str, **data):
    fields = {
        "reference": reference,
        "title": f"Decision {reference}",
        "summary": "A summary.",
        "decision_maker": "Kaya Comer-Schwartz",
        "decision_maker_role": "Deputy Mayor for Policing and Crime",
        "decided_on": datetime.date(2024, 1, 5),
        **data,
    }
    decision = services.decision_save(user=officer, data=fields, plan_links=[])
    return services.decision_publish(user=officer, decision=decision)


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# ---- References and money ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("PCD 1031", "PCD 1031"),
        ("  pcd   1031 ", "PCD 1031"),
        ("PCD1031", "PCD 1031"),
        ("DMPCD 2024-55", "DMPCD 2024-55"),
        ("dmpcd 2024/55", "DMPCD 2024/55"),
    ],
)
def test_references_are_stored_in_one_form(given, stored):
    assert references.normalise(given, allowed=("PCD", "DMPCD")) == stored


@pytest.mark.parametrize(
    "given",
    ["", "PCD", "1031", "XYZ 1031", "PCD 10311111", "PCD 1031; DROP", "PCD 1031\n2", "PCD -1"],
)
def test_a_reference_of_another_shape_or_prefix_is_refused(given):
    with pytest.raises(ValidationError, match="Enter a reference like PCD 1031"):
        references.normalise(given, allowed=("PCD", "DMPCD"))


def test_prefixes_follow_the_office_kind_unless_configured(demo, settings):
    from policeplan.core.selectors import office_current

    settings.DECISION_REFERENCE_PREFIXES = []
    assert references.prefixes(office_current()) == ("PCD", "DMPCD")
    assert references.prefixes(None) == ("PCC", "DN")
    settings.DECISION_REFERENCE_PREFIXES = ["OPCC"]
    assert references.prefixes(office_current()) == ("OPCC",)


def test_a_reference_is_unique_however_it_is_written(users):
    officer = users[Role.POLICY_OFFICER]
    _decision(officer, "PCD 7")
    with pytest.raises(ValidationError) as error:
        _decision(officer, "pcd7")
    assert error.value.message_dict == {"reference": ["There is already a decision PCD 7"]}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (Decimal("0"), "£0"),
        (Decimal("1250000"), "£1,250,000"),
        (Decimal("1250000.00"), "£1,250,000"),
        (Decimal("12345.67"), "£12,345.67"),
        (Decimal("0.50"), "£0.50"),
    ],
)
def test_money_is_shown_in_pounds_with_separators(value, text):
    assert money_text(value) == text


@pytest.mark.parametrize(
    ("given", "amount"),
    [
        ("", None),
        ("250000", Decimal("250000")),
        ("£1,250,000.50", Decimal("1250000.50")),
        (" 1 250 000 ", Decimal("1250000")),
        ("999999999999.99", Decimal("999999999999.99")),
    ],
)
def test_money_is_read_as_a_decimal(given, amount):
    value = MoneyField(required=False, label="Value").clean(given)
    assert value == amount and (value is None or isinstance(value, Decimal))


@pytest.mark.parametrize(
    "given", ["-5", "1e5", "NaN", "Infinity", "1.234", "12.3.4", "£", "1000000000000", "0x10"]
)
def test_money_that_is_not_an_amount_of_pounds_is_refused(given):
    from django import forms

    with pytest.raises(forms.ValidationError):
        MoneyField(required=False, label="Value").clean(given)


# ---- Staff forms -------------------------------------------------------------------------


def _form_data(**overrides) -> dict[str, str]:
    return {
        "reference": "PCD 2001",
        "title": "Violence reduction grants",
        "summary": "Grants to boroughs.",
        "decision_maker": "Kaya Comer-Schwartz",
        "decision_maker_role": "Deputy Mayor for Policing and Crime",
        "decided_on_day": "3",
        "decided_on_month": "10",
        "decided_on_year": "2024",
        "value": "£2,500,000",
        **overrides,
    }


def test_staff_add_a_decision_and_publish_it(client, users, demo):
    from policeplan.plans import selectors as plans

    priority = next(e for e in plans.plan_elements_current() if e.kind == "priority")
    client.force_login(users[Role.POLICY_OFFICER])
    response = client.post(
        "/staff/scrutiny/decisions/new/", _form_data(plan_links=[priority.lineage])
    )
    assert response.status_code == 302, response.text
    decision = Decision.objects.get()
    assert decision.value == Decimal("2500000") and decision.reference == "PCD 2001"
    assert [str(x) for x in decision.plan_links.values_list("priority_lineage", flat=True)] == [
        priority.lineage
    ]
    assert client.get(LIST).text.count("PCD 2001") == 0  # a draft, for the office only
    client.post(f"/staff/scrutiny/decisions/{decision.pk}/publish/")
    client.logout()
    page = client.get(f"/scrutiny/decisions/{decision.slug}/").text
    assert "£2,500,000" in page and priority.title in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "x" * 301}, "title", "at most 300 characters"),
        ({"title": "Two\nlines"}, "title", "must be on one line"),
        ({"decision_maker": "Name\u202eevil"}, "decision_maker", "must be on one line"),
        ({"reference": "ABC 12"}, "reference", "Enter a reference like PCD 1031"),
        ({"reference": "PCD 1" * 20}, "reference", "at most 40 characters"),
        ({"decided_on_year": "9999"}, "decided_on", "must be in a year from 1900 to 2200"),
        ({"decided_on_year": "2199"}, "decided_on", "must be today or in the past"),
        ({"decided_on_year": "0"}, "decided_on", "must be a real date"),
        ({"decided_on_year": "1999"}, "decided_on", "on or after 1 January 2000"),
        ({"decided_on_month": "13"}, "decided_on", "must be a real date"),
        ({"value": "-1"}, "value", "cannot be less than £0"),
        ({"value": "lots"}, "value", "in pounds"),
        ({"plan_links": ["not-a-part-of-the-plan"]}, "plan_links", "Select a valid choice"),
        ({"meeting": "999999"}, "meeting", "Select a valid choice"),
        ({"exempt_summary": "Secret"}, "exempt_reason", "Enter why Part 2 is exempt"),
    ],
)
def test_bad_input_is_refused_with_a_govuk_error_naming_the_field(
    client, users, demo, overrides, field, message
):
    client.force_login(users[Role.POLICY_OFFICER])
    response = client.post("/staff/scrutiny/decisions/new/", _form_data(**overrides))
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    summary = response.text.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    assert f'href="#id_{field}' in summary and message in summary, summary
    assert not Decision.all_objects.exists()


def test_an_item_of_another_meeting_is_refused(client, users, demo):
    officer = users[Role.POLICY_OFFICER]
    built = build(officer)
    client.force_login(officer)
    response = client.post(
        "/staff/scrutiny/decisions/new/",
        _form_data(meeting=str(built.next.pk), item=str(built.item.pk)),
    )
    assert "Choose an item on the agenda of the meeting chosen" in response.text
    assert not Decision.objects.exists()


def test_a_part2_document_needs_a_part2_and_files_are_checked(client, users, record):
    client.force_login(users[Role.POLICY_OFFICER])
    url = f"/staff/scrutiny/decisions/{record.draft.pk}/documents/add/"
    response = client.post(
        url, {"title": "Scores", "part2": "on", "upload": pdf("s.pdf", "x"), "order": "0"}
    )
    assert "Give the decision a Part 2" in response.text
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "report.pdf"
    response = client.post(url, {"title": "Report", "upload": fake, "order": "0"})
    assert "The attached file must be a PDF" in response.text
    assert not record.draft.documents.exists()


def test_html_in_a_decision_is_shown_as_text(client, users, record):
    officer = users[Role.POLICY_OFFICER]
    services.decision_save(
        user=officer,
        data={"title": "<script>alert(1)</script>", "summary": "<img src=x onerror=alert(1)>"},
        decision=record.decision,
    )
    page = client.get(f"/scrutiny/decisions/{record.decision.slug}/").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "onerror" not in page or "&lt;img" in page


# ---- Part 2 and drafts never leak --------------------------------------------------------


def public_urls(record) -> list[str]:
    """Every public URL of the decisions log (a search page, which repeats what was
    searched for, is tested on its own below)."""
    d, draft = record.decision, record.draft
    return [
        "/scrutiny/",
        LIST,
        CSV,
        f"{CSV}?q={PART2_SECRET}",
        f"/scrutiny/decisions/{d.slug}/",
        f"/scrutiny/decisions/{draft.slug}/",
        f"/scrutiny/decisions/{d.slug}/documents/{record.document.pk}/",
        f"/scrutiny/decisions/{d.slug}/documents/{record.part2_document.pk}/",
        "/api/v1/decisions",
        f"/api/v1/decisions?q={PART2_SECRET}",
        f"/api/v1/decisions/{d.slug}",
        f"/api/v1/decisions/{draft.slug}",
        "/api/v1/openapi.json",
    ]


def _content(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", Role.ANALYST, Role.COMMITTEE_MEMBER])
def test_part2_drafts_and_exempt_items_never_reach_the_public(client, users, record, role):
    if role != "anonymous":
        client.force_login(users[role])
    # The exempt item's title (SECRET) is linked from the decision: it must not show either,
    # but to a member of the body, who may see their body's exempt items.
    secrets = [PART2_SECRET, DRAFT_DECISION]
    if role != Role.COMMITTEE_MEMBER:
        secrets.append(SECRET)
    leaks = []
    for url in public_urls(record):
        text = _content(client.get(url))
        leaks += [f"{url} shows {s!r}" for s in secrets if s in text]
    assert leaks == []
    page = client.get(f"/scrutiny/decisions/{record.decision.slug}/").text
    assert "exempt from publication and is not shown: Commercially sensitive information" in page
    assert client.get(f"/scrutiny/decisions/{record.draft.slug}/").status_code == 404
    part2 = f"/scrutiny/decisions/{record.decision.slug}/documents/{record.part2_document.pk}/"
    assert client.get(part2).status_code == 404
    assert client.get(f"/api/v1/decisions/{record.draft.slug}").status_code == 404


def test_those_who_run_scrutiny_see_part2_and_drafts(client, users, record):
    client.force_login(users[Role.POLICY_OFFICER])
    page = client.get(f"/scrutiny/decisions/{record.decision.slug}/").text
    assert PART2_SECRET in page and f"{PART2_SECRET} tender scores" in page
    assert SECRET in page  # the exempt item's title: they may see it
    draft = client.get(f"/scrutiny/decisions/{record.draft.slug}/")
    assert draft.status_code == 200 and "Not published" in draft.text
    # The public list, its CSV and the API stay the public's, whoever asks.
    for url in (LIST, CSV, "/api/v1/decisions"):
        assert DRAFT_DECISION not in client.get(url).content.decode()


def test_search_never_looks_in_part2_or_drafts(client, record):
    for secret in (PART2_SECRET, DRAFT_DECISION):
        page = client.get(LIST, {"q": secret}).text
        assert "0 decisions found" in page and "PCD 1031" not in page
        assert client.get("/api/v1/decisions", {"q": secret}).json()["count"] == 0
        assert _csv(client.get(CSV, {"q": secret})) == []


# ---- Search and filters ------------------------------------------------------------------


def test_search_finds_by_reference_title_and_summary(client, users, record):
    officer = users[Role.POLICY_OFFICER]
    _decision(officer, "PCD 99", title="A 100% rise in patrols", summary="Under_score")
    _decision(officer, "PCD 98", title="Plain", summary='It\'s "quoted"')
    found = lambda q: [r["reference"] for r in _csv(client.get(CSV, {"q": q}))]  # noqa: E731
    assert found("pcd 1031") == ["PCD 1031"]
    assert found("victims’ support") == ["PCD 1031"]
    assert found("%") == ["PCD 99"]  # a literal %, not a wildcard
    assert found("_") == ["PCD 99"]
    assert found("'") == ["PCD 98"] and found('"quoted"') == ["PCD 98"]
    assert found("no such words") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"q": "bad\x00byte"}, "q"),
        ({"q": "line\nbreak"}, "q"),
        ({"year": "abc"}, "year"),
        ({"year": "0"}, "year"),
        ({"year": "9999"}, "year"),
        ({"maker": "Nobody at all"}, "maker"),
        ({"priority": "not-a-uuid"}, "priority"),
        ({"priority": "00000000-0000-0000-0000-000000000000"}, "priority"),
        ({"band": "gazillions"}, "band"),
    ],
)
def test_bad_filters_are_a_govuk_error_never_a_server_error(client, record, params, field):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text and f'href="#id_{field}' in response.text
    assert client.get(CSV, params).status_code == 400


def test_bad_api_filters_are_refused(client, record):
    for params in ({"q": "a\x00b"}, {"year": "0"}, {"value_band": "x"}, {"priority": "x"}):
        assert client.get("/api/v1/decisions", params).status_code == 422, params
    assert client.get("/api/v1/decisions/BAD%00").status_code in (404, 422)
    assert client.get("/api/v1/decisions/" + "a" * 61).status_code == 422


def test_filters_by_year_maker_priority_and_value_band(client, users, record):
    from policeplan.plans import selectors as plans

    officer = users[Role.POLICY_OFFICER]
    _decision(officer, "PCD 50", decided_on=datetime.date(2023, 6, 1), value=Decimal("99999.99"))
    _decision(officer, "PCD 51", decision_maker="Sophie Linden", value=None)
    _decision(officer, "PCD 52", value=Decimal("500000"))
    refs = lambda **p: sorted(r["reference"] for r in _csv(client.get(CSV, p)))  # noqa: E731
    assert refs(year="2023") == ["PCD 50"]
    assert refs(maker="Sophie Linden") == ["PCD 51"]
    assert refs(band="none") == ["PCD 51"]
    assert refs(band="under-100k") == ["PCD 50"]
    assert refs(band="500k-1m") == ["PCD 52"]
    assert refs(band="1m-plus") == ["PCD 1031"]
    linked = record.decision.plan_links.filter(kind="priority").get()
    assert refs(priority=str(linked.lineage)) == ["PCD 1031"]
    # An outcome's decision counts under the priority it sits under.
    outcome = next(e for e in plans.plan_elements_current() if e.kind == "outcome")
    services.decision_save(
        user=officer,
        data={},
        plan_links=[outcome.lineage],
        decision=Decision.objects.get(reference="PCD 52"),
    )
    assert refs(priority=outcome.priority_lineage) == sorted(
        ["PCD 52", "PCD 1031"] if outcome.priority_lineage == str(linked.lineage) else ["PCD 52"]
    )
    api = client.get("/api/v1/decisions", {"value_band": "none"}).json()
    assert [d["reference"] for d in api["items"]] == ["PCD 51"]
    assert api["items"][0]["value_gbp"] is None and api["items"][0]["value_text"] is None


def test_the_list_is_paged_with_govuk_pagination(client, users, demo):
    officer = users[Role.POLICY_OFFICER]
    for n in range(30):
        _decision(officer, f"PCD {n + 1}", title="Grant")
    first = client.get(LIST, {"q": "grant"}).text
    assert "30 decisions found" in first and "govuk-pagination" in first
    assert "?q=grant&amp;page=2" in first
    second = client.get(LIST, {"q": "grant", "page": "2"}).text
    assert "Page 2 of 2" in second
    assert client.get(LIST, {"page": "999"}).status_code == 200
    assert client.get(LIST, {"page": "x\x00"}).status_code == 200


# ---- CSV and API -------------------------------------------------------------------------


def test_the_csv_is_formula_safe_and_never_says_0_for_no_value(client, users, record):
    officer = users[Role.POLICY_OFFICER]
    _decision(officer, "PCD 66", title='=HYPERLINK("http://evil.example","x")', summary="+1")
    rows = {r["reference"]: r for r in _csv(client.get(CSV))}
    assert rows["PCD 66"]["title"].startswith("'=") and rows["PCD 66"]["summary"] == "'+1"
    assert rows["PCD 66"]["value_gbp"] == ""
    assert rows["PCD 1031"]["value_gbp"] == "1250000.00"
    assert rows["PCD 1031"]["part2_withheld"] == "yes"


def test_the_api_is_in_the_openapi_document(client, record):
    doc = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/decisions", "/api/v1/decisions/{decision_id}"} <= set(doc["paths"])
    detail = client.get(f"/api/v1/decisions/{record.decision.slug}").json()
    assert detail["value_gbp"] == "1250000.00" and detail["value_text"] == "£1,250,000"
    assert detail["part2_withheld"] is True
    assert [d["title"] for d in detail["documents"]] == ["Signed decision form"]
    assert detail["meeting"]["agenda_item"] is None  # the exempt item is not named


# ---- Query counts ------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def test_list_csv_and_api_make_the_same_queries_for_few_or_many_decisions(client, users, record):
    from policeplan.plans import selectors as plans

    officer = users[Role.POLICY_OFFICER]
    urls = [LIST, f"{LIST}?year=2024&band=1m-plus", CSV, "/api/v1/decisions"]
    few = [_queries(client, url) for url in urls]
    lineages = [e.lineage for e in plans.plan_elements_current()][:3]
    built = record.decision.meeting
    for n in range(60):
        decision = _decision(officer, f"PCD {n + 2000}", meeting=built, value=Decimal("2000000"))
        services.decision_save(user=officer, data={}, plan_links=lineages, decision=decision)
        services.decision_document_add(
            user=officer, decision=decision, data={"title": "Form"}, upload=pdf("f.pdf", "f")
        )
    many = [_queries(client, url) for url in urls]
    assert many == few


def test_part2_cannot_lose_its_reason_while_it_has_part2_documents(users, record):
    """Without a reason the decision has no Part 2, so its Part 2 documents would be hidden
    from everyone, staff included, and could not be removed."""
    from django.core.exceptions import ValidationError

    decision = Decision.objects.get(pk=record.decision.pk)
    assert decision.documents.filter(part2=True).exists()
    with pytest.raises(ValidationError) as refused:
        services.decision_save(
            user=users[Role.POLICY_OFFICER],
            data={"exempt_reason": "", "exempt_summary": ""},
            decision=decision,
        )
    assert "Remove the Part 2 documents" in str(refused.value)
    assert Decision.objects.get(pk=decision.pk).exempt_reason
