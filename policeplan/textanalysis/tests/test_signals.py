import pytest

from policeplan.textanalysis.signals import asks_agreement, evidence_kinds, evidence_rich, stance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I agree with this priority, it is the right one.", "agree"),
        ("I strongly disagree. Money spent on this is a waste.", "disagree"),
        ("I don't agree that this should come first.", "disagree"),
        ("I support more patrols but I am concerned about stop and search.", "mixed"),
        ("Officers on foot near schools at home time.", "unclear"),
    ],
)
def test_stance_reads_cues_and_negation(text, expected):
    assert stance(text) == expected


def test_questions_asking_for_agreement_are_recognised():
    assert asks_agreement("To what extent do you agree with the priorities?")
    assert asks_agreement("Do you support the proposal to close front counters?")
    assert not asks_agreement("What should the plan do differently?")


def test_evidence_needs_two_kinds_of_support():
    rich = (
        "My son was robbed outside Tottenham Hale Station twice in 2023, and the Met's own "
        "figures show robbery there is up 40%."
    )
    assert evidence_kinds(rich) == ["experience", "figures or dates", "places", "sources"]
    assert evidence_rich(rich)
    assert not evidence_rich("More police please.")
    assert not evidence_rich("I was burgled.")  # one kind only
