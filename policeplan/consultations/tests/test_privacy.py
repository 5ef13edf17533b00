"""Retention, subject access, equality reports and written submissions."""

from __future__ import annotations

import datetime
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from policeplan.consultations import equality, services
from policeplan.consultations.models import (
    Answer,
    EqualityRecord,
    Registration,
    RespondentContact,
    Response,
)
from policeplan.consultations.tests.test_respond import answer_everything


def sent(client, consultation, email="sam@example.org"):
    base = answer_everything(client, consultation, email=email)
    client.post(f"{base}/check/", {"token": str(Response.objects.latest("pk").token)})
    return Response.objects.latest("pk")


def test_the_retention_job_erases_personal_details_and_keeps_answers(client, consultation):
    response = sent(client, consultation)
    services.registration_create(
        event=services.event_save(
            user=consultation.created_by,
            consultation=consultation,
            data={
                "kind": "online_workshop",
                "title": "Online workshop",
                "online_link": "https://meet.example/abc",
                "starts_at": timezone.now() + datetime.timedelta(days=1),
                "ends_at": timezone.now() + datetime.timedelta(days=1, hours=1),
                "capacity": 10,
                "public_registration": True,
            },
        ),
        name="Ada Lovelace",
        email="ada@example.org",
        access_needs="Captions",
    )
    answers = Answer.objects.count()
    # Not yet due: nothing happens.
    call_command("consultations_retention", stdout=io.StringIO())
    assert RespondentContact.objects.count() == 1
    consultation.retain_until = timezone.localdate() - datetime.timedelta(days=1)
    consultation.save()
    out = io.StringIO()
    call_command("consultations_retention", stdout=out)
    assert "Have your say on the draft plan" in out.getvalue()
    assert not RespondentContact.objects.exists()
    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.access_needs) == ("", "", "")
    assert Answer.objects.count() == answers  # what people said stays for analysis
    response.refresh_from_db()
    assert response.reference and response.status == "submitted"
    consultation.refresh_from_db()
    assert consultation.personal_details_erased_at is not None


def test_staff_with_the_right_can_export_everything_about_one_respondent(
    client, consultation, users
):
    response = sent(client, consultation)
    client.force_login(users["policy_officer"])
    url = f"/staff/consultations/{consultation.pk}/responses/{response.pk}/everything.json"
    data = json.loads(client.get(url).content)
    assert data["reference"] == response.reference
    assert data["contact"]["email"] == "sam@example.org"
    assert data["equality_monitoring"] == {"age": "25_34", "sex": "female"}
    assert any(a["answer"] == "More patrols near schools, please." for a in data["answers"])
    client.force_login(users["analyst"])
    assert client.get(url).status_code == 403
    page = client.get(f"/staff/consultations/{consultation.pk}/responses/{response.pk}/")
    assert "More patrols near schools" in page.text and "sam@example.org" not in page.text


def test_equality_counts_withhold_small_cells_and_their_neighbour():
    records = [{"sex": "female"}] * 30 + [{"sex": "male"}] * 12 + [{"sex": "prefer_not_to_say"}] * 3
    table = next(t for t in equality.tables(records, min_cell=10) if t.key == "sex")
    shown = {c.label: c.count for c in table.cells}
    # 3 is withheld, and so is the next smallest (12), so 3 cannot be worked out from 45.
    assert shown == {"Female": 30, "Male": None, "Prefer not to say": None}
    few = next(t for t in equality.tables([{"age": "16_24"}] * 4, min_cell=10) if t.key == "age")
    assert all(c.count in (None, 0) for c in few.cells)


def test_the_equality_page_never_shows_one_persons_answers(client, consultation, users):
    sent(client, consultation)
    assert EqualityRecord.objects.count() == 1
    client.force_login(users["analyst"])
    page = client.get(f"/staff/consultations/{consultation.pk}/equality/")
    assert "fewer than 10" in page.text
    assert ">1<" not in page.text


EML = b"""From: Jo Bloggs <jo@example.org>
To: consult@mopac.example
Subject: Response to the draft plan
Date: Tue, 10 Nov 2026 09:30:00 +0000
Content-Type: text/plain; charset=utf-8

I want more officers on the streets of Croydon at night.
"""


def test_a_letter_by_email_is_logged_with_its_text_and_counts_by_channel(
    client, consultation, users
):
    client.force_login(users["policy_officer"])
    page = client.post(
        f"/staff/consultations/{consultation.pk}/submissions/add/",
        {"channel": "email", "upload": SimpleUploadedFile("letter.eml", EML)},
        follow=True,
    )
    assert "I want more officers on the streets of Croydon at night." in page.text
    response = Response.objects.get()
    assert response.channel == "email" and response.received_on == datetime.date(2026, 11, 10)
    assert response.contact.email == "jo@example.org" and response.contact.name == "Jo Bloggs"
    public = client.get(f"/consultations/{consultation.slug}/")
    assert "Email" in public.text and "<strong>1</strong>" in public.text


def test_pdf_and_word_letters_give_their_text(client, consultation, users):
    from docx import Document

    from policeplan.plans.demo.pdf import text_pdf

    word = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Street lighting in Lewisham needs fixing.")
    doc.save(word)
    pdf = text_pdf(["Please fund youth clubs in Brent."], title="Letter")
    client.force_login(users["policy_officer"])
    for name, data, expected in [
        ("letter.docx", word.getvalue(), "Street lighting in Lewisham needs fixing."),
        ("letter.pdf", pdf, "Please fund youth clubs in Brent."),
    ]:
        client.post(
            f"/staff/consultations/{consultation.pk}/submissions/add/",
            {"channel": "letter", "upload": SimpleUploadedFile(name, data)},
        )
        assert expected in Response.objects.latest("pk").body


def test_an_unreadable_file_is_a_clear_error_and_nothing_is_stored(client, consultation, users):
    client.force_login(users["policy_officer"])
    page = client.post(
        f"/staff/consultations/{consultation.pk}/submissions/add/",
        {"channel": "letter", "upload": SimpleUploadedFile("letter.pdf", b"not a pdf at all")},
    )
    assert "letter.pdf: it is not a readable PDF" in page.text
    wrong = client.post(
        f"/staff/consultations/{consultation.pk}/submissions/add/",
        {"channel": "letter", "upload": SimpleUploadedFile("letter.exe", b"MZ")},
    )
    assert "letter.exe: choose a .eml, .txt, .pdf or .docx file" in wrong.text
    assert not Response.objects.exists()


def test_a_letter_logged_with_a_day_only_says_the_day_it_came_not_a_made_up_time(
    client, consultation, users
):
    client.force_login(users["policy_officer"])
    client.post(
        f"/staff/consultations/{consultation.pk}/submissions/add/",
        {
            "channel": "letter",
            "received_on_day": "3",
            "received_on_month": "11",
            "received_on_year": "2026",
            "text": "Please light the path by the park.",
        },
    )
    letter = Response.objects.get()
    assert letter.received_on == datetime.date(2026, 11, 3)
    page = client.get(f"/staff/consultations/{consultation.pk}/responses/{letter.pk}/").text
    received = page.split("Received")[1].split("</dd>")[0]
    assert "3 November 2026" in received
    assert "midday" not in received and "pm" not in received
