"""Exempt and unpublished content never leaks: every public page, feed, calendar, download
and alert of the app is walked as each kind of viewer."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from policeplan.core.roles import Role
from policeplan.scrutiny import services
from policeplan.scrutiny.tests.conftest import DRAFT_SECRET, SECRET

pytestmark = pytest.mark.django_db


def public_urls(built) -> list[str]:
    """Every public URL of the app for this body, the withheld ones included."""
    slug = built.committee.slug
    urls = [
        reverse("scrutiny:hub"),
        reverse("scrutiny:committee", args=[slug]),
        reverse("scrutiny:calendar", args=[slug]),
        reverse("scrutiny:feed", args=[slug]),
        reverse("scrutiny:actions", args=[slug]),
        reverse("scrutiny:subscribe", args=[slug]),
    ]
    for meeting in (built.past, built.next, built.draft):
        urls.append(reverse("scrutiny:meeting", args=[slug, meeting.pk]))
    for paper in (built.paper, built.exempt_paper, built.withheld_paper, built.draft_paper):
        meeting_id = paper.item.meeting_id
        urls.append(reverse("scrutiny:paper", args=[slug, meeting_id, paper.pk]))
        urls.append(reverse("scrutiny:paper-file", args=[slug, meeting_id, paper.pk]))
    return urls


def _content(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", Role.ANALYST])
def test_the_public_never_sees_exempt_or_unpublished_content(client, users, built, role):
    if role != "anonymous":
        client.force_login(users[role])
    # The tender file's bytes, and the exempt item's title, are secrets too.
    secrets = [SECRET, DRAFT_SECRET, "%PDF-1.4 tender"]
    leaks = []
    for url in public_urls(built):
        response = client.get(url)
        text = _content(response)
        leaks += [f"{url} shows {s!r}" for s in secrets if s in text]
    assert leaks == []


def test_the_bodys_own_member_sees_its_drafts_and_exempt_items(client, users, built):
    client.force_login(users[Role.COMMITTEE_MEMBER])
    slug = built.committee.slug
    page = client.get(reverse("scrutiny:meeting", args=[slug, built.past.pk])).text
    assert f"Contract award to {SECRET} Ltd" in page and f"{DRAFT_SECRET} draft" in page
    draft = client.get(reverse("scrutiny:meeting", args=[slug, built.draft.pk]))
    assert draft.status_code == 200 and DRAFT_SECRET in draft.text
    # The draft minutes, exempt minutes included, on the staff page of their own body.
    staff = client.get(reverse("scrutiny:staff-meeting", args=[built.past.pk])).text
    assert "questioned the Deputy Mayor" in staff and f"{SECRET} contract approved" in staff
    # But no changing anything.
    assert (
        client.get(reverse("scrutiny:staff-meeting-edit", args=[built.past.pk])).status_code == 403
    )


def test_a_member_of_another_body_sees_only_what_the_public_sees(client, users, built):
    from policeplan.scrutiny.models import Member

    Member.objects.filter(user=users[Role.COMMITTEE_MEMBER]).update(committee=built.other)
    client.force_login(users[Role.COMMITTEE_MEMBER])
    slug = built.committee.slug
    page = client.get(reverse("scrutiny:meeting", args=[slug, built.past.pk])).text
    assert SECRET not in page and DRAFT_SECRET not in page
    assert client.get(reverse("scrutiny:meeting", args=[slug, built.draft.pk])).status_code == 404
    staff = client.get(reverse("scrutiny:staff-meeting", args=[built.past.pk]))
    assert staff.status_code == 404
    listing = client.get(reverse("scrutiny:staff-list")).text
    assert "Another Panel" in listing and "Police and Crime Committee</a>" not in listing


def test_approved_minutes_are_public_but_the_minutes_of_exempt_items_never_are(
    client, users, built
):
    officer = users[Role.POLICY_OFFICER]
    started = services.meeting_save(
        user=officer,
        committee=built.committee,
        data={
            "starts_at": built.past.starts_at + datetime.timedelta(days=28),
            "venue": "City Hall",
            "status": "held",
        },
    )
    services.meeting_publish(user=officer, meeting=started)
    services.minutes_approve(user=officer, minutes=built.past.minutes, at_meeting=started)
    page = client.get(reverse("scrutiny:meeting", args=[built.committee.slug, built.past.pk])).text
    assert "questioned the Deputy Mayor" in page
    assert "Approved as a correct record at the meeting on" in page
    assert SECRET not in page


def test_alerts_carry_only_what_the_public_may_see(
    users, built, django_capture_on_commit_callbacks
):
    officer = users[Role.POLICY_OFFICER]
    subscription = services.subscription_request(committee=built.committee, email="a@example.org")
    services.subscription_confirm(token=subscription.token)
    with django_capture_on_commit_callbacks(execute=True):
        # An exempt paper published on a published meeting: nobody is told.
        secret = services.paper_save(
            user=officer, item=built.exempt, data={"title": f"{SECRET} annex", "body": "x"}
        )
        services.paper_publish(user=officer, paper=secret)
        # A paper on the unpublished meeting: not yet.
        draft_item = services.agenda_item_save(
            user=officer, meeting=built.draft, data={"number": 1, "title": f"{DRAFT_SECRET} item"}
        )
        early = services.paper_save(
            user=officer, item=draft_item, data={"title": f"{DRAFT_SECRET} paper", "body": "x"}
        )
        services.paper_publish(user=officer, paper=early)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        # An open paper on the published meeting: told.
        services.paper_publish(user=officer, paper=built.draft_paper)
    assert [m.subject for m in mail.outbox] == [f"New paper: {DRAFT_SECRET} draft"]
    assert SECRET not in mail.outbox[0].body


def test_a_member_whose_term_has_ended_no_longer_sees_drafts(client, users, built):
    import datetime

    from django.utils import timezone

    built.chair.term_to = timezone.localdate() - datetime.timedelta(days=1)
    built.chair.save()
    client.force_login(users[Role.COMMITTEE_MEMBER])
    slug = built.committee.slug
    assert client.get(reverse("scrutiny:meeting", args=[slug, built.draft.pk])).status_code == 404
    page = client.get(reverse("scrutiny:meeting", args=[slug, built.past.pk])).text
    assert SECRET not in page
