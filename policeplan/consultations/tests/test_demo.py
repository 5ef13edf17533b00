"""The demo's consultations: one closed with several hundred responses, one open to answer."""

from __future__ import annotations

from policeplan.consultations import demo as demo_content
from policeplan.consultations.models import Registration, Response, Status


def test_the_demo_has_a_closed_consultation_with_responses_and_an_open_one(client, demo):
    from policeplan.consultations.demo import load

    past, open_now = load()
    assert past.status() == Status.CLOSED and open_now.status() == Status.OPEN
    counts = Response.objects.filter(consultation=past, status="submitted")
    assert counts.filter(channel="online").count() == 420
    assert counts.exclude(channel="online").count() == 24
    assert past.events.count() == 5 and Registration.objects.filter(attended=True).exists()
    assert Registration.objects.filter(event__consultation=open_now, status="waiting").count() == 2
    hub = client.get("/consultations/").text
    assert "444 responses" in hub and "64 people have responded" in hub
    page = client.get(f"/consultations/{past.slug}/").text
    assert "This consultation has closed" in page and "Results" in page
    assert "Respond online" in client.get(f"/consultations/{open_now.slug}/").text
    home = client.get("/").text  # the home page invites people to the open one only
    assert open_now.title in home and past.title not in home
    assert demo_content.DATA["themes"]  # the comments come from the demo file
