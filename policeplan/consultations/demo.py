"""Demo consultations: a closed one on the draft plan with several hundred responses and
events across London, and an open one that visitors can answer.

Every comment below was written for this demo (in the plain, direct tone of real public
statements about policing); none is a real person's words. Responses go through the same
services as real ones and are then dated across the consultation's weeks.
"""

from __future__ import annotations

import datetime
import random
import secrets
import tomllib
import uuid
import zoneinfo
from pathlib import Path
from typing import Any

from django.utils import timezone

from policeplan.consultations import selectors, services
from policeplan.consultations.models import Consultation, Event, Question, Registration, Response
from policeplan.consultations.questions import AGREE_LABELS
from policeplan.plans.models import PlanVersion, VersionState

LONDON = zoneinfo.ZoneInfo("Europe/London")

DATA = tomllib.loads((Path(__file__).with_name("demo.toml")).read_text(encoding="utf-8"))
THEMES = {t["name"]: t for t in DATA["themes"]}
ACCESS = "Step-free access, a hearing loop and British Sign Language interpretation on request."
AGREE = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know"]
PRIVACY = (
    "The Mayor's Office for Policing and Crime (MOPAC) holds your response to shape the "
    "Police and Crime Plan. We use it only for this consultation. Names, email and postal "
    "addresses are deleted on the date below; what you said is kept, without your name, to "
    "analyse the responses. Equality answers are kept apart and reported only as totals. "
    "You can withdraw your response with your reference and the email address you gave (or, "
    "if you gave none, the withdrawal code shown when you sent it), or by writing to the "
    "contact address quoting your reference; you can also ask for everything we hold about "
    "you there."
)


def _questions(officer: Any, consultation: Consultation) -> None:
    about = services.section_save(
        user=officer, consultation=consultation, data={"title": "About you"}
    )
    questions: list[dict[str, Any]] = [
        {
            "kind": "respondent_type",
            "text": "Are you responding as an individual or for an organisation?",
            "required": True,
        },
        {
            "kind": "borough",
            "text": "Which London borough do you live or work in?",
            "required": True,
        },
        {
            "kind": "postcode_district",
            "text": "What is the first part of your postcode?",
            "hint": "For example SE1 or NW10.",
        },
    ]
    for data in questions:
        services.question_save(user=officer, section=about, data=data)
    plan = services.section_save(
        user=officer,
        consultation=consultation,
        data={
            "title": "The priorities",
            "description": "The plan has four priorities. Tell us what you think of them.",
        },
    )
    services.question_save(
        user=officer,
        section=plan,
        data={
            "kind": "priority_scale",
            "text": "How far do you agree that each of these should be a priority?",
            "required": True,
        },
    )
    services.question_save(
        user=officer,
        section=plan,
        data={"kind": "priority_ranking", "text": "Rank the priorities, most important first"},
    )
    views = services.section_save(
        user=officer, consultation=consultation, data={"title": "Your views"}
    )
    services.question_save(
        user=officer,
        section=views,
        data={
            "kind": "free_text",
            "text": "What is the one thing that would most improve policing where you live?",
            "required": True,
            "max_length": 2000,
        },
    )
    services.question_save(
        user=officer,
        section=views,
        data={
            "kind": "multiple",
            "text": "Which of these have you done in the last year?",
            "options": [
                "Reported a crime",
                "Called 101",
                "Called 999",
                "Been stopped and searched",
                "Been to a ward panel meeting",
            ],
        },
    )
    services.question_save(
        user=officer,
        section=views,
        data={"kind": "agree_scale", "text": "The draft plan is clear about what will change"},
    )


def _consultation(officer: Any, version: PlanVersion, **data: Any) -> Consultation:
    consultation = services.consultation_save(
        user=officer,
        data={
            "plan_version": version,
            "privacy_notice": PRIVACY,
            "contact_email": "consultation@demo.policeplan.example",
            **data,
        },
    )
    _questions(officer, consultation)
    return services.consultation_publish(user=officer, consultation=consultation)


