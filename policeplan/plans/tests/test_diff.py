from policeplan.plans.diff import compare, inline_diff


def version(**overrides):
    base = {
        "summary": "Intro",
        "grants_statement": "",
        "chapters": [
            {
                "lineage": "c1",
                "title": "Foreword",
                "slug": "foreword",
                "body": "We will act.",
                "statutory_element": "",
            }
        ],
        "priorities": [
            {
                "lineage": "p1",
                "title": "Violence",
                "slug": "violence",
                "summary": "",
                "outcomes": [
                    {
                        "lineage": "o1",
                        "title": "Less violence",
                        "description": "",
                        "measures": [
                            {
                                "lineage": "m1",
                                "title": "Knife crime",
                                "slug": "knife",
                                "description": "",
                                "target": "5%",
                                "data_source_kind": "recorded_crime",
                                "unit": "count",
                                "direction": "lower",
                                "geography_levels": ["force"],
                                "frequency": "monthly",
                                "baseline_period": "",
                                "owner": "",
                            },
                        ],
                    }
                ],
            }
        ],
        "commitments": [],
        "resources": [],
        "grants": [],
        "reporting": [],
        "documents": [],
    }
    return {**base, **overrides}


def test_identical_versions_have_no_differences():
    assert compare(version(), version()) == []


def test_changed_text_is_matched_by_lineage_and_shown_word_by_word():
    new = version(
        chapters=[
            {**version()["chapters"][0], "title": "Mayor's foreword", "body": "We will act now."}
        ]
    )
    [section] = compare(version(), new)
    assert section.key == "chapters"
    [change] = section.changes
    assert change.status == "changed"
    labels = {f.label: f for f in change.fields}
    assert labels["Title"].old == "Foreword" and labels["Title"].new == "Mayor's foreword"
    assert str(labels["Text"].inline) == "We will act<ins> now</ins>."


def test_added_removed_and_changed_measures_name_their_outcome():
    old = version()
    new = version()
    measures = new["priorities"][0]["outcomes"][0]["measures"]
    new["priorities"][0]["outcomes"][0]["measures"] = [
        {**measures[0], "target": "10%"},
        {**measures[0], "lineage": "m2", "title": "Homicide", "slug": "homicide"},
    ]
    old["priorities"][0]["outcomes"][0]["measures"].append(
        {**measures[0], "lineage": "m3", "title": "Robbery"}
    )
    [section] = compare(old, new)
    statuses = {(c.title, c.status) for c in section.changes}
    assert statuses == {("Knife crime", "changed"), ("Homicide", "added"), ("Robbery", "removed")}
    changed = next(c for c in section.changes if c.status == "changed")
    assert changed.context == "Outcome: Less violence"
    assert [(f.label, f.old, f.new) for f in changed.fields] == [("Target", "5%", "10%")]


def test_introduction_changes_come_first():
    sections = compare(version(), version(summary="Intro, revised"))
    assert sections[0].key == "summary"


def test_inline_diff_escapes_everything():
    html = str(inline_diff("safe", "<script>alert(1)</script>"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
