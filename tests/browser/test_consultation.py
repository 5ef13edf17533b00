"""The questionnaire by keyboard alone, with save and resume; axe on every consultation page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def consultation_live(demo_live):
    from policeplan.consultations import services
    from policeplan.consultations.tests.conftest import build
    from policeplan.core.models import User

    officer = User.objects.get(email="policy@demo.policeplan.example")
    consultation = build(officer)
    start = timezone.now() + datetime.timedelta(days=5)
    event = services.event_save(
        user=officer,
        consultation=consultation,
        data={
            "kind": "town_hall",
            "title": "Barnet town-hall meeting",
            "borough_code": "E09000003",
            "venue": "Hendon Town Hall",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "capacity": 50,
            "access_information": "Step-free access.",
            "public_registration": True,
        },
    )
    return consultation, event


def press_on(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def test_a_person_answers_by_keyboard_saves_resumes_and_sends(new_page, consultation_live):
    consultation, _ = consultation_live
    first = new_page()
    p = first.page
    first.goto(f"/consultations/{consultation.slug}/")
    press_on(p, p.get_by_role("button", name="Respond online"))
    p.wait_for_url("**/respond/1/")
    press_on(p, p.get_by_label("As an individual"), " ")
    p.get_by_label("Which borough do you live in?").focus()
    p.keyboard.type("Barnet")
    p.get_by_label("What is the first part of your postcode? (optional)").focus()
    p.keyboard.type("EN5")
    p.keyboard.press("Tab")  # on to the first button
    assert p.evaluate("document.activeElement.textContent").strip() == "Save and continue"
    p.keyboard.press("Enter")
    p.wait_for_url("**/respond/2/")
    # Leaving the required question blank shows the GOV.UK error summary, focused.
    press_on(p, p.get_by_role("button", name="Save and continue"))
    p.wait_for_selector(".govuk-error-summary")
    assert "Enter your answer to ‘What should the plan do differently?’" in p.content()
    p.get_by_label("What should the plan do differently?").focus()
    p.keyboard.type("Officers on foot near schools at home time.")
    press_on(p, p.get_by_role("button", name="Save and come back later"))
    p.wait_for_url("**/respond/saved/")
    code = p.locator(".app-code").inner_text().strip()
    assert len(code) == 9

    # Another day, another browser: come back with the code.
    later = new_page()
    q = later.page
    later.goto("/consultations/continue/")
    q.get_by_label("Your code").focus()
    q.keyboard.type(code.lower())
    q.keyboard.press("Enter")
    q.wait_for_url("**/respond/check/")
    assert "Officers on foot near schools at home time." in q.content()
    assert "Barnet" in q.content()
    press_on(q, q.get_by_role("button", name="Send my response"))
    q.wait_for_url("**/respond/sent/")
    reference = q.locator(".govuk-panel .app-code").inner_text().strip()
    assert reference.startswith("PCP-")
    # No email address was given: the code to withdraw with is shown, once.
    assert len(q.locator("#withdrawal-code").inner_text().strip()) == 14
    from policeplan.consultations.models import Response

    assert Response.objects.get().reference == reference
    assert first.errors == [] and later.errors == []


def test_consultation_pages_have_no_axe_violations(new_page, consultation_live, client):
    consultation, event = consultation_live
    page = new_page()
    p = page.page
    base = f"/consultations/{consultation.slug}"
    problems = {}

    def check(label):
        if violations := page.axe_violations():
            problems[label] = violations

    for path in [
        "/consultations/",
        f"{base}/",
        f"{base}/events/{event.pk}/",
        f"{base}/respond/1/",
        "/consultations/continue/",
        "/consultations/withdraw/",
    ]:
        page.goto(path)
        check(path)
    page.goto(f"{base}/events/{event.pk}/")
    press_on(p, p.get_by_role("button", name="Book a place"))
    p.wait_for_selector(".govuk-error-summary")
    check("registration with errors")
    p.get_by_label("Full name").fill("Ada Lovelace")
    p.get_by_label("Email address").fill("ada@example.org")
    press_on(p, p.get_by_role("button", name="Book a place"))
    p.wait_for_url("**/registered/?done=*")
    check("registered")
    page.goto(f"{base}/respond/1/")
    press_on(p, p.get_by_role("button", name="Save and continue"))
    p.wait_for_selector(".govuk-error-summary")
    check("question page with errors")
    p.get_by_label("As an individual").check()
    p.get_by_label("Which borough do you live in?").select_option("E09000003")
    press_on(p, p.get_by_role("button", name="Save and continue"))
    p.wait_for_url("**/respond/2/")
    p.get_by_label("What should the plan do differently?").fill("More patrols.")
    press_on(p, p.get_by_role("button", name="Save and continue"))
    p.wait_for_url("**/about-you/")
    check("publishing")
    p.get_by_label("No, do not publish my response").check()
    press_on(p, p.get_by_role("button", name="Continue"))
    p.wait_for_url("**/equality/")
    check("equality")
    press_on(p, p.get_by_role("button", name="Continue"))
    p.wait_for_url("**/check/")
    check("check your answers")
    press_on(p, p.get_by_role("button", name="Send my response"))
    p.wait_for_url("**/sent/")
    check("confirmation")

    staff = new_page()
    sign_in(staff, "policy@demo.policeplan.example", "Plan-demo-2025")
    from policeplan.consultations.models import Response

    response = Response.objects.get()
    s = f"/staff/consultations/{consultation.pk}"
    for path in [
        "/staff/consultations/",
        f"{s}/",
        f"{s}/responses/",
        f"{s}/responses/{response.pk}/",
        f"{s}/equality/",
        f"{s}/events/{event.pk}/",
        f"{s}/questions/add/?section={consultation.sections.first().pk}",
        "/staff/consultations/import/",
        "/staff/consultations/new/",  # last: the errors check below submits it
    ]:
        staff.goto(path)
        if violations := staff.axe_violations():
            problems[path] = violations
    staff.page.get_by_role("button", name="Create the consultation").click()
    staff.page.wait_for_selector(".govuk-error-summary")
    if violations := staff.axe_violations():
        problems["new consultation with errors"] = violations
    assert problems == {}
    assert page.errors == [] and staff.errors == []