def _one_response(
    rng: random.Random, consultation: Consultation, ctx: Any, questions: dict[str, Question]
) -> None:
    codes = list(ctx.boroughs)
    # Every borough about equally, but the City of London (8,600 residents) far less.
    borough = rng.choices(codes, weights=[0.05 if c == "E09000001" else 1 for c in codes])[0]
    organisation = rng.random() < 0.04
    names = list(THEMES)
    theme = rng.choices(names, weights=[THEMES[n]["weight"] for n in names])[0]
    text = rng.choice(THEMES[theme]["comments"])
    if rng.random() < 0.35:
        other = rng.choice([n for n in names if n != theme])
        text += " " + rng.choice(THEMES[other]["comments"])
    priorities = ctx.priorities
    scale = {p.lineage: rng.choices(AGREE, weights=[30, 40, 12, 8, 5, 5])[0] for p in priorities}
    order = rng.sample(priorities, len(priorities))
    kind = {
        "type": "organisation" if organisation else "individual",
        "organisation": rng.choice(DATA["organisations"]) if organisation else "",
    }
    answers = {
        questions["respondent_type"]: (kind, kind["organisation"] or "As an individual"),
        questions["borough"]: (borough, ctx.boroughs[borough]),
        questions["priority_scale"]: (
            scale,
            "; ".join(f"{p.title}: {AGREE_LABELS[scale[p.lineage]]}" for p in priorities),
        ),
        questions["free_text"]: (text, text),
    }
    if rng.random() < 0.7:
        answers[questions["priority_ranking"]] = (
            [p.lineage for p in order],
            "; ".join(f"{i}. {p.title}" for i, p in enumerate(order, 1)),
        )
    done = rng.sample(
        ["Reported a crime", "Called 101", "Called 999", "Been stopped and searched"],
        rng.randint(0, 2),
    )
    if done:
        answers[questions["multiple"]] = (done, "; ".join(done))
    equality = {}
    if rng.random() < 0.65:
        equality = {
            key: rng.choices(draw["answers"], weights=draw["weights"])[0]
            for key, draw in DATA["equality"].items()
        }
    services.response_submit_complete(
        consultation=consultation,
        token=_secret_uuid(rng),
        answers=answers,
        consent=rng.choice(["anonymous", "anonymous", "no"]),
        equality=equality,
    )


def _secret_token(rng: random.Random) -> str:
    """A registration's cancellation token, from `secrets`: a token drawn from the demo's
    seeded generator could be worked out by anyone with the source. The seeded draw it
    replaced is still taken, so every other part of the demo stays the same."""
    rng.getrandbits(128)
    return secrets.token_urlsafe(32)


def _secret_uuid(rng: random.Random) -> uuid.UUID:
    """A response's token (its key while it is being answered), from the operating system's
    random source, for the same reason; the seeded draw is still taken."""
    rng.getrandbits(128)
    return uuid.uuid4()


def _responses(
    rng: random.Random,
    consultation: Consultation,
    count: int,
    start: datetime.datetime,
    end: datetime.datetime,
) -> None:
    ctx = selectors.question_context(consultation=consultation)
    questions = {q.kind: q for q in Question.objects.filter(section__consultation=consultation)}
    for _ in range(count):
        _one_response(rng, consultation, ctx, questions)
    # Spread them over the weeks the consultation was open, busier at the start and the end.
    span = (end - start).total_seconds()
    for response in Response.objects.filter(consultation=consultation, channel="online"):
        share = rng.betavariate(0.8, 0.8)
        response.submitted_at = start + datetime.timedelta(seconds=span * share)
        response.started_at = response.submitted_at - datetime.timedelta(minutes=rng.randint(3, 40))
        response.save(update_fields=["submitted_at", "started_at"])


