"""Email alerts: double opt-in with no account, one-click unsubscribe, and no way to mail an
address at volume."""

from __future__ import annotations

import email.policy
import re

import pytest
from django.core import mail
from django.test import Client

from policeplan.scrutiny import services
from policeplan.scrutiny.models import Meeting, Subscription

pytestmark = pytest.mark.django_db
SUBSCRIBE = "/scrutiny/police-and-crime-committee/alerts/"


def _ask(email, address="198.51.100.1"):
    return Client(REMOTE_ADDR=address).post(SUBSCRIBE, {"email": email})


def _link(message, name):
    return re.search(rf"https?://[^/\s]+(/scrutiny/alerts/{name}/[^/\s]+/)", message.body)[1]


def test_alerts_start_only_once_the_address_confirms(
    client, users, built, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask("reader@example.org")
    assert response.status_code == 200 and "Check your email" in response.text
    [confirmation] = mail.outbox
    assert confirmation.to == ["reader@example.org"]
    # Nothing is sent while unconfirmed; following the link alone (as a scanner would)
    # confirms nothing; the button does.
    with django_capture_on_commit_callbacks(execute=True):
        services.paper_publish(user=users["policy_officer"], paper=built.draft_paper)
    assert len(mail.outbox) == 1
    confirm = _link(confirmation, "confirm")
    assert "Confirm your emails" in client.get(confirm).text
    assert Subscription.objects.get().confirmed_at is None
    assert "You will get emails" in client.post(confirm).text
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(user=users["policy_officer"], meeting=built.draft)
    alert = mail.outbox[-1]
    assert alert.subject.startswith("New meeting: ")
    assert alert.to == ["reader@example.org"]


def test_every_alert_offers_one_click_unsubscribe(
    users, built, settings, django_capture_on_commit_callbacks
):
    subscription = services.subscription_request(committee=built.committee, email="r@example.org")
    services.subscription_confirm(token=subscription.token)
    with django_capture_on_commit_callbacks(execute=True):
        services.paper_publish(user=users["policy_officer"], paper=built.draft_paper)
    [alert] = mail.outbox
    link = _link(alert, "unsubscribe")
    assert alert.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL.rstrip('/')}{link}>"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As sent over SMTP: a plain ASCII <URL>, not an RFC 2047 encoded-word.
    sent = alert.message(policy=email.policy.SMTP).as_bytes().decode("ascii")
    url = f"{settings.SITE_URL.rstrip('/')}{link}"
    assert f"\r\nList-Unsubscribe: <{url}>\r\n" in sent
    assert "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in sent
    assert "=?utf-8?" not in sent
    # A mail program's one-click POST (RFC 8058): no CSRF token, no session.
    one_click = Client(enforce_csrf_checks=True).post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 200 and "You are unsubscribed" in one_click.text
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None and subscription.email == ""
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(user=users["policy_officer"], meeting=built.draft)
    assert len(mail.outbox) == 1


def test_a_confirmed_address_asking_again_is_sent_nothing_and_told_the_same(
    built, django_capture_on_commit_callbacks
):
    subscription = services.subscription_request(committee=built.committee, email="r@example.org")
    services.subscription_confirm(token=subscription.token)
    with django_capture_on_commit_callbacks(execute=True):
        again = _ask("r@example.org")
        new = _ask("new@example.org", address="198.51.100.2")
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert "Check your email" in again.text and "Check your email" in new.text


