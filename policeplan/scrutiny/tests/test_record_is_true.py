"""The public record never says what cannot be true: a meeting to come is not 'held', a
question put at a meeting was asked that day, progress is not dated before the report, a
published response stands as given, a late answer or response is called late, and a moved
milestone date is not called a moved response date."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from policeplan.scrutiny import services
from policeplan.scrutiny.models import Meeting, OfficeResponse, Question
from policeplan.scrutiny.tests.conftest import build, build_recommendations

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(unescape(response.content.decode()).split())


@pytest.fixture
def recs(demo, users):
    built = build(users["policy_officer"], users["committee_member"])
    return build_recommendations(users["policy_officer"], built)


def test_a_meeting_to_come_cannot_be_held(client, users, built):
    client.force_login(users["policy_officer"])
    next_year = timezone.localdate().year + 1
    form = {
        "starts_at_date_day": "10",
        "starts_at_date_month": "6",
        "starts_at_date_year": str(next_year),
        "starts_at_time": "10:00",
        "status": "held",
        "venue": "City Hall",
    }
    before = Meeting.objects.count()
    response = client.post(f"/staff/scrutiny/{built.committee.pk}/meetings/add/", form)
    assert response.status_code == 200
    assert "A meeting is held once it has started" in _text(response)
    assert 'href="#id_status"' in response.text
    assert Meeting.objects.count() == before
    # Scheduled, it is taken; and a past meeting may be marked held.
    assert (
        client.post(
            f"/staff/scrutiny/{built.committee.pk}/meetings/add/", {**form, "status": "scheduled"}
        ).status_code
        == 302
    )
    services.meeting_save(
        user=users["policy_officer"], committee=built.committee, data={}, meeting=built.past
    )
    with pytest.raises(ValidationError):
        services.meeting_save(
            user=users["policy_officer"],
            committee=built.committee,
            data={"status": "held"},
            meeting=Meeting.objects.latest("pk"),
        )


def test_a_question_put_at_a_meeting_was_asked_that_day(users, built):
    held = timezone.localdate(built.past.starts_at)
    data = {
        "text": "What is being done about burglary?",
        "asked_by": "A Member",
        "meeting": built.past,
        "asked_on": held - datetime.timedelta(days=400),
    }
    with pytest.raises(ValidationError) as refused:
        services.question_save(user=users["policy_officer"], committee=built.committee, data=data)
    assert "was asked that day" in refused.value.message_dict["asked_on"][0]
    assert not Question.objects.filter(text=data["text"]).exists()
    services.question_save(
        user=users["policy_officer"], committee=built.committee, data={**data, "asked_on": held}
    )
    # In writing (no meeting), any past day will do.
    services.question_save(
        user=users["policy_officer"],
        committee=built.committee,
        data={**data, "meeting": None, "asked_on": held - datetime.timedelta(days=400)},
    )


def test_progress_is_not_dated_before_the_report_was_published(users, recs):
    recs.report.refresh_from_db()
    published = recs.report.published_on
    with pytest.raises(ValidationError) as refused:
        services.milestone_update_add(
            user=users["policy_officer"],
            milestone=recs.milestone,
            on=published - datetime.timedelta(days=1),
            text="Done before we were asked",
        )
    assert "on or after the day the report was published" in refused.value.message_dict["on"][0]
    services.milestone_update_add(
        user=users["policy_officer"], milestone=recs.milestone, on=published, text="Started"
    )


def test_a_published_response_stands_as_given(users, recs):
    officer = users["policy_officer"]
    for name, value in (
        ("decision", "not_accepted"),
        ("reasons", "Different reasons."),
        ("will_do", "Something else."),
    ):
        with pytest.raises(ValidationError) as refused:
            services.response_save(user=officer, recommendation=recs.linked, data={name: value})
        assert "The response is published" in refused.value.message_dict[name][0]
    response = OfficeResponse.objects.get(pk=recs.response.pk)
    assert (response.decision, response.reasons) == ("accepted", "Londoners asked for it too.")
    # The same words saved again (as the staff form sends them) are fine; a draft changes freely.
    services.response_save(
        user=officer,
        recommendation=recs.linked,
        data={"decision": "accepted", "reasons": "Londoners asked for it too."},
    )
    services.response_save(
        user=officer, recommendation=recs.unanswered, data={"reasons": "Redrafted."}
    )


def test_the_recommendation_page_says_when_the_response_was_published_and_if_late(
    client, users, recs
):
    report = recs.report
    report.refresh_from_db()
    due = report.response_due_on
    page = _text(client.get(f"/scrutiny/recommendations/{recs.linked.pk}/"))
    published = timezone.localdate(recs.response.published_at)
    assert f"was due by {due:%-d %B %Y} and published on {published:%-d %B %Y}." in page
    # Published three days after it was due.
    OfficeResponse.objects.filter(pk=recs.response.pk).update(
        published_at=datetime.datetime.combine(
            due + datetime.timedelta(days=3),
            datetime.time(12),
            tzinfo=timezone.get_current_timezone(),
        )
    )
    page = _text(client.get(f"/scrutiny/recommendations/{recs.linked.pk}/"))
    assert ", 3 days late." in page
    # Not yet due: 'is due', not 'was due'.
    page = _text(client.get(f"/scrutiny/recommendations/{recs.unanswered.pk}/"))
    assert f"The office’s response is due by {due:%-d %B %Y}." in page


def test_the_tracker_tells_a_moved_milestone_from_a_moved_response(client, users, recs):
    services.milestone_save(
        user=users["policy_officer"],
        response=recs.response,
        milestone=recs.milestone,
        data={"due_on": recs.milestone.due_on + datetime.timedelta(days=7)},
        change_reason="The data came late.",
    )
    page = _text(client.get("/scrutiny/recommendations/"))
    assert "Milestone dates moved 1 time" in page
    assert "Its date moved" not in page


def test_an_answer_after_its_due_day_is_called_late(client, users, built, settings):
    settings.QUESTION_ANSWER_DAYS = 20
    asked = timezone.localdate() - datetime.timedelta(days=60)
    question = services.question_save(
        user=users["policy_officer"],
        committee=built.committee,
        data={
            "text": "When will the figures be published?",
            "asked_by": "A Member",
            "asked_on": asked,
            "answer": "In the spring.",
            "answered_on": asked + datetime.timedelta(days=22),
        },
    )
    services.question_publish(user=users["policy_officer"], question=question)
    listing = _text(client.get(f"/scrutiny/{built.committee.slug}/questions/"))
    assert "Answered late" in listing
    page = _text(client.get(f"/scrutiny/{built.committee.slug}/questions/{question.pk}/"))
    assert "Answered late" in page
    due = asked + datetime.timedelta(days=20)
    assert f"The answer was due by {due:%-d %B %Y}." in page