def _events(
    officer: Any,
    consultation: Consultation,
    rng: random.Random,
    base: datetime.datetime,
    past: bool,
) -> list[Event]:
    events = []
    for i, spec in enumerate(DATA["events"]):
        kind = spec["kind"]
        start = (base + datetime.timedelta(days=7 * i + 3)).replace(hour=18, minute=30)
        events.append(
            services.event_save(
                user=officer,
                consultation=consultation,
                data={
                    "kind": kind,
                    "title": spec["title"],
                    "description": "Hear about the plan from MOPAC and your local police, and "
                    "tell us what you think.",
                    "borough_code": spec["borough"],
                    "venue": spec["venue"],
                    "online_link": "https://meet.example/policeplan-workshop"
                    if kind == "online_workshop"
                    else "",
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(hours=2),
                    "capacity": spec["capacity"],
                    "access_information": ACCESS if kind == "town_hall" else "",
                    "public_registration": kind != "focus_group",
                },
            )
        )
    if past:
        issues = {e["title"]: e["issues"] for e in DATA["events"]}
        for event in events:
            came = rng.randint(event.capacity // 3, event.capacity * 2 // 3)
            Registration.objects.bulk_create(
                Registration(
                    event=event,
                    name=f"Demo attendee {n}",
                    email=f"attendee{n}.{event.pk}@demo.policeplan.example",
                    status="confirmed",
                    cancel_token=_secret_token(rng),
                    attended=n < came,
                    created_at=event.starts_at - datetime.timedelta(days=rng.randint(2, 20)),
                )
                for n in range(min(event.capacity, came + rng.randint(3, 12)))
            )
            event.issues_raised = issues[event.title]
            event.notes = (
                f"About {came} people took part. The main concerns raised were: "
                + "; ".join(issues[event.title]).lower()
                + ". Several people asked how their views would change the final plan."
            )
            event.save(update_fields=["issues_raised", "notes"])
    return events


def _letters(officer: Any, consultation: Consultation, on: datetime.date) -> None:
    for i, letter in enumerate(DATA["letters"] * 4):
        services.submission_add(
            user=officer,
            consultation=consultation,
            channel=letter["channel"],
            received_on=on + datetime.timedelta(days=2 * i),
            organisation=letter["organisation"],
            text=letter["text"],
        )


def load(*, seed: int = 2022) -> list[Consultation]:
    """Create both demo consultations. Needs the demo plan (plans.demo.loader.load_demo)."""
    from policeplan.core.models import User

    officer = User.objects.get(role="policy_officer", email__endswith="@demo.policeplan.example")
    rng = random.Random(seed)  # noqa: S311 - made-up demo content, not security
    draft = PlanVersion.objects.get(state=VersionState.CONSULTATION)
    final = PlanVersion.objects.filter(state=VersionState.FINAL).order_by("-number").first()
    now = timezone.now()
    opened = datetime.datetime(2021, 12, 1, 9, 0, tzinfo=LONDON)
    closed = datetime.datetime(2022, 2, 11, 23, 59, tzinfo=LONDON)

    past = _consultation(
        officer,
        draft,
        title="Police and Crime Plan for London 2022–25: consultation on the draft",
        slug="draft-police-and-crime-plan-2022-25",
        summary=(
            "The Mayor has published a draft Police and Crime Plan for London. It sets out how "
            "the Met, the criminal justice service and partners will reduce violence, increase "
            "trust and confidence, support victims and protect people from harm.\n\n"
            "We want to hear from everyone who lives, works or studies in London."
        ),
        # Open while the demo's responses are sent through the services, then dated.
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
        retain_until=datetime.date(2027, 3, 31),
    )
    _events(officer, past, rng, opened, past=True)
    _responses(rng, past, 420, opened, closed)
    _letters(officer, past, opened.date() + datetime.timedelta(days=10))
    for title, start, end in [
        ("Draft plan published and consultation opens", opened.date(), None),
        (
            "Town-hall meetings and online workshops",
            datetime.date(2021, 12, 4),
            datetime.date(2022, 1, 29),
        ),
        ("Consultation closes", closed.date(), None),
        (
            "Responses analysed and the Police and Crime Committee reviews the draft",
            datetime.date(2022, 2, 14),
            datetime.date(2022, 3, 11),
        ),
        ("Final plan published", datetime.date(2022, 3, 24), None),
    ]:
        services.stage_save(
            user=officer,
            consultation=past,
            data={"title": title, "starts_on": start, "ends_on": end},
        )
    Consultation.objects.filter(pk=past.pk).update(
        opens_at=opened,
        closes_at=closed,
        published_at=opened - datetime.timedelta(days=7),
    )
    past.refresh_from_db()
    results = services.consultation_results_publish(
        user=officer,
        consultation=past,
        results_summary=(
            "We received 444 responses online, by email and letter and at meetings in every "
            "part of London. The themes people raised most often were women and girls' "
            "safety; trust, fairness and stop and search; and knife crime and youth violence. "
            "Many also asked to see officers on foot in their neighbourhood.\n\n"
            "The final plan adds an outcome on neighbourhood policing and commits to publish "
            "stop and search data by borough every quarter. [Compare the draft and the final "
            "plan](/plans/london-2022-25/compare/)."
        ),
    )
    Consultation.objects.filter(pk=results.pk).update(
        results_published_at=datetime.datetime(2022, 3, 24, 10, 0, tzinfo=LONDON)
    )

    open_now = _consultation(
        officer,
        final or draft,
        title="Refreshing the Police and Crime Plan: have your say",
        slug="refresh-the-plan",
        summary=(
            "Halfway through the plan, we are asking Londoners whether its priorities are still "
            "the right ones and what should change. It takes about ten minutes."
        ),
        opens_at=now - datetime.timedelta(days=10),
        closes_at=(now + datetime.timedelta(days=56)).replace(
            hour=23, minute=59, second=0, microsecond=0
        ),
        retain_until=(now + datetime.timedelta(days=365)).date(),
    )
    events = _events(officer, open_now, rng, now, past=False)
    full = events[-2]  # the online workshop: small, so the demo shows a waiting list
    Event.objects.filter(pk=full.pk).update(capacity=3)
    full.refresh_from_db()
    for n in range(5):
        services.registration_create(
            event=full, name=f"Demo person {n}", email=f"person{n}@demo.policeplan.example"
        )
    _responses(
        rng, open_now, 64, now - datetime.timedelta(days=10), now - datetime.timedelta(minutes=5)
    )
    services.stage_save(
        user=officer,
        consultation=open_now,
        data={
            "title": "Consultation opens",
            "starts_on": (now - datetime.timedelta(days=10)).date(),
        },
    )
    services.stage_save(
        user=officer,
        consultation=open_now,
        data={"title": "Consultation closes", "starts_on": open_now.closes_at.date()},
    )
    return [past, open_now]
