"""Answering the questionnaire page by page, as a member of the public does."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from policeplan.consultations.models import Answer, Question, Response, ResponseStatus

BARNET = "E09000003"


def q(consultation, kind):
    return Question.objects.get(section__consultation=consultation, kind=kind)


def about_you(consultation, **extra):
    return {
        f"q{q(consultation, 'respondent_type').pk}": "individual",
        f"q{q(consultation, 'borough').pk}": BARNET,
        f"q{q(consultation, 'postcode_district').pk}": "en5",
        **extra,
    }


def priorities_page(consultation, text="More patrols near schools, please.", **extra):
    scale = q(consultation, "priority_scale").pk
    rank = q(consultation, "priority_ranking").pk
    count = consultation.plan_version.priorities.count()
    data = {f"q{scale}_1": "agree", f"q{q(consultation, 'free_text').pk}": text}
    data.update({f"q{rank}_{i}": str(count + 1 - i) for i in range(1, count + 1)})
    data.update(extra)
    return data


def answer_everything(client, consultation, email=""):
    base = f"/consultations/{consultation.slug}/respond"
    assert client.post(f"{base}/1/", about_you(consultation)).status_code == 302
    assert client.post(f"{base}/2/", priorities_page(consultation)).status_code == 302
    about = {"consent": "anonymous", "name": "Sam Respondent", "email": email}
    assert client.post(f"{base}/about-you/", about).status_code == 302
    assert client.post(f"{base}/equality/", {"age": "25_34", "sex": "female"}).status_code == 302
    return base


def test_a_multiple_choice_question_shows_checkboxes(client, consultation):
    client.get(f"/consultations/{consultation.slug}/respond/")
    page = client.get(f"/consultations/{consultation.slug}/respond/2/").text
    question = page.split("Which of these matter most to you?", 1)[1]
    assert question.count('type="checkbox"') >= 3 and "govuk-checkboxes" in question


def test_a_person_answers_every_page_checks_and_gets_a_reference(
    client, consultation, django_capture_on_commit_callbacks
):
    base = answer_everything(client, consultation, email="sam@example.org")
    check = client.get(f"{base}/check/")
    assert "Check your answers before sending your response" in check.text
    assert "Barnet" in check.text and "EN5" in check.text
    assert "More patrols near schools, please." in check.text
    response = Response.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"{base}/check/", {"token": str(response.token)}, follow=True)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.reference in sent.text and "Response sent" in sent.text
    assert response.borough_code == BARNET and response.postcode_district == "EN5"
    ranking = Answer.objects.get(response=response, question__kind="priority_ranking")
    last = consultation.plan_version.priorities.order_by("order").last()
    assert ranking.value[0] == str(last.lineage)  # ranked 1
    assert response.equality.data == {"age": "25_34", "sex": "female"}
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert response.reference in mail.outbox[0].body
    # The public count goes up.
    assert (
        "<strong>1</strong> person has responded"
        in client.get(f"/consultations/{consultation.slug}/").text
    )


def test_sending_twice_a_double_click_or_a_retry_makes_one_response(client, consultation):
    base = answer_everything(client, consultation)
    token = str(Response.objects.get().token)
    first = client.post(f"{base}/check/", {"token": token})
    reference = Response.objects.get().reference
    again = client.post(f"{base}/check/", {"token": token}, follow=True)
    assert first.status_code == 302
    assert Response.objects.count() == 1
    # The retry finds the response already sent and shows the same reference.
    assert reference in client.get(f"{base}/sent/").text
    assert again.status_code == 200


def test_errors_use_the_govuk_pattern_and_nothing_is_saved(client, consultation):
    base = f"/consultations/{consultation.slug}/respond"
    page = client.post(f"{base}/1/", {f"q{q(consultation, 'borough').pk}": "E99999999"})
    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert "Select an answer to ‘Are you responding as an individual?’" in page.text
    assert "Choose a borough from the list" in page.text
    assert page.text.count('class="govuk-error-message"') >= 2
    assert "<title>Error:" in page.text
    client.post(f"{base}/1/", about_you(consultation))
    too_long = client.post(f"{base}/2/", priorities_page(consultation, text="x" * 101))
    assert "must be 100 characters or fewer" in too_long.text
    bad_choice = client.post(
        f"{base}/2/",
        priorities_page(consultation, **{f"q{q(consultation, 'multiple').pk}": ["Hacking"]}),
    )
    assert "Select only the answers listed" in bad_choice.text
    assert not Answer.objects.filter(question__section__order=1).exists()


def test_required_questions_must_be_answered_before_sending(client, consultation):
    base = f"/consultations/{consultation.slug}/respond"
    client.post(f"{base}/1/", about_you(consultation))
    # Skip straight to checking without the priorities page.
    page = client.post(f"{base}/check/", {"token": str(Response.objects.get().token)})
    assert "Answer ‘What should the plan do differently?’" in page.text
    assert Response.objects.get().status == ResponseStatus.IN_PROGRESS


def test_save_and_come_back_later_with_a_code(client, consultation):
    base = f"/consultations/{consultation.slug}/respond"
    saved = client.post(
        f"{base}/1/", {**about_you(consultation), "save_for_later": "1"}, follow=True
    )
    assert "Your answers are saved" in saved.text
    code = client.session[f"consultation-code:{consultation.pk}"]
    assert code in saved.text
    client.cookies.clear()  # another day, another browser
    assert client.get(f"{base}/check/").status_code == 302  # nothing to check without the code
    wrong = client.post("/consultations/continue/", {"code": "AAAA-AAAA"})
    assert "We could not find a saved response with that code" in wrong.text
    back = client.post(
        "/consultations/continue/", {"code": code.lower().replace("-", " ")}, follow=True
    )
    # They carry on where they stopped: the first section they have not answered.
    assert back.redirect_chain[-1][0] == f"{base}/2/"
    assert "section 2 of" in back.text
    # Answers show again when changing them.
    page = client.get(f"{base}/1/?change=1")
    assert 'value="E09000003" selected' in page.text
    # With every section answered, the code leads to checking the answers.
    client.post(f"{base}/2/", {**priorities_page(consultation), "save_for_later": "1"})
    code = client.session[f"consultation-code:{consultation.pk}"]
    client.cookies.clear()
    back = client.post("/consultations/continue/", {"code": code})
    assert back["Location"] == f"{base}/check/"
    assert "Barnet" in client.get(f"{base}/check/").text


def test_a_closed_consultation_refuses_new_responses_with_a_clear_page(client, consultation):
    base = answer_everything(client, consultation)
    token = str(Response.objects.get().token)
    consultation.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    consultation.opens_at = timezone.now() - datetime.timedelta(days=2)
    consultation.save()
    page = client.post(f"{base}/check/", {"token": token})
    assert "This consultation has closed" in page.text
    assert client.get(f"{base}/1/").status_code == 200
    assert "This consultation has closed" in client.get(f"{base}/").text
    assert Response.objects.get().status == ResponseStatus.IN_PROGRESS


def test_the_honeypot_field_turns_software_away(client, consultation):
    page = client.post(
        f"/consultations/{consultation.slug}/respond/1/",
        {**about_you(consultation), "website": "http://spam.example"},
    )
    assert page.status_code == 400
    assert Response.objects.count() == 0


@pytest.mark.parametrize("limit", [2])
def test_too_many_submissions_from_one_client_are_turned_away(client, one_page, settings, limit):
    settings.SUBMISSION_RATE_LIMIT = limit
    from django.core.cache import caches

    caches["shared"].clear()  # where the limit counts
    statuses = []
    for _ in range(limit + 1):
        form = client.get(f"/consultations/{one_page.slug}/respond/")
        statuses.append(
            client.post(
                f"/consultations/{one_page.slug}/respond/",
                {**one_page_answers(one_page), "token": token_of(form)},
            ).status_code
        )
    assert statuses == [200] * limit + [429]
    assert Response.objects.count() == limit


def token_of(page):
    import re

    return re.search(r'name="token" value="([^"]+)"', page.text).group(1)


def one_page_answers(consultation):
    return {
        **about_you(consultation),
        **priorities_page(consultation),
        "about-consent": "no",
    }


def test_the_one_page_questionnaire_is_idempotent_by_its_token(client, one_page):
    form = client.get(f"/consultations/{one_page.slug}/respond/")
    assert "Send my response" in form.text
    data = {**one_page_answers(one_page), "token": token_of(form)}
    first = client.post(f"/consultations/{one_page.slug}/respond/", data)
    retry = client.post(f"/consultations/{one_page.slug}/respond/", data)
    reference = Response.objects.get().reference
    assert "Response sent" in first.text and reference in first.text
    assert reference in retry.text  # the retry shows the same reference
    assert Response.objects.filter(status="submitted").count() == 1
    forged = {**data, "token": "not-signed"}
    page = client.post(f"/consultations/{one_page.slug}/respond/", forged)
    assert "This page was open too long" in page.text
    assert Response.objects.count() == 1


def test_withdrawing_a_response_by_its_reference(client, consultation):
    base = answer_everything(client, consultation, email="sam@example.org")
    client.post(f"{base}/check/", {"token": str(Response.objects.get().token)})
    response = Response.objects.get()
    confirm = client.post(
        "/consultations/withdraw/",
        {"reference": response.reference.lower(), "email": " Sam@Example.org "},
    )
    assert "Are you sure you want to withdraw this response?" in confirm.text
    done = client.post(
        "/consultations/withdraw/",
        {"reference": response.reference, "email": "sam@example.org", "confirm": "yes"},
    )
    assert "Response withdrawn" in done.text
    response.refresh_from_db()
    assert response.status == ResponseStatus.WITHDRAWN
    assert not response.answers.exists()
    from policeplan.consultations.models import EqualityRecord, RespondentContact

    assert not RespondentContact.objects.exists() and not EqualityRecord.objects.exists()
    unknown = client.post(
        "/consultations/withdraw/", {"reference": "PCP-ZZZZ-ZZZZ", "email": "sam@example.org"}
    )
    assert "We could not find a response with that reference and email address" in unknown.text


def test_the_cached_questionnaire_gives_each_visitor_their_own_tokens(client, one_page, users):
    import re

    from django.test import Client

    from policeplan.consultations import services

    url = f"/consultations/{one_page.slug}/respond/"
    first, second = client.get(url), Client(enforce_csrf_checks=True).get(url)
    assert token_of(first) != token_of(second)
    nonces = [re.search(r'nonce="([^"]+)"', p.text).group(1) for p in (first, second)]
    assert nonces[0] != nonces[1] and "\x00" not in second.text
    # The second visitor's page, served from the cache, still passes the CSRF check.
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    sent = visitor.post(
        url, {**one_page_answers(one_page), "token": token_of(page), "csrfmiddlewaretoken": csrf}
    )
    assert "Response sent" in sent.text
    # A question changed before anyone answers shows at once (the structure is re-read).
    fresh = build_fresh(users)
    section = fresh.sections.first()
    assert "A question added later" not in client.get(f"/consultations/{fresh.slug}/respond/").text
    services.question_save(
        user=users["policy_officer"],
        section=section,
        data={"kind": "free_text", "text": "A question added later"},
    )
    assert "A question added later" in client.get(f"/consultations/{fresh.slug}/respond/").text


def build_fresh(users):
    from policeplan.consultations.tests.conftest import build

    consultation = build(users["policy_officer"], slug="fresh", one_page=True)
    return consultation


def test_the_save_code_says_the_date_it_really_stops_working(client, consultation):
    from policeplan.core import dates

    base = f"/consultations/{consultation.slug}/respond"
    saved = client.post(
        f"{base}/1/", {**about_you(consultation), "save_for_later": "1"}, follow=True
    )
    expires = Response.objects.get().resume_expires_at
    assert expires < consultation.closes_at  # 28 days, and the consultation runs for 30
    assert f"The code works until {dates.at(expires)} (28 days from now)" in saved.text
    consultation.closes_at = timezone.now() + datetime.timedelta(days=3)
    consultation.save()
    again = client.get(f"{base}/saved/")
    assert f"until {dates.at(consultation.closes_at)}, when the consultation closes" in again.text


def test_a_form_page_with_errors_says_error_once_in_its_title(client, consultation):
    event_form = client.post("/consultations/withdraw/", {"reference": "", "contact": ""})
    title = event_form.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Error: ") and "Error: Error:" not in title
