"""Questions put to the office: staff forms with hostile input, answer dates, overdue by
London dates, the body's public list and pages, drafts and exempt items withheld, fixed
query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from policeplan.core.roles import Role
from policeplan.scrutiny import services
from policeplan.scrutiny.models import Question
from policeplan.scrutiny.tests.conftest import SECRET
from policeplan.scrutiny.tests.record import DRAFT_QUESTION, build_questions

pytestmark = pytest.mark.django_db
BODY = "/scrutiny/police-and-crime-committee"


@pytest.fixture
def asked(users, built, demo):
    return build_questions(users[Role.POLICY_OFFICER], built)


def _form(**overrides) -> dict[str, str]:
    return {
        "asked_by": "Susan Hall AM",
        "asked_on_day": "2",
        "asked_on_month": "10",
        "asked_on_year": "2024",
        "text": "How many officers patrol each ward?",
        "answer": "",
        "answered_by": "",
        **overrides,
    }


def _summary(response) -> str:
    assert "govuk-error-summary" in response.text
    return response.text.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]


# ---- Overdue ------------------------------------------------------------------------------


def _question(asked_on, answered_on=None) -> Question:
    return Question(asked_on=asked_on, answered_on=answered_on, answer="Yes" if answered_on else "")


def test_overdue_is_worked_out_in_london_dates_across_the_clocks_change():
    # Asked on 6 October 2024, 20 days to answer: due by 26 October. The clocks went back at
    # 01:00 UTC on 27 October, when London moved from BST (UTC+1) to GMT.
    question = _question(datetime.date(2024, 10, 6))
    utc = datetime.UTC
    # 23:30 BST on the 26th (22:30 UTC): still the day it is due.
    assert not question.is_overdue(20, datetime.datetime(2024, 10, 26, 22, 30, tzinfo=utc))
    # 00:30 BST on the 27th is 23:30 UTC on the 26th: overdue in London, not yet in UTC.
    assert question.is_overdue(20, datetime.datetime(2024, 10, 26, 23, 30, tzinfo=utc))
    # After the change, 00:30 GMT on the 27th.
    assert question.is_overdue(20, datetime.datetime(2024, 10, 27, 0, 30, tzinfo=utc))
    # An answered question is never overdue, however late.
    late = _question(datetime.date(2024, 10, 6), answered_on=datetime.date(2024, 12, 1))
    assert not late.is_overdue(20, datetime.datetime(2025, 1, 1, tzinfo=utc))


def test_the_days_to_answer_are_configured(client, asked, settings):
    settings.QUESTION_ANSWER_DAYS = 90
    page = client.get(f"{BODY}/questions/{asked.overdue.pk}/").text
    assert "Overdue" not in page and "Awaiting an answer" in page
    settings.QUESTION_ANSWER_DAYS = 30
    page = client.get(f"{BODY}/questions/{asked.overdue.pk}/").text
    assert "Overdue" in page and "The answer was due by" in page
    listing = client.get(f"{BODY}/questions/", {"status": "overdue"}).text
    assert "1 question found" in listing and "front counters" in listing


# ---- Staff forms -------------------------------------------------------------------------


def test_staff_add_a_question_answer_it_and_publish_it(client, users, built):
    client.force_login(users[Role.POLICY_OFFICER])
    add = f"/staff/scrutiny/{built.committee.pk}/questions/add/"
    held = timezone.localdate(built.past.starts_at)
    at_meeting = {
        "asked_on_day": str(held.day),
        "asked_on_month": str(held.month),
        "asked_on_year": str(held.year),
    }
    # Put at a meeting, a question was asked that day.
    refused = client.post(add, _form(meeting=str(built.past.pk)))
    assert "was asked that day" in _summary(refused)
    response = client.post(add, _form(meeting=str(built.past.pk), **at_meeting))
    assert response.status_code == 302, _summary(response)
    question = Question.objects.get()
    assert question.meeting == built.past and question.published_at is None
    client.logout()
    assert client.get(f"{BODY}/questions/{question.pk}/").status_code == 404
    client.force_login(users[Role.POLICY_OFFICER])
    answered = held + datetime.timedelta(days=7)
    answer = _form(
        answer="About 1,700 dedicated ward officers.",
        answered_on_day=str(answered.day),
        answered_on_month=str(answered.month),
        answered_on_year=str(answered.year),
        answered_by="Deputy Mayor",
        meeting=str(built.past.pk),
        **at_meeting,
    )
    response = client.post(f"/staff/scrutiny/questions/{question.pk}/", answer)
    assert response.status_code == 302, _summary(response)
    client.post(f"/staff/scrutiny/questions/{question.pk}/publish/")
    client.logout()
    page = client.get(f"{BODY}/questions/{question.pk}/").text
    assert "About 1,700 dedicated ward officers." in page
    assert f"Answered {answered.day} {answered:%B %Y}" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"answer": "A", "answered_on_day": "1", "answered_on_month": "10"}
            | {"answered_on_year": "2024"},
            "answered_on",
            "cannot be dated before the question was asked",
        ),
        ({"answer": "An answer"}, "answered_on", "Enter the date it was answered"),
        (
            {"answered_on_day": "5", "answered_on_month": "10", "answered_on_year": "2024"},
            "answer",
            "Enter the answer",
        ),
        ({"asked_by": "x" * 201}, "asked_by", "at most 200 characters"),
        ({"asked_by": "Two\nlines"}, "asked_by", "must be on one line"),
        ({"answered_by": "Tab\there"}, "answered_by", "must be on one line"),
        ({"asked_on_year": "9999"}, "asked_on", "must be in a year from 1900 to 2200"),
        ({"asked_on_year": "2199"}, "asked_on", "must be today or in the past"),
        ({"asked_on_year": "0"}, "asked_on", "must be a real date"),
        ({"asked_on_month": "2", "asked_on_day": "30"}, "asked_on", "must be a real date"),
        ({"text": ""}, "text", "Enter question"),
        ({"plan_links": ["nonsense"]}, "plan_links", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_govuk_error_naming_the_field(
    client, users, built, overrides, field, message
):
    client.force_login(users[Role.POLICY_OFFICER])
    response = client.post(
        f"/staff/scrutiny/{built.committee.pk}/questions/add/", _form(**overrides)
    )
    summary = _summary(response)
    assert f'href="#id_{field}' in summary and message in summary, summary
    assert not Question.all_objects.exists()


def test_another_bodys_meeting_or_item_is_refused(client, users, built):
    officer = users[Role.POLICY_OFFICER]
    other = services.meeting_save(
        user=officer,
        committee=built.other,
        data={"starts_at": built.past.starts_at, "venue": "Town Hall", "status": "held"},
    )
    item = services.agenda_item_save(
        user=officer, meeting=other, data={"number": 1, "title": "Elsewhere"}
    )
    client.force_login(officer)
    add = f"/staff/scrutiny/{built.committee.pk}/questions/add/"
    for field, value in (("meeting", other.pk), ("item", item.pk)):
        summary = _summary(client.post(add, _form(**{field: str(value)})))
        assert f'href="#id_{field}' in summary and "Select a valid choice" in summary
    # The service refuses them too, whatever calls it.
    for data in ({"meeting": other}, {"item": item}, {"meeting": built.next, "item": built.item}):
        with pytest.raises(ValidationError):
            services.question_save(
                user=officer,
                committee=built.committee,
                data={"asked_by": "A", "asked_on": datetime.date(2024, 1, 1), "text": "Q", **data},
            )
    assert not Question.all_objects.exists()


def test_the_database_refuses_an_answer_dated_before_the_question(users, asked):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=asked.answered.pk).update(
            answered_on=asked.answered.asked_on - datetime.timedelta(days=1)
        )


def test_html_in_a_question_is_shown_as_text(client, users, built):
    officer = users[Role.POLICY_OFFICER]
    question = services.question_save(
        user=officer,
        committee=built.committee,
        data={
            "asked_by": "<b>Mallory</b>",
            "asked_on": datetime.date(2024, 1, 1),
            "text": "<script>alert(1)</script>",
        },
    )
    services.question_publish(user=officer, question=question)
    for url in (f"{BODY}/questions/", f"{BODY}/questions/{question.pk}/"):
        page = client.get(url).text
        assert "<script>alert(1)</script>" not in page and "<b>Mallory" not in page
        assert "&lt;script&gt;" in page


# ---- What the public sees ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", Role.ANALYST])
def test_the_public_see_published_questions_and_never_drafts_or_exempt_items(
    client, users, asked, role
):
    if role != "anonymous":
        client.force_login(users[role])
    listing = client.get(f"{BODY}/questions/").text
    assert "3 questions." in listing and DRAFT_QUESTION not in listing
    assert client.get(f"{BODY}/questions/{asked.draft.pk}/").status_code == 404
    exempt = client.get(f"{BODY}/questions/{asked.at_exempt_item.pk}/").text
    assert "Was the contract tendered openly?" in exempt and SECRET not in exempt
    answered = client.get(f"{BODY}/questions/{asked.answered.pk}/").text
    assert "item 1: Question and answer session: the draft plan" in answered
    assert "<strong>Public Attitude Survey</strong>" in answered
    assert "Priority: " in answered
    for url in (f"{BODY}/questions/", *(f"{BODY}/questions/{q.pk}/" for q in vars(asked).values())):
        assert SECRET not in client.get(url).text and DRAFT_QUESTION not in client.get(url).text
    # Another body's list does not hold them.
    assert (
        "No questions have been published yet."
        in client.get("/scrutiny/another-panel/questions/").text
    )


def test_the_bodys_member_sees_its_draft_questions(client, users, asked):
    client.force_login(users[Role.COMMITTEE_MEMBER])
    assert DRAFT_QUESTION in client.get(f"{BODY}/questions/").text
    assert client.get(f"{BODY}/questions/{asked.draft.pk}/").status_code == 200


def test_filters_by_status_asker_year_and_priority(client, asked):
    def texts(**params):
        return client.get(f"{BODY}/questions/", params).text

    assert "1 question found" in texts(status="answered")
    assert "2 questions found" in texts(status="awaiting")
    assert "1 question found" in texts(asked_by="Ann Lee")
    link = asked.answered.plan_links.get()
    assert "1 question found" in texts(priority=str(link.lineage))
    year = str(asked.overdue.asked_on.year)
    assert "front counters" in texts(year=year)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"asked_by": "Nobody"}, "asked_by"),
        ({"asked_by": "bad\x00byte"}, "asked_by"),
        ({"year": "0"}, "year"),
        ({"year": "9999"}, "year"),
        ({"year": "twenty"}, "year"),
        ({"priority": "x" * 500}, "priority"),
    ],
)
def test_bad_filters_are_a_govuk_error_never_a_server_error(client, asked, params, field):
    response = client.get(f"{BODY}/questions/", params)
    assert response.status_code == 400
    assert f'href="#id_{field}' in response.text


def test_the_list_makes_the_same_queries_for_few_or_many_questions(client, users, asked):
    officer = users[Role.POLICY_OFFICER]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{BODY}/questions/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(60):
        question = services.question_save(
            user=officer,
            committee=asked.answered.committee,
            data={
                "meeting": asked.answered.meeting,
                "asked_by": f"Member {n}",
                "asked_on": timezone.localdate(asked.answered.meeting.starts_at),
                "text": f"Question {n}",
            },
        )
        services.question_publish(user=officer, question=question)
    assert queries() == few
    assert "Page 1 of 3" in client.get(f"{BODY}/questions/").text


def test_the_hub_and_committee_pages_link_to_questions_and_decisions(client, built):
    committee = client.get(f"{BODY}/").text
    assert f'href="{BODY}/questions/"' in committee
    assert 'href="/scrutiny/decisions/"' in committee
    assert 'href="/scrutiny/decisions/"' in client.get("/scrutiny/").text


def test_a_question_needs_the_run_scrutiny_permission(users, built):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.question_save(
            user=users[Role.COMMITTEE_MEMBER],
            committee=built.committee,
            data={"asked_by": "A", "asked_on": datetime.date(2024, 1, 1), "text": "Q"},
        )
