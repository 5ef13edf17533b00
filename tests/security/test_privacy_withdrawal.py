"""Withdrawing a response needs more than its reference when the respondent gave an email
address, and says nothing about which of the two was wrong; cancellation links come from a
secure random source, in the demo too."""

from __future__ import annotations

import hmac
import re

import pytest

from policeplan.consultations import services as consult
from policeplan.consultations.models import ResponseStatus
from policeplan.consultations.tests.conftest import consultation  # noqa: F401
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
    no_email = _error(client.post(URL, {"reference": response.reference}).text)
    unknown = _error(client.post(URL, {"reference": "PCP-ZZZZ-ZZZZ", "email": "x@y.z"}).text)
    assert wrong_email == no_email == unknown
    assert "reference and email address" in unknown


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


def test_a_response_given_without_an_email_is_withdrawn_by_its_reference(client, letters):
    _, without = letters
    page = client.post(URL, {"reference": without.reference, "confirm": "yes"})
    assert "Response withdrawn" in page.text


def test_the_demo_cancellation_links_are_unguessable(demo):
    from policeplan.consultations.demo import load
    from policeplan.consultations.models import Registration

    load()
    tokens = list(Registration.objects.values_list("cancel_token", flat=True))
    assert tokens and all(re.fullmatch(r"[A-Za-z0-9_\-]{43}", t) for t in tokens)
    assert len(set(tokens)) == len(tokens)
