"""Withdrawing a response needs more than its reference when the respondent gave an email
address, and says nothing about which of the two was wrong; cancellation links come from a
secure random source, in the demo too."""

from __future__ import annotations

import hmac
import re

import pytest

from policeplan.consultations import services as consult
from policeplan.consultations.models import ResponseStatus
from policeplan.consultations.tests.conftest import consultation, one_page  # noqa: F401
from policeplan.core.roles import Role

pytestmark = pytest.mark.django_db
URL = "/consultations/withdraw/"


@pytest.fixture
def letters(consultation, users):  # noqa: F811
    officer = users[Role.POLICY_OFFICER]
    with_email = consult.submission_add(
        user=officer,
        consultation=consultation,
        channel="email",
        text="Please keep the front counter open.",
        email="sam@example.org",
    )
    without = consult.submission_add(
        user=officer, consultation=consultation, channel="letter", text="More patrols please."
    )
    return with_email, without


def _error(page: str) -> str:
    found = re.search(
        r'<p id="id_reference-error" class="govuk-error-message">(.*?)</p>', page, re.S
    )
    assert found, "no error on the reference"
    return " ".join(found.group(1).split())


def test_someone_who_knows_only_the_reference_cannot_withdraw_a_response(client, letters):
    response, _ = letters
    for data in [
        {"reference": response.reference},
        {"reference": response.reference, "confirm": "yes"},
        {"reference": response.reference, "email": "mallory@example.org", "confirm": "yes"},
    ]:
        page = client.post(URL, data)
        assert "Are you sure" not in page.text and "Response withdrawn" not in page.text
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED and response.body


def test_the_same_message_whether_the_reference_exists_or_the_email_is_wrong(client, letters):
    response, _ = letters
    wrong_email = _error(client.post(URL, {"reference": response.reference, "email": "x@y.z"}).text)
    wrong_code = _error(
        client.post(URL, {"reference": letters[1].reference, "email": "AAAA-BBBB-CCCC"}).text
    )
    unknown = _error(client.post(URL, {"reference": "PCP-ZZZZ-ZZZZ", "email": "x@y.z"}).text)
    assert wrong_email == wrong_code == unknown
    assert "reference and email address or withdrawal code" in unknown
    # Neither may be left out, whatever the reference.
    empty = client.post(URL, {"reference": response.reference}).text
    assert "Enter the email address you gave, or your withdrawal code" in empty


def test_the_email_is_compared_in_constant_time_even_for_an_unknown_reference(
    client, letters, monkeypatch
):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client.post(URL, {"reference": "PCP-ZZZZ-ZZZZ", "email": "x@y.z"})
    client.post(URL, {"reference": letters[0].reference, "email": "x@y.z"})
    assert len(calls) == 2


def test_the_respondent_withdraws_with_reference_and_email(client, letters):
    response, _ = letters
    data = {"reference": response.reference, "email": "SAM@example.org"}
    assert "Are you sure you want to withdraw" in client.post(URL, data).text
    assert "Response withdrawn" in client.post(URL, {**data, "confirm": "yes"}).text
    response.refresh_from_db()
    assert response.status == ResponseStatus.WITHDRAWN and response.body == ""


def test_a_response_given_without_an_email_is_not_withdrawn_by_its_reference_alone(client, letters):
    """References are shown to analysts and in every export: knowing one must not be enough
    to delete a letter for good."""
    _, without = letters
    for data in [
        {"reference": without.reference, "confirm": "yes"},
        {"reference": without.reference, "email": "", "confirm": "yes"},
        {"reference": without.reference, "email": "x@y.z", "confirm": "yes"},
        {"reference": without.reference, "email": "AAAA-BBBB-CCCC", "confirm": "yes"},
    ]:
        assert "Response withdrawn" not in client.post(URL, data).text
    without.refresh_from_db()
    assert without.status == ResponseStatus.SUBMITTED and without.body
    page = client.get(URL).text
    assert (
        "write to the office running the consultation" in page and "quoting your reference" in page
    )
    assert 'href="mailto:consult@mopac.example"' in page  # the consultation's contact address


def _send_online(client, consultation, email=""):  # noqa: F811
    from policeplan.consultations.tests.test_respond import answer_everything

    base = answer_everything(client, consultation, email=email)
    check = client.get(f"{base}/check/")
    token = re.search(r'name="token" value="([^"]+)"', check.text).group(1)
    assert client.post(f"{base}/check/", {"token": token}).status_code == 302
    return client.get(f"{base}/sent/").text


