"""Questions as GOV.UK form fields, and answers as stored values and plain text.

`AnswersForm(questions=..., context=...)` builds the fields for a page of questions; after
`is_valid()`, `answers()` gives {question: (value, text)}. The value is what analysis reads
(a string, a list or a mapping by plan priority); the text is what staff read and search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms

from policeplan.consultations.models import Question, QuestionKind, RespondentType
from policeplan.core.govuk import GovukForm

AGREE_SCALE = [
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
    ("dont_know", "Don’t know"),
]
AGREE_LABELS = dict(AGREE_SCALE)
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
OUTSIDE = ("outside", "I do not live or work in this area")


@dataclass(frozen=True)
class PriorityRef:
    """A plan priority as a question shows it: stable lineage, title and summary."""

    lineage: str
    title: str
    summary: str = ""


@dataclass(frozen=True)
class QuestionContext:
    """What questions need from outside the app: the plan's priorities and the boroughs."""

    priorities: list[PriorityRef] = field(default_factory=list)
    boroughs: dict[str, str] = field(default_factory=dict)  # code -> name


def name(question: Question, suffix: str = "") -> str:
    return f"q{question.pk}{'_' + suffix if suffix else ''}"


def _label(question: Question) -> str:
    return question.text + ("" if question.required else " (optional)")


class AnswersForm(GovukForm, forms.Form):
    def __init__(
        self, *args: Any, questions: list[Question], context: QuestionContext, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.context = context
        self.groups: list[tuple[Question, list[str]]] = []  # question -> its field names
        for question in questions:
            self.groups.append((question, self._add(question)))

    def _add(self, q: Question) -> list[str]:
        required = q.required
        label = _label(q)
        common: dict[str, Any] = {"label": label, "required": required, "help_text": q.hint}
        kind = q.kind
        if kind == QuestionKind.FREE_TEXT:
            self.fields[name(q)] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 6}),
                max_length=q.limit,
                error_messages={
                    "max_length": f"{q.text.rstrip('?')} must be {q.limit:,} characters or fewer",
                    "required": f"Enter your answer to ‘{q.text}’",
                },
                **common,
            )
            return [name(q)]
        if kind in (QuestionKind.SINGLE, QuestionKind.AGREE_SCALE):
            choices = AGREE_SCALE if kind == QuestionKind.AGREE_SCALE else _options(q)
            self.fields[name(q)] = forms.ChoiceField(
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select an answer to ‘{q.text}’",
                    "invalid_choice": f"Select one of the answers to ‘{q.text}’",
                },
                **common,
            )
            return [name(q)]
        if kind == QuestionKind.MULTIPLE:
            self.fields[name(q)] = forms.MultipleChoiceField(
                choices=_options(q),
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": f"Select at least one answer to ‘{q.text}’",
                    "invalid_choice": f"Select only the answers listed for ‘{q.text}’",
                },
                **common,
            )
            return [name(q)]
        if kind == QuestionKind.PRIORITY_SCALE:
            names = []
            for index, p in enumerate(self.context.priorities, start=1):
                self.fields[name(q, str(index))] = forms.ChoiceField(
                    label=p.title,
                    choices=AGREE_SCALE,
                    widget=forms.RadioSelect,
                    required=required,
                    error_messages={
                        "required": f"Select an answer for ‘{p.title}’",
                        "invalid_choice": f"Select one of the answers for ‘{p.title}’",
                    },
                )
                names.append(name(q, str(index)))
            return names
        if kind == QuestionKind.PRIORITY_RANKING:
            count = len(self.context.priorities)
            ranks = [("", "Choose a rank")] + [(str(i), str(i)) for i in range(1, count + 1)]
            names = []
            for index, p in enumerate(self.context.priorities, start=1):
                self.fields[name(q, str(index))] = forms.ChoiceField(
                    label=f"Rank for ‘{p.title}’",
                    choices=ranks,
                    required=required,
                    error_messages={
                        "required": f"Choose a rank for ‘{p.title}’",
                        "invalid_choice": f"Choose a rank from 1 to {count} for ‘{p.title}’",
                    },
                )
                names.append(name(q, str(index)))
            return names
        if kind == QuestionKind.BOROUGH:
            choices = [
                ("", "Choose a borough"),
                *sorted(self.context.boroughs.items(), key=lambda item: item[1]),
            ]
            self.fields[name(q)] = forms.ChoiceField(
                choices=[*choices, OUTSIDE],
                error_messages={
                    "required": f"Choose an answer to ‘{q.text}’",
                    "invalid_choice": f"Choose a borough from the list for ‘{q.text}’",
                },
                **common,
            )
            return [name(q)]
        if kind == QuestionKind.POSTCODE_DISTRICT:
            self.fields[name(q)] = forms.CharField(
                max_length=4,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                error_messages={
                    "required": f"Enter your answer to ‘{q.text}’",
                    "max_length": "Enter only the first part of the postcode, like SE1 or NW10",
                },
                **common,
            )
            return [name(q)]
        if kind == QuestionKind.RESPONDENT_TYPE:
            self.fields[name(q)] = forms.ChoiceField(
                choices=RespondentType.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer to ‘{q.text}’"},
                **common,
            )
            self.fields[name(q, "organisation")] = forms.CharField(
                label="If you are responding for an organisation, its name",
                required=False,
                max_length=200,
            )
            return [name(q), name(q, "organisation")]
        raise ValueError(f"Unknown question kind {kind}")  # pragma: no cover

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for q, names in self.groups:
            if q.kind == QuestionKind.POSTCODE_DISTRICT and data.get(names[0]):
                value = data[names[0]].strip().upper().replace(" ", "")
                if not POSTCODE_DISTRICT.match(value):
                    self.add_error(
                        names[0], "Enter only the first part of the postcode, like SE1 or NW10"
                    )
                else:
                    data[names[0]] = value
            if q.kind == QuestionKind.PRIORITY_RANKING:
                ranks = [data.get(n) for n in names]
                given = [r for r in ranks if r]
                if given and len(given) != len(ranks):
                    self.add_error(names[0], "Give every priority a rank, or none")
                elif len(set(given)) != len(given):
                    self.add_error(names[0], "Give each priority a different rank")
            if (
                q.kind == QuestionKind.RESPONDENT_TYPE
                and data.get(names[0]) == RespondentType.ORGANISATION
                and not data.get(names[1])
            ):
                self.add_error(names[1], "Enter the name of the organisation")
        return data

    def answers(self) -> dict[Question, tuple[Any, str]]:
        """The valid answers of this page, leaving out questions left blank."""
        out: dict[Question, tuple[Any, str]] = {}
        data = self.cleaned_data
        for q, names in self.groups:
            answer = _answer(q, [data.get(n) for n in names], self.context)
            if answer is not None:
                out[q] = answer
        return out


