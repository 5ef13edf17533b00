"""Staff build a consultation through the forms, read the dashboard and export responses."""

from __future__ import annotations

import io
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from policeplan.consultations import selectors, services
from policeplan.consultations.models import Consultation, Question
from policeplan.plans.models import PlanVersion, VersionState


def test_a_policy_officer_builds_and_publishes_a_consultation_with_the_forms(client, demo, users):
    client.force_login(users["policy_officer"])
    draft = PlanVersion.objects.get(state=VersionState.CONSULTATION)
    form = {
        "title": "Our draft plan",
        "plan_version": draft.pk,
        "summary": "Tell us.",
        "opens_at_date_day": "1",
        "opens_at_date_month": "12",
        "opens_at_date_year": "2030",
        "opens_at_time": "09:00",
        "closes_at_date_day": "1",
        "closes_at_date_month": "11",
        "closes_at_date_year": "2030",
        "closes_at_time": "25:00",
        "privacy_notice": "We keep it safe.",
        "retain_until_day": "31",
        "retain_until_month": "3",
        "retain_until_year": "2032",
    }
    page = client.post("/staff/consultations/new/", form)
    assert "Enter a time like 09:30 or 18:00" in page.text
    page = client.post("/staff/consultations/new/", {**form, "closes_at_time": "17:00"})
    assert "The closing date must be after the opening date" in page.text
    assert not Consultation.objects.exists()
    created = client.post(
        "/staff/consultations/new/",
        {**form, "closes_at_date_year": "2031", "closes_at_time": "17:00"},
    )
    consultation = Consultation.objects.get()
    assert consultation.slug == "our-draft-plan"
    assert created["Location"] == f"/staff/consultations/{consultation.pk}/"
    assert consultation.opens_at.hour == 9  # 09:00 in London is 09:00 GMT in December
    refused = client.post(f"/staff/consultations/{consultation.pk}/publish/", follow=True)
    assert "Add at least one section with a question" in refused.text
    client.post(f"/staff/consultations/{consultation.pk}/sections/add/", {"title": "Your views"})
    section = consultation.sections.get()
    url = f"/staff/consultations/{consultation.pk}/questions/add/?section={section.pk}"
    page = client.post(url, {"kind": "single", "text": "Pick one", "options": "Only one"})
    assert "Enter at least two answers to choose from" in page.text
    client.post(url, {"kind": "single", "text": "Pick one", "options": "Yes\nNo"})
    assert Question.objects.get().options == ["Yes", "No"]
    client.post(f"/staff/consultations/{consultation.pk}/publish/")
    consultation.refresh_from_db()
    assert consultation.published_at is not None
    assert "Our draft plan" in client.get("/consultations/").text  # forthcoming, on the hub


def test_adding_a_question_to_a_section_that_is_not_a_number_is_not_found(
    client, consultation, users
):
    # Found by the POST walk (tests/test_every_url_every_role.py): it was a server error.
    client.force_login(users["policy_officer"])
    base = f"/staff/consultations/{consultation.pk}/questions/add/"
    for section in ["1%00", "abc", "-1", ""]:
        assert client.post(f"{base}?section={section}", {"text": "Q"}).status_code == 404
        assert client.get(f"{base}?section={section}").status_code == 404
    assert not consultation.sections.filter(questions__text="Q").exists()


def test_the_questionnaire_locks_once_people_start_answering(consultation, users):
    services.response_start(consultation=consultation)
    section = consultation.sections.first()
    try:
        services.section_save(
            user=users["policy_officer"], consultation=consultation, data={"title": "Late"}
        )
    except services.QuestionnaireLocked as error:
        assert "can no longer change" in str(error)
    else:
        raise AssertionError("the questionnaire should be locked")
    assert section.questions.count() == 3


def _add_responses(consultation, n):
    ctx = selectors.question_context(consultation=consultation)
    free = Question.objects.get(section__consultation=consultation, kind="free_text")
    borough = Question.objects.get(section__consultation=consultation, kind="borough")
    kind = Question.objects.get(section__consultation=consultation, kind="respondent_type")
    for i in range(n):
        text = '=HYPERLINK("http://evil.example")' if i == 0 else f"Comment {i}"
        services.response_submit_complete(
            consultation=consultation,
            token=uuid.uuid4(),
            answers={
                free: (text, text),
                borough: ("E09000008", ctx.boroughs["E09000008"]),
                kind: ({"type": "individual", "organisation": ""}, "As an individual"),
            },
            consent="no",
            email=f"p{i}@example.org",
        )


