"""A policy officer drafts a plan, is refused publication until the law is satisfied,
completes it, publishes it, and the public reads it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _save(p):
    p.get_by_role("button", name="Save").click()


def test_sign_in_draft_refused_publish_complete_publish_public_view(new_page, demo_live):
    officer = new_page()
    p = officer.page
    sign_in(officer, "policy@demo.policeplan.example", demo_live)
    expect(p.get_by_role("heading", name="Staff area", level=1)).to_be_visible()

    # Draft a new plan.
    p.get_by_role("button", name="Create a plan").click()
    p.get_by_label("Title of the plan").fill("Police and Crime Plan for London 2025–29")
    for group, (day, month, year) in {
        "Start date": ("1", "4", "2025"),
        "End date": ("31", "3", "2029"),
    }.items():
        fieldset = p.get_by_role("group", name=group)
        fieldset.get_by_label("Day").fill(day)
        fieldset.get_by_label("Month").fill(month)
        fieldset.get_by_label("Year").fill(year)
    p.get_by_role("button", name="Create the plan").click()
    expect(p.get_by_text("This version has 0 of 6")).to_be_visible()

    # Publishing as final is refused, naming what the law still requires.
    p.get_by_role("button", name="Publish this version").click()
    p.get_by_label("As the final plan").check()
    p.get_by_role("button", name="Publish").click()
    summary = p.locator(".govuk-error-summary")
    expect(summary).to_contain_text("This version cannot be published as the final plan yet")
    expect(summary).to_contain_text("Add at least one priority (a police and crime objective)")
    expect(summary).to_contain_text("Add at least one reporting arrangement")
    expect(summary).to_be_focused()

    # Complete it, section by section, from the task list.
    p.get_by_role("link", name="Back").click()
    p.get_by_role("link", name="Priorities, outcomes and measures").first.click()
    p.get_by_role("button", name="Add a priority").click()
    p.get_by_label("Title").fill("Reducing and preventing violence")
    _save(p)
    p.get_by_role("link", name="Add an outcome to Reducing and preventing violence").click()
    p.get_by_label("Title").fill("Fewer people are victims of violence")
    _save(p)
    p.get_by_role("link", name="Add a measure to Fewer people are victims of violence").click()
    p.get_by_label("Title").fill("Violence with injury offences")
    p.get_by_label("Police recorded crime (MPS / force data)").check()
    p.get_by_label("Number").check()
    p.get_by_label("Lower is better").check()
    p.get_by_label("Borough").check()
    p.get_by_label("Monthly").check()
    _save(p)
    expect(p.get_by_text("The measure has been added.")).to_be_visible()

    p.get_by_role("link", name="Back to version 1").click()
    p.get_by_role("link", name="Chapters").first.click()
    p.get_by_role("button", name="Add a chapter").click()
    p.get_by_label("Title").fill("The policing London will receive")
    p.get_by_label("Body").fill(
        "Neighbourhood policing in every ward.\n\n## Response\n\nFast response to emergencies."
    )
    p.get_by_label("The policing the chief officer is to provide").check()
    _save(p)

    p.get_by_role("link", name="Back to version 1").click()
    p.get_by_role("link", name="Resources").first.click()
    p.get_by_role("button", name="Add a budget line").click()
    p.get_by_label("Heading").fill("Net revenue budget for the Met")
    p.get_by_label("Financial year").fill("2025/26")
    p.get_by_label("Amount (£)").fill("3900000000")
    _save(p)
    expect(p.get_by_text("Total: £3,900,000,000")).to_be_visible()

    p.get_by_role("link", name="Back to version 1").click()
    p.get_by_role("link", name="How the chief officer reports").first.click()
    p.get_by_role("button", name="Add a reporting arrangement").click()
    p.get_by_label("Title").fill("Quarterly performance report")
    p.get_by_label("Description").fill("The Commissioner reports on every measure each quarter.")
    p.get_by_label("Frequency").fill("Quarterly")
    _save(p)

    p.get_by_role("link", name="Back to version 1").click()
    p.get_by_role("link", name="Introduction and details").click()
    p.get_by_label("Statement on crime and disorder reduction grants").fill(
        "Grants to boroughs are set out in the annual budget."
    )
    _save(p)
    expect(p.get_by_text("This version has 6 of 6")).to_be_visible()

    # Now it publishes.
    p.get_by_role("button", name="Publish this version").click()
    p.get_by_label("As the final plan").check()
    p.get_by_role("button", name="Publish").click()
    expect(p.get_by_text("has been published")).to_be_visible()
    assert officer.errors == []

    # The public reads it, with no account.
    public = new_page()
    public.goto("/")
    expect(
        public.page.get_by_role("heading", name="Police and Crime Plan for London 2025–29", level=1)
    ).to_be_visible()
    public.page.get_by_role("link", name="Reducing and preventing violence").click()
    expect(public.page.get_by_role("heading", name="Violence with injury offences")).to_be_visible()
    public.page.get_by_role("link", name="Police and Crime Plan for London 2025–29").click()
    public.page.get_by_role("link", name="The policing London will receive").click()
    expect(public.page.get_by_role("heading", name="Response", level=2)).to_be_visible()
    assert public.errors == []