def _options(q: Question) -> list[tuple[str, str]]:
    return [(option, option) for option in q.options]


def _answer(q: Question, raw: list[Any], ctx: QuestionContext) -> tuple[Any, str] | None:
    kind = q.kind
    first = raw[0]
    if kind in (QuestionKind.FREE_TEXT, QuestionKind.POSTCODE_DISTRICT):
        text = (first or "").strip()
        return (text, text) if text else None
    if kind == QuestionKind.SINGLE:
        return (first, first) if first else None
    if kind == QuestionKind.AGREE_SCALE:
        return (first, AGREE_LABELS[first]) if first else None
    if kind == QuestionKind.MULTIPLE:
        return (list(first), "; ".join(first)) if first else None
    if kind == QuestionKind.BOROUGH:
        if not first:
            return None
        return first, ctx.boroughs.get(first, OUTSIDE[1])
    if kind == QuestionKind.RESPONDENT_TYPE:
        if not first:
            return None
        value = {"type": first, "organisation": (raw[1] or "").strip()}
        text = RespondentType(first).label
        return value, f"{text}: {value['organisation']}" if value["organisation"] else text
    if kind == QuestionKind.PRIORITY_SCALE:
        given = {p.lineage: v for p, v in zip(ctx.priorities, raw, strict=True) if v}
        if not given:
            return None
        titles = {p.lineage: p.title for p in ctx.priorities}
        return given, "; ".join(f"{titles[k]}: {AGREE_LABELS[v]}" for k, v in given.items())
    if kind == QuestionKind.PRIORITY_RANKING:
        if not all(raw):
            return None
        order = [p for _, p in sorted(zip((int(r) for r in raw), ctx.priorities, strict=True))]
        return [p.lineage for p in order], "; ".join(
            f"{i}. {p.title}" for i, p in enumerate(order, 1)
        )
    return None  # pragma: no cover


def initial_for(q: Question, value: Any, ctx: QuestionContext) -> dict[str, Any]:
    """Form initial data that shows a saved answer again (for 'Change' and 'resume')."""
    if value is None:
        return {}
    kind = q.kind
    if kind == QuestionKind.PRIORITY_SCALE:
        return {
            name(q, str(i)): value.get(p.lineage)
            for i, p in enumerate(ctx.priorities, start=1)
            if p.lineage in value
        }
    if kind == QuestionKind.PRIORITY_RANKING:
        rank = {lineage: i for i, lineage in enumerate(value, start=1)}
        return {
            name(q, str(i)): str(rank[p.lineage])
            for i, p in enumerate(ctx.priorities, start=1)
            if p.lineage in rank
        }
    if kind == QuestionKind.RESPONDENT_TYPE:
        return {name(q): value.get("type"), name(q, "organisation"): value.get("organisation")}
    return {name(q): value}


def readable_columns(q: Question, ctx: QuestionContext) -> list[str]:
    """The columns an answer to `q` takes where people read answers (the export and the staff
    response page): one per plan priority for the priority scale and ranking, else one."""
    if q.kind == QuestionKind.PRIORITY_SCALE:
        return [f"{q.text}: {p.title}" for p in ctx.priorities]
    if q.kind == QuestionKind.PRIORITY_RANKING:
        return [f"{q.text}: {p.title} (1 = most important)" for p in ctx.priorities]
    return [q.text]


def readable_cells(q: Question, value: Any, text: str, ctx: QuestionContext) -> list[Any]:
    """An answer as `readable_columns` lays it out: answer labels (“Don’t know”), never the
    codes analysis stores (`dont_know`), and each priority's rank as a number."""
    if q.kind == QuestionKind.PRIORITY_SCALE:
        given = value if isinstance(value, dict) else {}
        return [
            AGREE_LABELS.get(given.get(p.lineage, ""), given.get(p.lineage, ""))
            for p in ctx.priorities
        ]
    if q.kind == QuestionKind.PRIORITY_RANKING:
        rank = {lineage: i for i, lineage in enumerate(value or [], start=1)}
        return [rank.get(p.lineage, "") for p in ctx.priorities]
    if q.kind == QuestionKind.AGREE_SCALE and isinstance(value, str):
        return [AGREE_LABELS.get(value, text)]
    return [text]
