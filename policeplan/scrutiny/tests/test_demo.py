"""The demo's committee: members, two past meetings with papers, minutes and actions."""

from __future__ import annotations

from policeplan.scrutiny.models import Action, Meeting


def test_the_demo_committee_reviews_the_draft_plan_in_two_meetings(client, demo):
    from policeplan.scrutiny.demo import load

    committee = load()
    page = client.get(f"/scrutiny/{committee.slug}/").text
    assert "Amara Okoye AM" in page and "Independent co-opted member" in page
    assert "Deputy Mayor for Policing and Crime (demo)" in page
    first, second = Meeting.objects.order_by("starts_at")
    meeting = client.get(f"/scrutiny/{committee.slug}/meetings/{first.pk}/").text
    assert "Wednesday 12 January 2022, 10am to 12:30pm" in meeting
    assert "Cover report: the draft Police and Crime Plan" in meeting
    assert "3. Exempt item" in meeting and "Tender evaluation" not in meeting
    assert "Approved as a correct record at the meeting on 2 March 2022" in meeting
    assert "victims' support service in private" not in meeting
    # The second meeting's minutes wait for the next meeting; its action for confirmation.
    later = client.get(f"/scrutiny/{committee.slug}/meetings/{second.pk}/").text
    assert "The minutes are published once the next meeting approves them." in later
    assert Action.objects.filter(confirmed_at__isnull=True).count() == 1
    actions = client.get(f"/scrutiny/{committee.slug}/actions/").text
    assert "3 actions, 1 overdue." in actions
    assert "Replaced by a briefing on the estates strategy" in actions
    # The demo committee member's account sits on it and sees its drafts.
    from policeplan.core.models import User

    client.force_login(User.objects.get(email="committee@demo.policeplan.example"))
    staff = client.get(f"/staff/scrutiny/meetings/{second.pk}/").text
    assert "Publish its response to the committee" in staff and "To confirm" in staff


def test_the_demo_review_of_the_draft_has_recommendations_responses_and_a_moved_date(client, demo):
    from html import unescape

    from policeplan.scrutiny.demo import load
    from policeplan.scrutiny.models import DateChange, OfficeResponse, PlanReview, Recommendation

    committee = load()
    review = PlanReview.objects.get(committee=committee)
    assert str(review.opens_on) == "2021-12-01" and review.plan_version.state == "consultation"
    assert 8 <= Recommendation.objects.filter(report__committee=committee).count() <= 12
    decisions = set(OfficeResponse.objects.values_list("decision", flat=True))
    assert decisions == {"accepted", "partly", "not_accepted"}
    assert DateChange.objects.filter(milestone__isnull=False).count() == 1
    assert Action.objects.filter(recommendation__isnull=False).count() == 2
    tracker = " ".join(unescape(client.get("/scrutiny/recommendations/").text).split())
    assert "Partly accepted" in tracker and "Not accepted" in tracker
    assert "Knife crime with injury, victims under 25" in tracker
    trust = Recommendation.objects.get(report__committee=committee, number=2)
    page = " ".join(unescape(client.get(f"/scrutiny/recommendations/{trust.pk}/").text).split())
    assert (
        "15 September 2022: milestone “Publish trust in the Met by ethnic group” moved from "
        "30 September 2022 to 31 March 2023"
    ) in page  # when it was moved in the story, not the day the demo was loaded
    assert "how the plan will measure trust and confidence" in page  # the linked action


