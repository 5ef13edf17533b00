from policeplan.plans.completeness import check, missing


def snapshot(**overrides):
    base = {
        "summary": "",
        "grants_statement": "",
        "chapters": [
            {
                "title": "Policing",
                "body": "What the police will do.",
                "statutory_element": "policing",
            }
        ],
        "priorities": [
            {
                "title": "Reducing violence",
                "outcomes": [{"title": "Less violence", "measures": [{"title": "Violence"}]}],
            }
        ],
        "resources": [{"heading": "Police grant"}],
        "reporting": [{"title": "Quarterly report"}],
        "grants": [{"recipient": "Boroughs"}],
    }
    return {**base, **overrides}


def test_a_complete_plan_has_nothing_missing():
    assert missing(snapshot()) == []
    assert all(r.complete for r in check(snapshot()))
    assert [r.reference for r in check(snapshot())] == [f"s.7(1)({c})" for c in "abcdef"]


def test_an_empty_plan_misses_all_six_requirements():
    empty = snapshot(chapters=[], priorities=[], resources=[], reporting=[], grants=[])
    requirements = check(empty)
    assert [r.complete for r in requirements] == [False] * 6
    assert missing(empty) == [
        "Add at least one priority (a police and crime objective)",
        "Add a chapter that sets out the policing the chief officer is to provide",
        "Add at least one budget line for the resources provided",
        "Add at least one reporting arrangement",
        "Add outcomes with measures",
        "Add the grants the plan makes, or a statement that it makes none",
    ]


def test_each_gap_is_named():
    plan = snapshot(
        priorities=[
            {"title": "Victims", "outcomes": []},
            {"title": "Trust", "outcomes": [{"title": "More trust", "measures": []}]},
        ]
    )
    assert missing(plan) == [
        "Add an outcome to the priority ‘Victims’",
        "Add a measure to the outcome ‘More trust’",
    ]


def test_a_policing_chapter_needs_text_and_the_right_purpose():
    assert missing(
        snapshot(chapters=[{"title": "X", "body": "  ", "statutory_element": "policing"}])
    )
    assert missing(snapshot(chapters=[{"title": "X", "body": "Text", "statutory_element": ""}]))


def test_a_statement_that_no_grants_are_made_satisfies_the_grants_requirement():
    assert (
        missing(snapshot(grants=[], grants_statement="This plan makes no grants in 2025-26.")) == []
    )
