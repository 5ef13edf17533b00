"""Actions: proposed by minutes, confirmed by staff, updated with dates, overdue by London's
calendar (across the clocks going back in October), listed publicly per body."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from policeplan.scrutiny import services
from policeplan.scrutiny.minutes import proposed_actions
from policeplan.scrutiny.models import Action

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_action_lines_in_minutes_name_the_owner_when_they_can():
    found = proposed_actions(
        "The chair opened the meeting.\n"
        "ACTION: Tamara Barnett to contact Andy Opie about what services MOPAC can offer\n"
        "- ACTION: the secretariat to circulate the slides\n"
        "Not an ACTION: line\n"
        "ACTION: Tamara Barnett to contact Andy Opie about what services MOPAC can offer\n"
    )
    assert [(a.owner, a.text) for a in found] == [
        ("Tamara Barnett", "Contact Andy Opie about what services MOPAC can offer"),
        ("", "the secretariat to circulate the slides"),
    ]


OWNER_MAX = Action._meta.get_field("owner").max_length


@pytest.mark.parametrize(
    ("written", "owner"),
    [
        # Lines a person could paste that once took seconds to minutes each to read (the
        # owner's pattern tried every way of splitting capitals into up to five words).
        ("A" * 5000, ""),
        ("AbCdEfGhIj" * 500, ""),
        ("Aa " * 3000, ""),
        ("Aa " * 3000 + "to write", ""),  # more than five words before 'to'
        ("A" * (OWNER_MAX + 1) + " to write", ""),  # longer than an owner may be
        ("A" * OWNER_MAX + " to write", "A" * OWNER_MAX),
        ("Jean-Luc O’Brien-McAllister St.John Smith Day Lee to write " + "Ab " * 3000, ""),
        (
            "Jean-Luc O’Brien-McAllister St.John Smith Day to write " + "Ab " * 3000,
            "Jean-Luc O’Brien-McAllister St.John Smith Day",
        ),
    ],
    ids=["capitals", "mixed", "words", "six-words", "too-long", "longest", "six-names", "five"],
)
def test_long_and_hostile_action_lines_are_read_whole_with_an_owner_that_fits(written, owner):
    [found] = proposed_actions(f"Before.\nACTION: {written}\nAfter.")
    line = " ".join(written.split())
    assert found.line == line
    assert found.owner == owner
    if owner:
        rest = line.removeprefix(f"{owner} to ")
        assert found.text == rest[:1].upper() + rest[1:]
    else:
        assert found.text == line


def test_saving_minutes_with_a_hostile_action_line_proposes_an_action_staff_can_confirm(
    client, users, built
):
    officer = users["policy_officer"]
    client.force_login(officer)
    hostile = "A" * 5000 + " to write"
    response = client.post(
        f"/staff/scrutiny/meetings/{built.past.pk}/minutes/",
        {"text": f"{built.past.minutes.text}\nACTION: {hostile}\nACTION: {'A' * 5000}"},
    )
    assert response.status_code == 302
    proposed = built.past.actions.filter(minutes_line__startswith="AAA").order_by("pk")
    assert [(a.text, a.owner) for a in proposed] == [(hostile, ""), ("A" * 5000, "")]
    page = client.get(f"/staff/scrutiny/actions/{proposed[0].pk}/").text
    assert "Confirm an action from the minutes" in page


def test_minutes_propose_actions_once_and_staff_confirm_them(client, users, built):
    officer = users["policy_officer"]
    proposed = built.proposed
    assert proposed.confirmed_at is None and proposed.owner == "Tamara Barnett"
    # Saving the minutes again proposes nothing new; a new line proposes one more.
    services.minutes_save(
        user=officer,
        meeting=built.past,
        text=built.past.minutes.text + "\nACTION: MOPAC to publish the figures",
    )
    assert sorted(built.past.actions.exclude(minutes_line="").values_list("owner", flat=True)) == [
        "MOPAC",
        "Tamara Barnett",
    ]
    public = "/scrutiny/police-and-crime-committee/actions/"
    assert "Contact Andy Opie" not in client.get(public).text
    client.force_login(officer)
    response = client.post(
        f"/staff/scrutiny/actions/{proposed.pk}/",
        {
            "text": proposed.text,
            "owner": "Tamara Barnett",
            "due_on_day": "1",
            "due_on_month": "3",
            "due_on_year": "2027",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(public).text
    assert "Contact Andy Opie about what services MOPAC can offer" in page
    assert "1 March 2027" in page


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        # Clocks go back at 2am BST on Sunday 25 October 2026. Due on Saturday 24 October:
        (datetime.datetime(2026, 10, 24, 22, 59, tzinfo=UTC), False),  # 11:59pm BST, the 24th
        (datetime.datetime(2026, 10, 24, 23, 0, tzinfo=UTC), True),  # midnight BST: the 25th
        (datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), True),  # 1:30am BST, the 25th
        (datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC), True),  # 1:30am GMT, the 25th
    ],
)
def test_overdue_follows_the_london_calendar_across_the_clocks_change(built, now, overdue):
    action = Action(meeting=built.past, text="x", due_on=datetime.date(2026, 10, 24))
    assert action.is_overdue(now) is overdue


def test_due_on_the_day_the_clocks_change_is_overdue_from_gmt_midnight(built):
    action = Action(meeting=built.past, text="x", due_on=datetime.date(2026, 10, 25))
    # 11:30pm GMT on the 25th is 23:30 UTC: still the 25th in London (a 25-hour day).
    assert not action.is_overdue(datetime.datetime(2026, 10, 25, 23, 30, tzinfo=UTC))
    assert action.is_overdue(datetime.datetime(2026, 10, 26, 0, 0, tzinfo=UTC))


def test_done_and_dropped_actions_are_never_overdue(built):
    for status in ("done", "dropped"):
        action = Action(
            meeting=built.past, text="x", status=status, due_on=datetime.date(2020, 1, 1)
        )
        assert not action.is_overdue()


def test_the_public_list_marks_the_overdue_and_shows_dated_updates(client, users, built):
    officer = users["policy_officer"]
    page = client.get("/scrutiny/police-and-crime-committee/actions/").text
    assert "1 action, 1 overdue." in page
    assert "Overdue" in page
    services.action_update_add(
        user=officer,
        action=built.action,
        on=timezone.localdate(),
        text="Letter sent to the chair.",
        status="done",
    )
    page = client.get("/scrutiny/police-and-crime-committee/actions/").text
    assert "1 action, 0 overdue." in page
    assert "Letter sent to the chair." in page and "Done" in page


def test_dropping_an_action_needs_a_reason(client, users, built):
    officer = users["policy_officer"]
    with pytest.raises(ValidationError) as error:
        services.action_update_add(
            user=officer, action=built.action, on=timezone.localdate(), text="x", status="dropped"
        )
    assert "dropped_reason" in error.value.error_dict
    client.force_login(officer)
    today = timezone.localdate()
    response = client.post(
        f"/staff/scrutiny/actions/{built.action.pk}/progress/",
        {
            "on_day": today.day,
            "on_month": today.month,
            "on_year": today.year,
            "text": "No longer needed",
            "status": "dropped",
        },
    )
    assert response.status_code == 200
    assert "Enter why the action was dropped" in response.text
    assert 'href="#id_dropped_reason"' in response.text
    built.action.refresh_from_db()
    assert built.action.status == "open" and not built.action.updates.exists()


def test_a_proposed_action_takes_no_progress_until_confirmed(users, built):
    with pytest.raises(ValidationError):
        services.action_update_add(
            user=users["policy_officer"],
            action=built.proposed,
            on=timezone.localdate(),
            text="x",
            status="in_progress",
        )