def test_the_responses_page_makes_the_same_queries_however_many_responses(
    client, consultation, users
):
    client.force_login(users["analyst"])
    url = f"/staff/consultations/{consultation.pk}/responses/"
    _add_responses(consultation, 3)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert "Croydon" in page.text and "Comment 2" not in page.text
    _add_responses(consultation, 30)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert ">33<" in page.text.replace("</strong>", "<").replace("<strong>", ">")
    assert len(many) == len(few)
    found = client.get(url, {"q": "Comment 2"})
    # "Comment 2" from the first three, and Comment 2 and 20 to 29 from the thirty.
    assert "12 responses found" in found.text


def test_exports_have_every_answer_and_no_formula_or_personal_detail(client, consultation, users):
    _add_responses(consultation, 2)
    client.force_login(users["analyst"])
    csv = client.get(f"/staff/consultations/{consultation.pk}/responses/export.csv")
    assert csv["Content-Disposition"].endswith('.csv"')
    text = csv.content.decode()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert "example.org" not in text and "Croydon" in text
    xlsx = client.get(f"/staff/consultations/{consultation.pk}/responses/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference" and "What should the plan do differently?" in rows[0]
    cells = [c for row in rows[1:] for c in row if isinstance(c, str)]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not any(c.startswith("=") for c in cells)
    assert len(rows) == 3


def test_exports_and_the_response_page_give_one_column_per_priority_in_words(
    client, consultation, users
):
    """A person reads the download: each priority's agreement and rank in its own column,
    "Don’t know" rather than `dont_know`; the staff response page says the same."""
    import csv as csvlib

    ctx = selectors.question_context(consultation=consultation)
    first, second = ctx.priorities[:2]
    scale = Question.objects.get(section__consultation=consultation, kind="priority_scale")
    rank = Question.objects.get(section__consultation=consultation, kind="priority_ranking")
    order = [second.lineage, first.lineage, *[p.lineage for p in ctx.priorities[2:]]]
    response, _ = services.response_submit_complete(
        consultation=consultation,
        token=uuid.uuid4(),
        # Stored as an import or an older version stored it: codes in the text too.
        answers={
            scale: ({first.lineage: "dont_know", second.lineage: "strongly_agree"}, "codes"),
            rank: (order, "; ".join(order)),
        },
        consent="no",
        required=[],
    )
    client.force_login(users["analyst"])
    download = client.get(f"/staff/consultations/{consultation.pk}/responses/export.csv")
    header, row = list(csvlib.reader(io.StringIO(download.content.decode())))[:2]
    cell = dict(zip(header, row, strict=True))
    assert cell[f"{scale.text}: {first.title}"] == "Don’t know"
    assert cell[f"{scale.text}: {second.title}"] == "Strongly agree"
    assert cell[f"{rank.text}: {second.title} (1 = most important)"] == "1"
    assert cell[f"{rank.text}: {first.title} (1 = most important)"] == "2"
    assert "dont_know" not in download.content.decode()
    page = client.get(f"/staff/consultations/{consultation.pk}/responses/{response.pk}/").text
    assert f"{scale.text}: {first.title}" in page and "Don’t know" in page
    assert "dont_know" not in page and "strongly_agree" not in page


def test_staff_add_an_event_with_the_form_and_raising_places_moves_people_up(
    client, consultation, users
):
    from policeplan.consultations.models import Event, Registration

    client.force_login(users["policy_officer"])
    form = {
        "kind": "town_hall",
        "title": "Croydon town-hall meeting",
        "borough_code": "E09000008",
        "venue": "Braithwaite Hall, Croydon",
        "starts_at_date_day": "3",
        "starts_at_date_month": "6",
        "starts_at_date_year": "2031",
        "starts_at_time": "18:30",
        "ends_at_date_day": "3",
        "ends_at_date_month": "6",
        "ends_at_date_year": "2031",
        "ends_at_time": "20:30",
        "capacity": "1",
        "public_registration": "on",
    }
    url = f"/staff/consultations/{consultation.pk}/events/add/"
    page = client.post(url, {**form, "venue": ""})
    assert "Enter the venue, or an online link for online events" in page.text
    client.post(url, form)
    event = Event.objects.get()
    assert event.starts_at.hour == 17  # 18:30 in London in June is 17:30 UTC
    assert event.public_registration and event.capacity == 1
    for name in ("Ada", "Ben"):
        services.registration_create(event=event, name=name, email=f"{name}@example.org")
    assert Registration.objects.filter(status="waiting").count() == 1
    client.post(
        f"/staff/consultations/{consultation.pk}/events/{event.pk}/edit/", {**form, "capacity": "2"}
    )
    assert Registration.objects.filter(status="confirmed").count() == 2
    page = client.get(f"/staff/consultations/{consultation.pk}/events/{event.pk}/edit/")
    assert 'value="18:30"' in page.text and "Braithwaite Hall" in page.text


def test_sections_and_questions_move_up_and_down_until_people_answer(client, consultation, users):
    client.force_login(users["policy_officer"])
    section = consultation.sections.order_by("order").first()
    first, second = list(section.questions.order_by("order", "pk"))[:2]
    page = client.get(f"/staff/consultations/{consultation.pk}/")
    assert 'Move down<span class="govuk-visually-hidden"> question ' + first.text in page.text
    url = f"/staff/consultations/{consultation.pk}/questions/{second.pk}/move/"
    client.post(url, {"direction": "up"})
    assert list(section.questions.order_by("order", "pk"))[:2] == [second, first]
    later = consultation.sections.order_by("order").last()
    client.post(
        f"/staff/consultations/{consultation.pk}/sections/{later.pk}/move/", {"direction": "up"}
    )
    assert consultation.sections.order_by("order").first() == later
    services.response_start(consultation=consultation)
    refused = client.post(url, {"direction": "down"}, follow=True)
    assert "can no longer change" in refused.text
    assert list(section.questions.order_by("order", "pk"))[:2] == [second, first]


def test_staff_tables_give_dates_the_short_gov_uk_way(client, consultation, users):
    import datetime

    from django.utils import timezone

    london = timezone.get_current_timezone()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=datetime.datetime(2026, 9, 1, 9, 0, tzinfo=london),
        closes_at=datetime.datetime(2026, 12, 1, 17, 0, tzinfo=london),
    )
    client.force_login(users["policy_officer"])
    html = client.get("/staff/consultations/").text
    assert '<td class="govuk-table__cell">1 Sept 2026 to 1 Dec 2026</td>' in html
    services.submission_add(
        user=users["policy_officer"],
        consultation=consultation,
        channel="letter",
        received_on=datetime.date(2026, 11, 3),
        text="Light the park path.",
    )
    html = client.get(f"/staff/consultations/{consultation.pk}/responses/").text
    assert '<td class="govuk-table__cell">3 Nov 2026</td>' in html
    version = consultation.plan_version
    version.__class__.objects.filter(pk=version.pk).update(
        modified_at=datetime.datetime(2026, 12, 1, 18, 30, tzinfo=london)
    )
    html = client.get("/staff/").text
    assert '<td class="govuk-table__cell">1 Dec 2026, 6:30pm</td>' in html


def test_responses_over_time_has_one_bar_and_one_row_a_week(client, consultation, users):
    import datetime
    import re

    for day in (2, 5, 18):  # Monday 2 and Thursday 5 November, then Wednesday 18 November
        services.submission_add(
            user=users["policy_officer"],
            consultation=consultation,
            channel="letter",
            received_on=datetime.date(2026, 11, day),
            text="More patrols, please.",
        )
    client.force_login(users["analyst"])
    html = client.get(f"/staff/consultations/{consultation.pk}/responses/").text
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">(Week beginning [^<]+)</th>'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
        html,
    )
    assert rows == [
        ("Week beginning 2 November 2026", "2"),
        ("Week beginning 9 November 2026", "0"),
        ("Week beginning 16 November 2026", "1"),
    ]
    chart = html.split('<div class="app-chart__static">')[1].split("</figure>")[0]
    assert chart.count('aria-roledescription="bar"') == 3  # one bar a week, not one a day
    for label, _ in rows:
        assert f">{label}</text>" in chart
