"""Staff pages: building a body, its meetings and papers through the forms; GOV.UK errors that
name the field and write nothing; London time; fixed query counts on list pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan.core.models import AuditEvent, Office
from policeplan.scrutiny import services
from policeplan.scrutiny.models import Committee, Meeting, Paper

pytestmark = pytest.mark.django_db


def test_a_new_body_is_named_for_the_kind_of_office(client, users):
    client.force_login(users["policy_officer"])
    Office.objects.create(name="Kent PCC", kind="pcc", force_area="Kent", force_name="Kent Police")
    page = client.get("/staff/scrutiny/new/").text
    assert 'value="Kent Police and Crime Panel"' in page
    Office.objects.update(kind="london")
    page = client.get("/staff/scrutiny/new/").text
    assert 'value="Police and Crime Committee"' in page


def test_a_meeting_typed_in_london_time_is_stored_as_that_moment(client, users, built):
    client.force_login(users["policy_officer"])
    response = client.post(
        f"/staff/scrutiny/{built.committee.pk}/meetings/add/",
        {
            "starts_at_date_day": "29",
            "starts_at_date_month": "10",
            "starts_at_date_year": "2026",
            "starts_at_time": "10:00",
            "ends_at_time": "12:30",
            "status": "scheduled",
            "venue": "City Hall",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.latest("pk")
    # After the clocks go back: 10am in London is 10am UTC (in BST it would be 9am UTC).
    assert meeting.starts_at == datetime.datetime(2026, 10, 29, 10, 0, tzinfo=datetime.UTC)
    assert meeting.ends_at == datetime.datetime(2026, 10, 29, 12, 30, tzinfo=datetime.UTC)
    page = client.get(response["Location"]).text
    assert "Thursday 29 October 2026, 10am to 12:30pm" in page


def test_a_meeting_with_nowhere_to_be_is_refused_with_the_field_named(client, users, built):
    client.force_login(users["policy_officer"])
    before = Meeting.objects.count(), AuditEvent.objects.count()
    response = client.post(
        f"/staff/scrutiny/{built.committee.pk}/meetings/add/",
        {
            "starts_at_date_day": "31",
            "starts_at_date_month": "2",
            "starts_at_date_year": "2027",
            "starts_at_time": "25:00",
            "status": "scheduled",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "The date must be a real date" in response.text
    assert 'href="#id_starts_at_date_day"' in response.text
    assert (Meeting.objects.count(), AuditEvent.objects.count()) == before
    response = client.post(
        f"/staff/scrutiny/{built.committee.pk}/meetings/add/",
        {
            "starts_at_date_day": "1",
            "starts_at_date_month": "2",
            "starts_at_date_year": "2027",
            "starts_at_time": "10:00",
            "status": "scheduled",
        },
    )
    assert "Enter the venue or a link to join online" in response.text
    assert 'href="#id_venue"' in response.text
    assert (Meeting.objects.count(), AuditEvent.objects.count()) == before


def test_an_exempt_item_needs_its_reason(client, users, built):
    client.force_login(users["policy_officer"])
    response = client.post(
        f"/staff/scrutiny/meetings/{built.next.pk}/items/add/",
        {"number": "1", "title": "Personnel matter", "exempt": "on", "exempt_reason": ""},
    )
    assert "Enter why the item is exempt" in response.text
    assert 'href="#id_exempt_reason"' in response.text
    assert not built.next.items.exists()


def _docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # A fixed date: the same bytes on every call, whatever the clock says in between.
        for name, text in (
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00program"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        (".htaccess", b"AddType application/x-httpd-php .pdf"),
        ("report.pdf", b"<html><script>alert(1)</script></html>"),
        ("report.docx", b"MZ\x90\x00program"),
        ("report.docx", b"PK\x03\x04 not really a zip"),
        ("notes.txt", b"MZ\x90\x00\x00\x00binary"),
    ],
)
def test_a_paper_file_must_be_a_document_by_name_and_content(client, users, built, name, content):
    client.force_login(users["policy_officer"])
    before = Paper.objects.count()
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/items/{built.item.pk}/papers/add/",
        {
            "title": "Upload",
            "body_format": "markdown",
            "body": "",
            "order": "0",
            "upload": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert 'href="#id_upload"' in response.text
    assert "The attached file must be a PDF, Word document" in response.text
    assert Paper.objects.count() == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"%PDF-1.7 report"),
        ("minutes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 word"),
        ("figures.csv", b"Borough,Rate\nCamden,2.81\n"),
        ("notes.txt", "Café notes\n".encode()),
    ],
)
def test_a_paper_file_of_an_allowed_kind_is_accepted(client, users, built, name, content):
    client.force_login(users["policy_officer"])
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/items/{built.item.pk}/papers/add/",
        {
            "title": "Upload",
            "body_format": "markdown",
            "body": "",
            "order": "0",
            "upload": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 302
    assert Paper.objects.latest("pk").original_name == name


def test_a_paper_uploads_under_a_name_the_server_makes(client, users, built):
    client.force_login(users["policy_officer"])
    upload = SimpleUploadedFile("../../Budget report.docx", _docx())
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/items/{built.item.pk}/papers/add/",
        {"title": "Budget", "body_format": "markdown", "body": "", "order": "2", "upload": upload},
    )
    assert response.status_code == 302
    paper = Paper.objects.latest("pk")
    assert paper.original_name == "Budget report.docx" and paper.size == len(_docx())
    assert "Budget" not in paper.file.name and paper.file.name.endswith(".docx")
    assert paper.published_at is None
    # Changing its title keeps its file.
    services.paper_save(
        user=users["policy_officer"], item=built.item, paper=paper, data={"title": "Budget 2027"}
    )
    paper.refresh_from_db()
    assert paper.file.read() == _docx()


def test_a_paper_needs_text_or_a_file(client, users, built):
    client.force_login(users["policy_officer"])
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/items/{built.item.pk}/papers/add/",
        {"title": "Empty", "body_format": "markdown", "body": "", "order": "0"},
    )
    assert "Enter the paper’s text or attach its file" in response.text


def _started_meeting(officer, built, *, hours_ago=1):
    from django.utils import timezone

    return services.meeting_save(
        user=officer,
        committee=built.committee,
        data={
            "starts_at": timezone.now() - datetime.timedelta(hours=hours_ago),
            "venue": "City Hall",
            "status": "confirmed",
        },
    )


def test_minutes_are_approved_only_at_a_later_meeting_and_then_cannot_change(users, built):
    officer = users["policy_officer"]
    started = _started_meeting(officer, built)
    services.meeting_publish(user=officer, meeting=started)
    with pytest.raises(ValidationError):
        services.minutes_approve(user=officer, minutes=built.past.minutes, at_meeting=built.past)
    services.minutes_approve(user=officer, minutes=built.past.minutes, at_meeting=started)
    with pytest.raises(ValidationError):
        services.minutes_save(user=officer, meeting=built.past, text="Rewritten")


@pytest.mark.parametrize("which", ["next", "draft", "started_unpublished"])
def test_minutes_cannot_be_approved_at_a_meeting_yet_to_happen_or_unpublished(
    client, users, built, which
):
    officer = users["policy_officer"]
    at = (
        _started_meeting(officer, built)
        if which == "started_unpublished"
        else getattr(built, which)
    )
    client.force_login(officer)
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/minutes/approve/", {"at_meeting": at.pk}
    )
    assert response.status_code == 200
    assert 'href="#id_at_meeting"' in response.text
    built.past.minutes.refresh_from_db()
    assert built.past.minutes.status == "draft"
    client.logout()
    assert (
        "questioned the Deputy Mayor"
        not in client.get(f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/").text
    )
    with pytest.raises(ValidationError):
        services.minutes_approve(user=officer, minutes=built.past.minutes, at_meeting=at)


def test_minutes_approved_at_a_started_published_meeting_become_public(client, users, built):
    officer = users["policy_officer"]
    started = _started_meeting(officer, built)
    services.meeting_publish(user=officer, meeting=started)
    client.force_login(officer)
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/minutes/approve/", {"at_meeting": started.pk}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/").text
    assert "questioned the Deputy Mayor" in page


def test_every_write_leaves_one_audit_event(users, built):
    before = AuditEvent.objects.count()
    services.meeting_publish(user=users["policy_officer"], meeting=built.draft)
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().action == "meeting.publish"


@pytest.mark.parametrize("role", ["analyst", "committee_member"])
def test_only_those_who_run_scrutiny_may_write(users, built, role):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.meeting_publish(user=users[role], meeting=built.draft)
    with pytest.raises(PermissionDenied):
        services.committee_save(user=users[role], data={"name": "x"}, committee=built.committee)


def test_a_seat_links_only_a_committee_members_account(users, built):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.member_save(
            user=users["policy_officer"],
            committee=built.committee,
            member=built.chair,
            data={"user": users["analyst"]},
        )
    assert "user" in error.value.error_dict


def _more_meetings(officer, committee, n):
    for number in range(n):
        meeting = services.meeting_save(
            user=officer,
            committee=committee,
            data={
                "starts_at": datetime.datetime(2025, 1, 1 + number, 10, tzinfo=datetime.UTC),
                "venue": "City Hall",
                "status": "held",
            },
        )
        item = services.agenda_item_save(
            user=officer, meeting=meeting, data={"number": 1, "title": "Item"}
        )
        paper = services.paper_save(user=officer, item=item, data={"title": "P", "body": "x"})
        services.paper_publish(user=officer, paper=paper)
        services.meeting_publish(user=officer, meeting=meeting)
        services.action_save(user=officer, meeting=meeting, data={"text": "Do it", "item": item})


LIST_PAGES = [
    "/scrutiny/",
    "/scrutiny/police-and-crime-committee/",
    "/scrutiny/police-and-crime-committee/actions/",
    "/scrutiny/police-and-crime-committee/papers.atom",
    "/scrutiny/police-and-crime-committee/meetings.ics",
]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_take_the_same_queries_however_many_meetings(
    client, users, built, url, django_assert_max_num_queries
):
    client.get(url)  # warm: the office, sessions
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _more_meetings(
        users["policy_officer"], Committee.objects.get(slug="police-and-crime-committee"), 6
    )
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_the_staff_meeting_page_takes_fixed_queries(
    client, users, built, django_assert_max_num_queries
):
    client.force_login(users["committee_member"])
    url = f"/staff/scrutiny/meetings/{built.past.pk}/"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    officer = users["policy_officer"]
    for number in range(3, 9):
        item = services.agenda_item_save(
            user=officer, meeting=built.past, data={"number": number, "title": f"Item {number}"}
        )
        services.paper_save(user=officer, item=item, data={"title": "P", "body": "x"})
        services.action_save(user=officer, meeting=built.past, data={"text": "x", "item": item})
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "title", ["Budget\r\nBcc: x@example.org", "Budget\nreport", "Bud\u202eget"]
)
def test_a_paper_title_on_more_than_one_line_or_with_a_direction_override_is_refused(
    client, users, built, title
):
    client.force_login(users["policy_officer"])
    before = Paper.objects.count()
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/items/{built.item.pk}/papers/add/",
        {"title": title, "body_format": "markdown", "body": "Text", "order": "0"},
    )
    assert response.status_code == 200
    assert 'href="#id_title"' in response.text
    assert "Title must be on one line" in response.text
    assert Paper.objects.count() == before


def test_a_body_name_or_meeting_title_with_a_line_break_is_refused(client, users, built):
    client.force_login(users["policy_officer"])
    body = client.post(
        "/staff/scrutiny/new/",
        {"name": "Panel\nBcc: x@example.org", "slug": "panel", "kind": "panel"},
    )
    assert "Name must be on one line" in body.text and 'href="#id_name"' in body.text
    meeting = client.post(
        f"/staff/scrutiny/{built.committee.pk}/meetings/add/",
        {
            "title": "Budget\r\nsession",
            "starts_at_date_day": "29",
            "starts_at_date_month": "10",
            "starts_at_date_year": "2026",
            "starts_at_time": "10:00",
            "status": "scheduled",
            "venue": "City Hall\nKamal Chunchie Way",
        },
    )
    assert "Title must be on one line" in meeting.text and 'href="#id_title"' in meeting.text
    # The venue is an address: its lines are allowed.
    assert "Venue address must be" not in meeting.text
    assert not Committee.objects.filter(slug="panel").exists()


def test_the_staff_body_page_words_a_missing_account_and_cuts_link_text_at_a_word(
    client, users, built
):
    services.minutes_save(
        user=users["policy_officer"],
        meeting=built.past,
        text="ACTION: MOPAC to write to the committee about stop and search within the time agreed",
    )
    client.force_login(users["policy_officer"])
    page = client.get(f"/staff/scrutiny/{built.committee.pk}/").text
    # Ann Lee has no staff account linked.
    assert "No staff account linked" in page
    assert ">None<" not in page
    # The proposed action is 83 characters: its link text stops at a whole word.
    assert "the action: Write to the committee about stop and search within the…</span>" in page


@pytest.mark.parametrize("slug", ["decisions", "recommendations", "alerts"])
def test_a_body_cannot_take_an_address_the_office_s_own_pages_use(client, users, slug):
    client.force_login(users["policy_officer"])
    response = client.post(
        "/staff/scrutiny/new/",
        {"name": "Police and Crime Committee", "slug": slug, "kind": "committee"},
    )
    assert response.status_code == 200
    assert "Choose another web address name" in response.text
    assert 'href="#id_slug"' in response.text
    assert not Committee.objects.filter(slug=slug).exists()
