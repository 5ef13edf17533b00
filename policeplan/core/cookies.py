"""Every cookie the service sets, when, why and for how long: the one list the cookies page
shows and the test that walks the public journeys checks against what is really set.

Reading the plan, the performance pages and a consultation's page sets no cookie. A form
needs the CSRF cookie; answering a questionnaire over several pages (or coming back to it
with a code) needs the session cookie, which is also what keeps staff signed in. Booking a
place at an event sets none beyond the CSRF cookie: its confirmation page is reached with a
signed link, not a session. No analytics or advertising cookies.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    when: str
    expires: str


def _minutes(seconds: int) -> str:
    minutes = seconds // 60
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minutes"


def _until_close(seconds: int | None) -> str:
    if seconds is None:
        return "When you close your browser"
    return f"After {_minutes(seconds)}"


def service_cookies() -> list[Cookie]:
    idle = _minutes(settings.SESSION_COOKIE_AGE)
    session_age = None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE
    return [
        Cookie(
            name=settings.CSRF_COOKIE_NAME,
            purpose=("Protects the forms you send from being sent by another website in your name"),
            when=(
                "When you open a page with a form: a questionnaire page, booking a place at an "
                "event, continuing with a code, withdrawing a response, or signing in"
            ),
            expires=_until_close(settings.CSRF_COOKIE_AGE),
        ),
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose=(
                "Remembers which response is yours while you answer a questionnaire over "
                "several pages, so you can go back, check your answers and see your "
                "reference; keeps staff signed in"
            ),
            when=(
                "When you save your answers to the first page of a questionnaire, continue "
                "with a code, or sign in as staff"
            ),
            expires=(f"{_until_close(session_age)}, and it stops working after {idle} without use"),
        ),
    ]
