"""Equality monitoring: the optional questions, and the only way out of them (counts).

The questions follow the GOV.UK equality information pattern and the ONS 2021 census
categories, each with "Prefer not to say". Answers are never shown one by one: reports give
counts per answer, and any count below the minimum cell size is withheld, together with the
next smallest count in the same question when only one would be withheld (so the hidden
figure cannot be worked out by subtraction from the total).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django import forms

from policeplan.consultations.disclosure import withheld_cells
from policeplan.core.govuk import GovukForm

PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")

QUESTIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "age": (
        "What is your age?",
        [
            ("under_16", "Under 16"),
            ("16_24", "16 to 24"),
            ("25_34", "25 to 34"),
            ("35_44", "35 to 44"),
            ("45_54", "45 to 54"),
            ("55_64", "55 to 64"),
            ("65_74", "65 to 74"),
            ("75_over", "75 or over"),
        ],
    ),
    "sex": ("What is your sex?", [("female", "Female"), ("male", "Male")]),
    "gender_identity": (
        "Is the gender you identify with the same as your sex registered at birth?",
        [("yes", "Yes"), ("no", "No")],
    ),
    "sexual_orientation": (
        "Which of the following best describes your sexual orientation?",
        [
            ("straight", "Straight or heterosexual"),
            ("gay_lesbian", "Gay or lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Another sexual orientation"),
        ],
    ),
    "ethnicity": (
        "What is your ethnic group?",
        [
            ("asian", "Asian or Asian British"),
            ("black", "Black, Black British, Caribbean or African"),
            ("mixed", "Mixed or multiple ethnic groups"),
            ("white", "White"),
            ("other", "Another ethnic group"),
        ],
    ),
    "religion": (
        "What is your religion?",
        [
            ("none", "No religion"),
            ("christian", "Christian"),
            ("buddhist", "Buddhist"),
            ("hindu", "Hindu"),
            ("jewish", "Jewish"),
            ("muslim", "Muslim"),
            ("sikh", "Sikh"),
            ("other", "Another religion"),
        ],
    ),
    "disability": (
        "Do you have any physical or mental health conditions or illnesses lasting or expected "
        "to last 12 months or more?",
        [("yes", "Yes"), ("no", "No")],
    ),
}


class EqualityForm(GovukForm, forms.Form):
    """Every question optional: leaving the page blank stores nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, (text, choices) in QUESTIONS.items():
            self.fields[key] = forms.ChoiceField(
                label=f"{text} (optional)",
                choices=[*choices, PREFER_NOT],
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": "Select one of the answers listed"},
            )

    def data_to_store(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None: withheld because it is below the minimum cell size
    share: float | None


@dataclass(frozen=True)
class QuestionTable:
    key: str
    question: str
    answered: int
    cells: list[Cell]


def tables(records: list[dict[str, str]], *, min_cell: int) -> list[QuestionTable]:
    """Counts per answer for each question, with small cells withheld."""
    out = []
    for key, (text, choices) in QUESTIONS.items():
        counts = Counter(r[key] for r in records if key in r)
        answered = sum(counts.values())
        labels = [*choices, PREFER_NOT]
        raw = [(label, counts.get(value, 0)) for value, label in labels]
        withheld = withheld_cells([n for _, n in raw], min_cell=min_cell)
        hide_total = answered < min_cell
        cells = [
            Cell(
                label=label,
                count=None if (i in withheld or hide_total) and n else n,
                share=None
                if (i in withheld or hide_total) and n
                else (n / answered if answered else None),
            )
            for i, (label, n) in enumerate(raw)
        ]
        out.append(QuestionTable(key=key, question=text, answered=answered, cells=cells))
    return out
