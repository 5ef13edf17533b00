"""The home page's "Have your say" banner, as a browser renders it: a real link a person can
follow, and no tags shown as text (the macro's html is composed with `html(...)`)."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.browser


def test_the_have_your_say_banner_is_a_link_not_text(new_page, demo_live, tmp_path):
    from policeplan.consultations.tests.conftest import build
    from policeplan.core.models import User

    consultation = build(User.objects.get(email="policy@demo.policeplan.example"))
    visitor = new_page()
    visitor.goto("/")
    banner = visitor.page.locator(".govuk-notification-banner").filter(has_text="Have your say")
    link = banner.get_by_role("link", name=consultation.title)
    assert link.count() == 1
    assert link.get_attribute("href") == f"/consultations/{consultation.slug}/"
    shown = banner.inner_text()
    assert "<a" not in shown and "govuk-notification-banner__link" not in shown
    assert "Have your say: " + consultation.title + ". Open until" in shown
    shot = os.environ.get("BANNER_SCREENSHOT") or str(tmp_path / "banner.png")
    banner.screenshot(path=shot)
    link.click()
    visitor.page.wait_for_url(f"**/consultations/{consultation.slug}/")
    assert visitor.page.get_by_role("heading", level=1).inner_text() == consultation.title
    assert visitor.errors == []