def test_one_address_gets_at_most_the_limit_however_it_is_spelt(
    built, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_LIMIT_PER_EMAIL = 2
    spellings = ["target@example.org", "Target@Example.ORG", "target+x@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            _ask(email, address=f"203.0.113.{n}").status_code for n, email in enumerate(spellings)
        ]
    assert statuses == [200, 200, 429]
    assert len(mail.outbox) == 2


def test_one_client_cannot_ask_for_many_addresses(
    built, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_LIMIT_PER_CLIENT = 3
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_ask(f"person{n}@example.org").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert len(mail.outbox) == 3


def test_a_bad_address_is_a_gov_uk_error_on_the_field(client, built):
    response = client.post(SUBSCRIBE, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.text
    assert 'href="#id_email"' in response.text
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize(
    "address", ["a@localhost", "a@intranet", "a@[127.0.0.1]", "a@example.org\nBcc: b@x.org"]
)
def test_an_address_we_could_never_deliver_to_is_refused(client, built, address):
    response = client.post(SUBSCRIBE, {"email": address})
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.text
    assert Subscription.objects.count() == 0 and not mail.outbox


def test_one_address_is_sent_at_most_two_hours_allowance_in_a_day(
    built, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Asking an hour apart gets past the hourly limit, not the daily one."""
    from policeplan.core import ratelimit

    settings.REGISTRATION_LIMIT_PER_EMAIL = 1
    midnight = 1_800_000_000 // ratelimit.DAY * ratelimit.DAY
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for hour in range(4):
            monkeypatch.setattr(ratelimit.time, "time", lambda h=hour: midnight + h * 3600 + 5)
            statuses.append(_ask("target@example.org", address=f"203.0.113.{hour}").status_code)
    assert statuses == [200, 200, 429, 429]
    assert len(mail.outbox) == 2  # the link again, for the same unconfirmed request
    monkeypatch.setattr(ratelimit.time, "time", lambda: midnight + ratelimit.DAY + 5)
    assert _ask("target@example.org", address="203.0.113.9").status_code == 200


def test_an_unconfirmed_request_expires_and_is_deleted_after_seven_days(client, built):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    old = services.subscription_request(committee=built.committee, email="old@example.org")
    fresh = services.subscription_request(committee=built.committee, email="new@example.org")
    confirmed = services.subscription_request(committee=built.committee, email="ok@example.org")
    services.subscription_confirm(token=confirmed.token)
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    Subscription.objects.filter(pk__in=[old.pk, confirmed.pk]).update(created_at=eight_days_ago)
    response = client.post(f"/scrutiny/alerts/confirm/{old.token}/")
    assert response.status_code == 404 and "This link has expired" in response.text
    call_command("scrutiny_retention")
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "new@example.org",
        "ok@example.org",
    ]
    assert fresh.pk in Subscription.objects.values_list("pk", flat=True)


def test_asking_again_after_the_link_expired_sends_a_new_link_that_works(
    client, built, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        _ask("late@example.org")
    old = _link(mail.outbox[0], "confirm")
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        _ask("late@example.org")
    new = _link(mail.outbox[1], "confirm")
    assert new != old
    assert client.post(old).status_code == 404
    assert "You will get emails" in client.post(new).text
    assert Subscription.objects.get().confirmed_at is not None


def test_one_failed_send_does_not_stop_the_others_and_is_counted(
    users, built, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from policeplan.scrutiny import emails, tasks

    for address in ("refused@example.org", "reader@example.org"):
        s = services.subscription_request(committee=built.committee, email=address)
        services.subscription_confirm(token=s.token)
    send = emails.AlertMessage.send

    def refuse_one(message, *args, **kwargs):
        if message.to == ["refused@example.org"]:
            raise ValueError("Header values may not contain linefeed or carriage return")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(emails.AlertMessage, "send", refuse_one)
    # A title saved with a line break (before forms refused them) still gives a one-line subject.
    built.draft_paper.title = "Budget\nreport"
    built.draft_paper.save(update_fields=["title"])
    with django_capture_on_commit_callbacks(execute=True):
        services.paper_publish(user=users["policy_officer"], paper=built.draft_paper)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert mail.outbox[0].subject == "New paper: Budget report"
    assert "1 sent, 1 failed" in caplog.text
    assert tasks.send_alert_email.call("paper", built.draft_paper.pk) == 1


def _subscribed(built):
    subscription = services.subscription_request(committee=built.committee, email="r@example.org")
    services.subscription_confirm(token=subscription.token)
    mail.outbox.clear()


def test_a_published_meeting_cancelled_postponed_or_moved_is_told_with_when_it_was(
    users, built, django_capture_on_commit_callbacks
):
    import datetime

    from policeplan.core import dates

    _subscribed(built)
    officer, meeting = users["policy_officer"], Meeting.objects.get(pk=built.next.pk)
    was = meeting.starts_at
    later = was + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(
            user=officer, committee=built.committee, meeting=meeting, data={"title": "Renamed"}
        )
    assert not mail.outbox  # a new title is not news to send
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(
            user=officer,
            committee=built.committee,
            meeting=meeting,
            data={"starts_at": later, "ends_at": later + datetime.timedelta(hours=2)},
        )
    [moved] = mail.outbox
    assert moved.subject.startswith("New time: ")
    assert f"was to be at {dates.at(was)} is now at {dates.at(later)}." in moved.body
    assert "List-Unsubscribe" in moved.extra_headers
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(
            user=officer, committee=built.committee, meeting=meeting, data={"status": "postponed"}
        )
    assert mail.outbox[-1].subject == f"Postponed: Renamed, {dates.day(later)}"
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(
            user=officer, committee=built.committee, meeting=meeting, data={"status": "cancelled"}
        )
    assert mail.outbox[-1].subject == f"Cancelled: Renamed, {dates.day(later)}"
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(
            user=officer, committee=built.committee, meeting=meeting, data={"venue": "Elsewhere"}
        )
    assert len(mail.outbox) == 3  # a cancelled meeting's new place is nobody's news


def test_a_draft_meeting_changed_sends_nothing(users, built, django_capture_on_commit_callbacks):
    _subscribed(built)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(
            user=users["policy_officer"],
            committee=built.committee,
            meeting=built.draft,
            data={"status": "cancelled"},
        )
    assert not mail.outbox
