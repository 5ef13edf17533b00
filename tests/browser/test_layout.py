"""On a phone a page is laid out once: GOV.UK Frontend's script starting does not move it."""

import pytest

pytestmark = pytest.mark.browser


def _phone_page(browser, live_server, *, frontend_script: bool):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    if not frontend_script:
        page.route("**/govuk-frontend.min.*js", lambda route: route.abort())
    page.goto(f"{live_server.url}/cookies/")
    page.wait_for_load_state("networkidle")
    return context, page


def test_the_menu_is_folded_from_the_first_paint_not_when_the_script_starts(
    browser, live_server, demo_live
):
    # Before GOV.UK Frontend's script starts (here it never does: its file is not served), the
    # service navigation is already folded behind its Menu button, as the script will fold it.
    context, page = _phone_page(browser, live_server, frontend_script=False)
    assert page.locator("[data-govuk-service-navigation-init]").count() == 0
    # (The script also makes the button known to screen readers: until then it is aria-hidden.)
    assert page.locator(".govuk-service-navigation__toggle").is_visible()
    assert not page.get_by_role("link", name="How it is going").is_visible()
    folded_before = page.locator("header").bounding_box()
    context.close()

    context, page = _phone_page(browser, live_server, frontend_script=True)
    page.wait_for_selector("[data-govuk-service-navigation-init]")
    assert page.locator("header").bounding_box() == folded_before  # nothing moved
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="How it is going").wait_for()  # the script opens it
    context.close()


def test_without_javascript_the_menu_is_open_on_a_phone(browser, live_server, demo_live):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/cookies/")
    assert page.get_by_role("link", name="How it is going").is_visible()
    assert page.get_by_role("button", name="Menu").count() == 0
    context.close()
