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
