"""The draft plan's statutory review: publishing a consultation draft opens the body's review
with its dates; plan changes cite the body's recommendations; the final plan's page says how
each recommendation was answered."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.utils import timezone

from policeplan.plans import services as plans
from policeplan.plans.kinds import KINDS
from policeplan.scrutiny.models import PlanReview
from policeplan.scrutiny.tests.conftest import build, build_recommendations

pytestmark = pytest.mark.django_db


def test_publishing_a_consultation_draft_opens_each_bodys_review(demo, users, settings):
    settings.SCRUTINY_PLAN_REVIEW_DAYS = 30
    officer = users["policy_officer"]
    built = build(officer)
    assert not PlanReview.objects.exists()  # the demo's draft was published before the body
    plan = plans.plan_create(
        user=officer,
        title="Next plan",
        slug="next-plan",
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2029, 3, 31),
    )
    plans.plan_item_create(
        user=officer, kind=KINDS["priorities"], parent=plan, data={"title": "Safer streets"}
    )
    plans.plan_version_publish(user=officer, version=plan, state="consultation")
    reviews = PlanReview.objects.filter(plan_version=plan)
    assert {r.committee for r in reviews} == {built.committee, built.other}
    today = timezone.localdate()
    assert all(
        (r.opens_on, r.closes_on) == (today, today + datetime.timedelta(days=30)) for r in reviews
    )


def test_the_final_plan_says_how_the_recommendations_were_answered(client, demo, users):
    from policeplan.consultations.tests.conftest import build as consultation

    officer = users["policy_officer"]
    recs = build_recommendations(officer, build(officer))
    c = consultation(officer)
    c.results_published_at = timezone.now()
    c.save()
    client.force_login(officer)
    url = f"/staff/consultations/{c.pk}/analysis/you-said-we-did/changes/add/"
    form = client.get(url).text
    assert "Publish burglary figures by borough every quarter." in form
    item = "Outcome added: The police deal with the issues that matter locally"
    assert item in unescape(form)
    refused = client.post(url, {"item": item, "summary": "Why"})
    assert "Choose the themes or the recommendations" in unescape(refused.text)
    saved = client.post(
        url,
        {
            "item": item,
            "summary": "Neighbourhood policing measured.",
            "recommendations": [str(recs.linked.pk)],
        },
    )
    assert saved.status_code == 302
    client.logout()
    page = " ".join(unescape(client.get("/plans/london-2022-25/v2/").text).split())
    assert "How the Police and Crime Committee’s recommendations were answered" in page
    assert "Publish burglary figures by borough every quarter." in page
    assert "Accepted: Londoners asked for it too." in page
    assert "Neighbourhood policing measured." in page
    # The draft response is not public; nor is the draft report.
    assert "Awaiting response" in page and "Osprey" not in page and "Merganser" not in page
    chain = " ".join(
        unescape(client.get(f"/scrutiny/recommendations/{recs.linked.pk}/").text).split()
    )
    assert "Neighbourhood policing measured." in chain


def test_staff_change_the_reviews_dates_with_a_reason_in_the_audit(client, demo, users):
    from policeplan.core.models import AuditEvent
    from policeplan.plans.models import PlanVersion
    from policeplan.scrutiny import services

    officer = users["policy_officer"]
    built = build(officer, users["committee_member"])
    version = PlanVersion.objects.get(state="consultation")
    review = services.plan_review_open(
        committee=built.committee, version=version, opens_on=datetime.date(2026, 1, 5)
    )
    url = f"/staff/scrutiny/reviews/{review.pk}/"
    client.force_login(officer)
    committee_page = client.get(f"/staff/scrutiny/{built.committee.pk}/").text
    assert f'href="{url}"' in committee_page

    def post(opens, closes):
        return client.post(
            url,
            {
                "opens_on_day": opens.day,
                "opens_on_month": opens.month,
                "opens_on_year": opens.year,
                "closes_on_day": closes.day,
                "closes_on_month": closes.month,
                "closes_on_year": closes.year,
            },
        )

    refused = post(datetime.date(2026, 1, 5), datetime.date(2026, 1, 4))
    assert "The review must close on or after the day it opens" in unescape(refused.text)
    review.refresh_from_db()
    assert review.closes_on == datetime.date(2026, 2, 16)  # 42 days, as opened

    done = post(datetime.date(2026, 1, 5), datetime.date(2026, 3, 2))
    assert done.status_code == 302 and done["Location"] == f"/staff/scrutiny/{built.committee.pk}/"
    review.refresh_from_db()
    assert (review.opens_on, review.closes_on) == (
        datetime.date(2026, 1, 5),
        datetime.date(2026, 3, 2),
    )
    event = AuditEvent.objects.get(action="plan_review.dates")
    assert event.changes == {"closes_on": ["2026-02-16", "2026-03-02"]}
    assert "2 March 2026" in client.get(f"/staff/scrutiny/{built.committee.pk}/").text
    # Saved again unchanged, nothing more is recorded.
    post(datetime.date(2026, 1, 5), datetime.date(2026, 3, 2))
    assert AuditEvent.objects.filter(action="plan_review.dates").count() == 1

    # The body's members read the review; only the office changes its dates.
    client.force_login(users["committee_member"])
    assert client.get(url).status_code == 403
    assert post(datetime.date(2026, 1, 5), datetime.date(2027, 1, 1)).status_code == 403
    review.refresh_from_db()
    assert review.closes_on == datetime.date(2026, 3, 2)
