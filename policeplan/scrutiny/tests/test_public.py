"""The public pages of a scrutiny body: what they show, and what they never show."""

from __future__ import annotations

import pytest

from policeplan.scrutiny.tests.conftest import DRAFT_SECRET, SECRET

pytestmark = pytest.mark.django_db


def test_the_committee_page_lists_members_officers_and_meetings(client, built):
    page = client.get("/scrutiny/police-and-crime-committee/").text
    assert "Susan Hall" in page and "Chair" in page
    assert "Independent co-opted member" in page
    assert "Kaya Comer-Schwartz, Deputy Mayor for Policing and Crime" in page
    assert f"/meetings/{built.past.pk}/" in page and f"/meetings/{built.next.pk}/" in page
    assert DRAFT_SECRET not in page and f"/meetings/{built.draft.pk}/" not in page


def test_a_meeting_page_shows_the_open_agenda_and_withholds_the_exempt(client, built):
    page = client.get(f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/").text
    assert "1. Question and answer session: the draft plan" in page
    assert "Cover report" in page
    assert "2. Exempt item" in page
    assert "Information about the financial affairs of a company" in page
    assert "A paper is withheld from the public: Information about individuals." in page
    assert SECRET not in page and DRAFT_SECRET not in page
    # Draft minutes are not public; the confirmed action on the open item is.
    assert "questioned the Deputy Mayor" not in page
    assert "Write to the committee about stop and search" in page
    assert "Tamara Barnett" not in page  # proposed by the minutes, not yet confirmed


def test_a_paper_reads_as_sanitised_html_and_downloads_its_file(client, built):
    base = f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/papers/{built.paper.pk}"
    page = client.get(f"{base}/").text
    assert "<strong>questions</strong>" in page
    download = client.get(f"{base}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"
    assert 'filename="report.pdf"' in download["Content-Disposition"]


def test_html_papers_lose_their_scripts(client, users, built):
    from policeplan.scrutiny import services

    paper = services.paper_save(
        user=users["policy_officer"],
        item=built.item,
        data={
            "title": "Pasted",
            "body_format": "html",
            "body": '<h1>Title</h1><p onclick="x()">Text</p><script>alert(1)</script>',
        },
    )
    services.paper_publish(user=users["policy_officer"], paper=paper)
    url = f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/papers/{paper.pk}/"
    page = client.get(url).text
    assert '<p class="govuk-body">Text</p>' in page
    assert "alert(1)" not in page and "onclick" not in page


def test_declarations_and_attendance_show_except_on_exempt_items(client, users, built):
    from policeplan.scrutiny import services

    officer = users["policy_officer"]
    services.declaration_add(
        user=officer,
        meeting=built.past,
        data={"member": built.chair, "item": built.item, "interest": "Is a magistrate"},
    )
    services.declaration_add(
        user=officer,
        meeting=built.past,
        data={"member": built.chair, "item": built.exempt, "interest": f"Owns {SECRET} shares"},
    )
    client.force_login(officer)
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/attendance/",
        {
            f"member_{built.chair.pk}": "present",
            f"officer_{built.committee.officers.get().pk}": "remote",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/").text
    assert "Susan Hall (item 1): Is a magistrate" in page
    assert "Susan Hall (Chair)" in page and "Present" in page
    assert "Deputy Mayor for Policing and Crime</th>" in page and "Attended online" in page
    assert "Ann Lee" not in page  # not listed: left blank
    assert SECRET not in page


def test_a_postponed_meeting_says_so(client, users, built):
    from policeplan.scrutiny import services

    services.meeting_save(
        user=users["policy_officer"],
        committee=built.committee,
        meeting=built.next,
        data={"status": "postponed"},
    )
    page = client.get("/scrutiny/police-and-crime-committee/").text
    assert "Postponed" in page


def test_each_action_line_of_the_minutes_is_a_paragraph_of_its_own(client, users, built):
    import datetime

    from django.utils import timezone

    from policeplan.scrutiny import services

    officer = users["policy_officer"]
    services.minutes_save(
        user=officer,
        meeting=built.past,
        text="Members were behind the draft target\n"
        "ACTION: Joanne Carter to write to the committee\n"
        "ACTION: The secretariat to <script>alert(1)</script> circulate the slides\n"
        "The meeting closed at 4pm.\n\n"
        "- ACTION: MOPAC to publish the figures\n"
        "- ACTION: MOPAC to brief members",
        exempt_text=f"{SECRET} contract approved.\nACTION: Ann Lee to read the {SECRET} bid",
    )
    started = services.meeting_save(
        user=officer,
        committee=built.committee,
        data={
            "starts_at": timezone.now() - datetime.timedelta(hours=1),
            "venue": "City Hall",
            "status": "confirmed",
        },
    )
    services.meeting_publish(user=officer, meeting=started)
    services.minutes_approve(user=officer, minutes=built.past.minutes, at_meeting=started)
    public = client.get(f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/").text
    client.force_login(officer)
    staff = client.get(f"/staff/scrutiny/meetings/{built.past.pk}/").text
    for page in (public, staff):
        assert '<p class="govuk-body">Members were behind the draft target</p>' in page
        assert '<p class="govuk-body">ACTION: Joanne Carter to write to the committee</p>' in page
        assert (
            '<p class="govuk-body">ACTION: The secretariat to &lt;script&gt;alert(1)&lt;/script&gt;'
            " circulate the slides</p>"
        ) in page
        assert "<script>alert(1)" not in page
        assert '<p class="govuk-body">The meeting closed at 4pm.</p>' in page
        # Lines already a list stay one list.
        assert (
            '<ul class="govuk-list govuk-list--bullet">\n'
            "<li>ACTION: MOPAC to publish the figures</li>\n"
            "<li>ACTION: MOPAC to brief members</li>\n</ul>"
        ) in page
    assert f'<p class="govuk-body">ACTION: Ann Lee to read the {SECRET} bid</p>' in staff
    assert SECRET not in public


def test_a_meeting_page_gives_the_reason_an_action_was_dropped(client, users, built):
    from django.utils import timezone

    from policeplan.scrutiny import services

    services.action_update_add(
        user=users["policy_officer"],
        action=built.action,
        on=timezone.localdate(),
        text="Not needed now.",
        status="dropped",
        dropped_reason="The Home Office now publishes these figures",
    )
    url = f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/"
    page = client.get(url).text
    assert "Dropped: The Home Office now publishes these figures" in page
