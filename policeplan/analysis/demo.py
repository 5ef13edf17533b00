"""The demo's analysis of its closed consultation, done the way analysts would do it through
the pages: the machine suggests themes; analysts rename and merge them into the demo's
themes and finalise; the machine codes every answer; analysts review the least certain and
the machine runs again; a random sample is coded blind for the agreement score; the office
responds to each theme and records the plan changes they led to.

The demo's "analysts" know each answer's true themes because the demo wrote the answers from
themed comments (consultations/demo.toml), so their coding is exact and the agreement score
is a real measurement of the engine on these texts.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from policeplan.analysis import selectors, services
from policeplan.consultations.demo import THEMES
from policeplan.consultations.models import Consultation, Question

DATA = tomllib.loads((Path(__file__).with_name("demo.toml")).read_text(encoding="utf-8"))
REVIEWED = 100
SAMPLE = 80


def truth(text: str) -> set[str]:
    """The demo themes whose comments make up a demo answer."""
    return {name for name, theme in THEMES.items() if any(c in text for c in theme["comments"])}


def load(*, consultation: Consultation) -> None:
    from policeplan.core.models import User
    from policeplan.plans.models import Measure

    analyst = User.objects.get(role="analyst", email__endswith="@demo.policeplan.example")
    question = Question.objects.get(section__consultation=consultation, kind="free_text")
    spec = {t["name"]: t for t in DATA["themes"]}

    suggested = services.codeframe_suggest(
        user=analyst, consultation=consultation, question=question, count=8
    )
    # Analysts name each suggested theme after what its example answers are about, merge
    # those about the same thing, and add the themes the machine missed.
    named: dict[str, list[str]] = {}
    for theme in suggested.themes.all():
        votes = Counter(name for e in theme.examples for name in truth(e["text"]))
        if votes:
            named.setdefault(votes.most_common(1)[0][0], []).append(str(theme.lineage))
    ops: list[dict[str, Any]] = []
    for name, lineages in named.items():
        label, description = spec[name]["label"], spec[name]["description"]
        if len(lineages) > 1:
            ops.append({"op": "merge", "themes": lineages, "label": label})
        ops.append(
            {"op": "rename", "theme": lineages[0], "label": label, "description": description}
        )
    kept = {lineage for lineages in named.values() for lineage in lineages}
    ops += [
        {"op": "remove", "theme": str(t.lineage)}
        for t in suggested.themes.all()
        if str(t.lineage) not in kept
    ]
    ops += [
        {"op": "add", "label": spec[n]["label"], "description": spec[n]["description"]}
        for n in spec
        if n not in named
    ]
    services.codeframe_finalise(user=analyst, codeframe=suggested)  # as suggested, kept
    frame = services.codeframe_change(user=analyst, codeframe=suggested, operations=ops)
    frame = services.codeframe_finalise(user=analyst, codeframe=frame)
    by_name = {spec[n]["label"]: n for n in spec}
    lineage = {by_name[t.label]: str(t.lineage) for t in frame.themes.all()}

    def run() -> None:
        started = services.analysis_run_start(user=analyst, codeframe=frame)
        services.analysis_run_execute(run_id=started.pk)

    run()
    for coded in list(selectors.review_queue(codeframe=frame)[:REVIEWED]):
        services.coded_text_review(
            user=analyst, coded=coded, themes=[lineage[n] for n in truth(coded.text)]
        )
    run()
    services.sample_draw(user=analyst, codeframe=frame, size=SAMPLE, seed=2022)
    while (drawn := selectors.sample_next(codeframe=frame)) is not None:
        services.blind_code(
            user=analyst, coded=drawn, themes=[lineage[n] for n in truth(drawn.text)]
        )

    responses = {}
    for theme in frame.themes.all():
        name = by_name[theme.label]
        responses[name] = services.theme_response_save(
            user=analyst,
            consultation=consultation,
            theme=theme,
            you_said=spec[name]["you_said"],
            we_did=spec[name]["we_did"],
        )
    final = services.final_version_after(consultation)
    measures = {
        m.title: m.lineage for m in Measure.objects.filter(outcome__priority__version=final)
    }
    for change in DATA["changes"]:
        services.plan_change_save(
            user=analyst,
            consultation=consultation,
            data={
                "item": change["item"],
                "summary": change["summary"],
                "themes": [responses[n] for n in change["themes"]],
                "measure_lineage": measures.get(change.get("measure", "")),
            },
        )
