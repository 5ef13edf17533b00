"""Letters, emails and event notes reach only those entitled to them in full.

A letter and an email full of personal details, and an event's notes naming people, are
coded against the written-submissions codeframe. Every URL of the consultation and analysis
apps (from the URL resolver) is then fetched as every role, and every page, export and JSON
document that answers is searched for the details: only roles with the personal-data
permission (`core.roles`) may ever meet them unmasked.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from policeplan.consultations import services as consult
from policeplan.consultations.tests.conftest import consultation  # noqa: F401
from policeplan.core.roles import ROLE_PERMISSIONS, Perm, Role
from tests.security.privacy_routes import body_text, routes, site_values, url_for

pytestmark = pytest.mark.django_db

LETTER = (
    "I am Jane Example and I live at 42 Acacia Avenue, Croydon CR0 1AB. Please ring me on "
    "07700 900123 or write to jane.example@mail.example. My NI number is QQ 12 34 56 C and I "
    "was born on 12/03/1985. Street lighting on the estate is poor.\n\nRegards,\nJane Example"
)
EMAIL = (
    "My name is Tomasz Nowak (tomasz.nowak@work.example, 020 7946 0958). Knife crime near the "
    "school gates worries every parent.\n\nTomasz Nowak"
)
NOTES = (
    "Residents asked for more patrols. Mrs Okafor of 7 Station Road (SE15 4QF) said her son "
    "was stopped; call her on 07700 900456."
)
SECRETS = [
    "Jane Example",
    "42 Acacia Avenue",
    "CR0 1AB",
    "07700 900123",
    "jane.example@mail.example",
    "QQ 12 34 56 C",
    "12/03/1985",
    "Tomasz Nowak",
    "tomasz.nowak@work.example",
    "020 7946 0958",
    "Okafor",
    "7 Station Road",
    "SE15 4QF",
    "07700 900456",
]


@pytest.fixture
def letters(consultation, users):  # noqa: F811
    """The letter, the email and the notes coded into one theme of a finalised codeframe;
    the letter drawn for the blind sample, the email waiting for review."""
    from policeplan.analysis.models import CodedText, Codeframe, TextTheme, Theme
    from policeplan.consultations.models import Event

    officer = users[Role.POLICY_OFFICER]
    letter = consult.submission_add(
        user=officer, consultation=consultation, channel="letter", text=LETTER
    )
    email = consult.submission_add(
        user=officer, consultation=consultation, channel="email", text=EMAIL
    )
    event = Event.objects.create(
        consultation=consultation,
        kind="town_hall",
        title="Town hall",
        starts_at=consultation.opens_at,
        ends_at=consultation.closes_at,
        capacity=10,
        notes=NOTES,
    )
    frame = Codeframe.objects.create(
        consultation=consultation, version=1, finalised_at=timezone.now(), created_by=officer
    )
    theme = Theme.objects.create(
        codeframe=frame,
        label="Safety at night",
        examples=[{"response": letter.pk, "text": LETTER}, {"event": event.pk, "text": NOTES}],
    )
    coded = {}
    for key, kwargs in {
        "letter": {"response": letter},
        "email": {"response": email},
        "notes": {"event": event},
    }.items():
        coded[key] = CodedText.objects.create(codeframe=frame, confidence=0.3, **kwargs)
        TextTheme.objects.create(coded=coded[key], theme=theme, confidence=0.3)
    CodedText.objects.filter(pk=coded["letter"].pk).update(in_sample=True)
    values = site_values(
        consultation=consultation,
        officer=officer,
        frame=frame,
        theme=theme,
        response=letter,
        coded=coded["email"],
        event=event,
    )
    return {**values, "_email_response_id": email.pk}


def _urls(values):
    out = []
    for route in routes():
        url = url_for(route, values)
        assert url is not None, f"give the privacy walk a value for {route.name}'s {route.kwargs}"
        out.append(url)
        if route.name in ("consultations:staff-response", "analysis:respondent"):
            out.append(
                url.replace(f"/{values['response_id']}/", f"/{values['_email_response_id']}/")
            )
    return out


@pytest.mark.parametrize("role", ["anonymous", *Role.values])
def test_letters_emails_and_notes_are_masked_for_everyone_not_entitled(
    client, users, letters, role
):
    if role != "anonymous":
        client.force_login(users[role])
    entitled = Perm.PERSONAL_DATA in ROLE_PERMISSIONS.get(role, frozenset())
    seen: dict[str, list[str]] = {}
    for url in _urls(letters):
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = body_text(response)
        found = [s for s in SECRETS if s in text]
        if found:
            seen[url] = found
    if entitled:
        # The original is there for those entitled to it (so this walk can find a leak).
        staff = f"/staff/consultations/{letters['consultation_id']}"
        assert "Jane Example" in " ".join(
            seen.get(f"{staff}/responses/{letters['response_id']}/", [])
        )
        assert "jane.example@mail.example" in seen.get(f"{staff}/responses/export.csv", [])
        assert "Okafor" in seen.get(f"{staff}/events/{letters['event_id']}/", [])
    else:
        assert seen == {}


def test_an_analyst_reads_the_letter_masked_not_withheld(client, users, letters):
    client.force_login(users[Role.ANALYST])
    staff = f"/staff/consultations/{letters['consultation_id']}"
    page = client.get(f"{staff}/responses/{letters['response_id']}/").text
    assert "I am [name] and I live at [address]" in page
    assert "Street lighting on the estate is poor" in page
    review = client.get(f"/staff/analysis/texts/{letters['text_id']}/").text
    assert "My name is [name]" in review and "Knife crime near the school gates" in review
    csv = client.get(f"{staff}/responses/export.csv").content.decode()
    assert "[email]" in csv and "[National Insurance number]" in csv


def test_searching_letters_for_a_name_tells_an_analyst_nothing(client, users, letters):
    staff = f"/staff/consultations/{letters['consultation_id']}/responses/"
    client.force_login(users[Role.ANALYST])
    assert "0 responses found" in client.get(staff, {"q": "Jane Example"}).text
    client.force_login(users[Role.POLICY_OFFICER])
    assert "1 response found" in client.get(staff, {"q": "Jane Example"}).text