def test_an_online_response_without_an_email_is_withdrawn_with_the_code_shown_once(
    client,
    consultation,  # noqa: F811
    users,
):
    from policeplan.consultations.models import Response

    page = _send_online(client, consultation)
    code = re.search(r'id="withdrawal-code">([A-Z0-9-]+)<', page).group(1)
    reference = re.search(r"PCP-[A-Z0-9]{4}-[A-Z0-9]{4}", page).group(0)
    response = Response.objects.get(reference=reference)
    assert code not in response.withdrawal_code_hash and len(response.withdrawal_code_hash) == 64
    # Staff never see it: not on the response page, not in the exports.
    officer = client_for(users[Role.POLICY_OFFICER])
    s = f"/staff/consultations/{consultation.pk}/responses"
    for url in [f"{s}/{response.pk}/", f"{s}/export.csv", f"{s}/{response.pk}/everything.json"]:
        got = officer.get(url)
        body = (
            got.content.decode()
            if not getattr(got, "streaming", False)
            else b"".join(got.streaming_content).decode()
        )
        assert code not in body and response.withdrawal_code_hash not in body
    # The reference alone, or with a wrong code, does nothing; with the code it withdraws.
    stranger = client_for(None)
    wrong = {"reference": reference, "email": "AAAA-BBBB-CCCC", "confirm": "yes"}
    assert "Response withdrawn" not in stranger.post(URL, wrong).text
    data = {"reference": reference, "email": code.lower().replace("-", " "), "confirm": "yes"}
    assert "Response withdrawn" in stranger.post(URL, data).text
    response.refresh_from_db()
    assert response.status == ResponseStatus.WITHDRAWN


def test_an_online_response_with_an_email_gets_no_code(client, consultation):  # noqa: F811
    page = _send_online(client, consultation, email="sam@example.org")
    assert "withdrawal-code" not in page and "the email address you gave us" in page


def client_for(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_policy_officer_withdraws_a_letter_for_its_sender(client, letters, users):
    from policeplan.core.models import AuditEvent

    _, without = letters
    url = f"/staff/consultations/{without.consultation_id}/responses/{without.pk}/withdraw/"
    client.force_login(users[Role.ANALYST])
    assert client.post(url).status_code == 403
    client.force_login(users[Role.POLICY_OFFICER])
    assert "Withdraw response" in client.get(url).text
    without.refresh_from_db()
    assert without.status == ResponseStatus.SUBMITTED  # the page alone changes nothing
    assert client.post(url).status_code == 302
    without.refresh_from_db()
    assert without.status == ResponseStatus.WITHDRAWN and without.body == ""
    event = AuditEvent.objects.get(action="response.withdraw_on_behalf")
    assert event.actor == users[Role.POLICY_OFFICER]


def test_the_demo_cancellation_links_are_unguessable(demo):
    from policeplan.consultations.demo import load
    from policeplan.consultations.models import Registration

    load()
    tokens = list(Registration.objects.values_list("cancel_token", flat=True))
    assert tokens and all(re.fullmatch(r"[A-Za-z0-9_\-]{43}", t) for t in tokens)
    assert len(set(tokens)) == len(tokens)


def test_the_one_page_questionnaire_gives_each_respondent_their_own_code(one_page):  # noqa: F811
    """Its confirmation page is cached for everyone: each visitor must still get their own
    code, which withdraws only their response."""
    from django.core.cache import caches

    from policeplan.consultations.models import Response
    from policeplan.consultations.tests.test_respond import one_page_answers, token_of

    caches["shared"].clear()
    url = f"/consultations/{one_page.slug}/respond/"
    sent = []
    for _ in range(2):
        visitor = client_for(None)
        data = {**one_page_answers(one_page), "token": token_of(visitor.get(url))}
        page = visitor.post(url, data).text
        code = re.search(r'id="withdrawal-code">([A-Z0-9-]+)<', page).group(1)
        reference = re.search(r"PCP-[A-Z0-9]{4}-[A-Z0-9]{4}", page).group(0)
        sent.append((reference, code))
    (first, code1), (second, code2) = sent
    assert code1 != code2
    stranger = client_for(None)
    crossed = {"reference": second, "email": code1, "confirm": "yes"}
    assert "Response withdrawn" not in stranger.post(URL, crossed).text
    mine = {"reference": first, "email": code1, "confirm": "yes"}
    assert "Response withdrawn" in stranger.post(URL, mine).text
    assert Response.objects.get(reference=second).status == ResponseStatus.SUBMITTED