def test_the_demo_has_a_decisions_log_and_questions_consistent_with_the_plan(client, demo):
    from policeplan.scrutiny.demo import load

    committee = load()
    log = client.get("/scrutiny/decisions/").text
    assert "5 decisions." in log and "PCD 1031" in log and "DMPCD 2022-31" in log
    assert "£12,600,000" in log and "£85,250.75" in log and "No value given" in log
    contract = client.get("/scrutiny/decisions/pcd-1031/").text
    assert "exempt from publication and is not shown: Commercially sensitive" in contract
    assert "Tender evaluation report" not in contract and "Decision form PCD 1031" in contract
    assert "Wednesday 12 January 2022" not in contract  # the date, as a day
    assert "Police and Crime Committee, 12 January 2022" in contract
    assert "Contract for the victims" not in contract  # the exempt item is not named
    assert "Better supporting victims" in contract
    questions = client.get(f"/scrutiny/{committee.slug}/questions/").text
    assert "5 questions." in questions and questions.count("govuk-tag--red") == 2  # overdue
    # Answered: on time (green) or late (orange).
    assert questions.count("govuk-tag--green") + questions.count("govuk-tag--orange") == 3


def test_the_demo_story_is_dated_when_it_happened_not_when_it_was_loaded(client, demo):
    """Every date the public see fits the plan's timeline: the draft out for consultation on
    1 December 2021, the committee's review open until after its report, the final plan
    published on the day of the decision to publish it, papers a week before their meeting."""
    import datetime
    from html import unescape

    from django.utils import timezone

    from policeplan.plans.models import PlanVersion
    from policeplan.scrutiny.demo import load
    from policeplan.scrutiny.models import (
        DateChange,
        Decision,
        OfficeResponse,
        Paper,
        PlanReview,
        Question,
        Report,
    )

    def text(url: str) -> str:
        return " ".join(unescape(client.get(url).text).split())

    committee = load()
    today = timezone.localdate()
    draft, final = PlanVersion.objects.order_by("number")
    publishing = Decision.objects.get(reference="PCD 1102")
    assert timezone.localdate(draft.published_at) == datetime.date(2021, 12, 1)
    assert timezone.localdate(final.published_at) == publishing.decided_on
    assert "published on 1 December 2021 for people to comment on" in text(
        "/plans/london-2022-25/v1/"
    )
    assert "Published 24 March 2022." in text("/plans/london-2022-25/v2/")

    # The review was open when the committee reported; MOPAC answered before it was due.
    report = Report.objects.get(committee=committee)
    review = PlanReview.objects.get(committee=committee)
    assert review.opens_on <= report.published_on <= review.closes_on
    assert "review was open from 1 December 2021 to 11 March 2022" in text(
        f"/scrutiny/{committee.slug}/"
    )
    for response in OfficeResponse.objects.all():
        published = timezone.localdate(response.published_at)
        assert report.published_on <= published <= report.response_due_on
    for change in DateChange.objects.select_related("milestone__response"):
        assert change.milestone.response.published_at < change.changed_at
        assert timezone.localdate(change.changed_at) < today

    # Papers a week before their meeting, the feed dated so; decisions and questions on their day.
    for paper in Paper.objects.select_related("item__meeting"):
        assert paper.published_at == paper.item.meeting.starts_at - datetime.timedelta(days=7)
    feed = client.get(f"/scrutiny/{committee.slug}/papers.atom").text
    assert "<updated>2022-02-23T10:00:00+00:00</updated>" in feed and str(today) not in feed
    cover = Paper.objects.get(title="Cover report: the draft Police and Crime Plan")
    assert "Published 5 January 2022" in text(
        f"/scrutiny/{committee.slug}/meetings/{cover.item.meeting_id}/papers/{cover.pk}/"
    )
    meeting = client.get(f"/scrutiny/{committee.slug}/meetings/{cover.item.meeting_id}.json")
    assert meeting.json()["created_at"].startswith("2021-12-15")  # four weeks before it
    assert meeting.json()["updated_at"].startswith("2022-01-12")  # held
    for decision in Decision.objects.all():
        assert timezone.localdate(decision.published_at) == decision.decided_on
    assert "Published 24 March 2022" in text("/scrutiny/decisions/pcd-1102/")
    for question in Question.objects.all():
        assert timezone.localdate(question.published_at) == question.asked_on
