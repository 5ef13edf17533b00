"""Forms for the decisions log and questions, staff and public, rendered as GOV.UK
components. Every one-line field refuses line breaks and control characters."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

from policeplan.core import dates
from policeplan.core.govuk import GovukDateField, GovukForm
from policeplan.core.singleline import SingleLineMixin
from policeplan.plans.selectors import PlanElement

DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
EARLIEST = datetime.date(2000, 1, 1)
MAX_VALUE = Decimal("999999999999.99")  # what the column holds: 14 digits, 2 of them pence


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def plan_choices(elements: list[PlanElement]) -> list[tuple[str, str]]:
    return [(e.lineage, f"{e.kind.capitalize()}: {e.title}") for e in elements]


def check_day(form: forms.Form, name: str, label: str) -> None:
    """A date of something that has happened: from 2000 and not after today (London)."""
    day = form.cleaned_data.get(name)
    if day is None:
        return
    if day < EARLIEST:
        form.add_error(name, f"The {label} must be on or after {dates.day(EARLIEST)}")
    elif day > timezone.localdate():
        form.add_error(name, f"The {label} must be today or in the past")


class MoneyField(forms.CharField):
    """An amount in pounds as people write it ('£1,250,000', '12345.67'), as a Decimal:
    never a float, never negative, at most two decimal places."""

    SHAPE = re.compile(r"^\d+(\.\d{1,2})?$")

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        plain = text.replace("£", "").replace(",", "").replace(" ", "")
        if plain.startswith("-"):
            raise forms.ValidationError(f"The {self.label_lower} cannot be less than £0")
        if not self.SHAPE.match(plain):
            raise forms.ValidationError(
                f"Enter the {self.label_lower} in pounds, like 250000 or 1,250,000.50"
            )
        try:
            amount = Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the pattern lets through only numbers
            raise forms.ValidationError(f"Enter the {self.label_lower} in pounds") from None
        if amount > MAX_VALUE:
            raise forms.ValidationError(f"The {self.label_lower} must be less than £1 trillion")
        return amount

    @property
    def label_lower(self) -> str:
        label = str(self.label or "value")
        return label[:1].lower() + label[1:]


class DecisionForm(SingleLineMixin, GovukForm, forms.Form):
    reference = forms.CharField(
        label="Reference", max_length=40, help_text="For example PCD 1031 or DMPCD 2024-55"
    )
    title = forms.CharField(label="Title", max_length=300)
    summary = forms.CharField(label="Summary", widget=_text(6), help_text="Markdown")
    decision_maker = forms.CharField(label="Decision maker’s name", max_length=200)
    decision_maker_role = forms.CharField(
        label="Decision maker’s role",
        max_length=200,
        help_text="For example Deputy Mayor for Policing and Crime",
    )
    decided_on = GovukDateField(label="Date of the decision")
    value = MoneyField(
        label="Value",
        required=False,
        max_length=30,
        help_text="In pounds, for example 1,250,000. Leave blank if the decision has no value",
    )
    plan_links = forms.MultipleChoiceField(
        label="Parts of the plan it concerns",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Meeting it was taken at or reported to",
        queryset=None,
        required=False,
        empty_label="No meeting",
    )
    item: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Agenda item", queryset=None, required=False, empty_label="Not on an item"
    )
    exempt_summary = forms.CharField(
        label="Exempt part (Part 2)",
        required=False,
        widget=_text(4),
        help_text="Never published. Leave blank if nothing is exempt",
    )
    exempt_reason = forms.CharField(
        label="Why Part 2 is exempt",
        max_length=300,
        required=False,
        help_text="Shown to the public in its place, for example 'Commercially sensitive "
        "information (Freedom of Information Act 2000, section 43)'. Needed to add Part 2 "
        "documents",
    )

    def __init__(
        self,
        *args: Any,
        elements: list[PlanElement],
        meetings: Any,
        items: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        links: Any = self.fields["plan_links"]
        links.choices = plan_choices(elements)
        meeting: Any = self.fields["meeting"]
        meeting.queryset = meetings
        meeting.label_from_instance = lambda m: f"{m.display_title}, {dates.day(m.starts_at)}"
        item: Any = self.fields["item"]
        item.queryset = items
        item.label_from_instance = lambda i: (
            f"{dates.day(i.meeting.starts_at)}, item {i.number}: {i.title}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_day(self, "decided_on", "date of the decision")
        if data.get("exempt_summary", "").strip() and not data.get("exempt_reason", "").strip():
            self.add_error("exempt_reason", "Enter why Part 2 is exempt")
        return data

    def data_for_service(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "plan_links"}


class DecisionDocumentForm(SingleLineMixin, GovukForm, forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    upload = forms.FileField(
        label="The file",
        help_text="PDF, Word (.doc, .docx, .odt), spreadsheet (.xls, .xlsx, .ods, .csv) or "
        "text (.txt), up to 50MB",
    )
    part2 = forms.BooleanField(
        label="It is part of Part 2: withhold it from the public", required=False
    )
    order = forms.IntegerField(
        label="Position among the decision’s documents", min_value=0, max_value=999, initial=0
    )


class ListFilterForm(SingleLineMixin, GovukForm, forms.Form):
    """A public list's filters (a GET form): each filter in `FILTERS` offers 'Any' and the
    choices given; a value not offered is an error naming the filter (`CHOOSE`), never a
    server error, and is left out of `filters()`, where a year is a number."""

    FILTERS: tuple[str, ...] = ()
    CHOOSE = "Choose {label} from the list"

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in self.FILTERS:
            field: Any = self.fields[name]
            field.choices = [("", "Any"), *choices[name]]
            field.error_messages["invalid_choice"] = self.CHOOSE.format(
                label=str(field.label).lower()
            )

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out, and shown as an error)."""
        data = self.cleaned_data if self.is_bound else {}
        found: dict[str, Any] = {name: data.get(name) or "" for name in self.FILTERS}
        if "year" in found:
            found["year"] = int(found["year"]) if found["year"] else None
        return found


class DecisionSearchForm(ListFilterForm):
    """The public decisions log's search and filters."""

    FILTERS = ("year", "maker", "priority", "band")
    CHOOSE = "Choose a {label} from the list"

    q = forms.CharField(
        label="Search by reference, title or summary", required=False, max_length=200
    )
    year = forms.ChoiceField(label="Year", required=False)
    maker = forms.ChoiceField(label="Decision maker", required=False)
    priority = forms.ChoiceField(label="Plan priority", required=False)
    band = forms.ChoiceField(label="Value", required=False)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound else {}
        return {"q": (data.get("q") or "").strip(), **super().filters()}


class QuestionForm(SingleLineMixin, GovukForm, forms.Form):
    asked_by = forms.CharField(
        label="Asked by", max_length=200, help_text="Their name, for example Amara Okoye AM"
    )
    asked_on = GovukDateField(label="Date asked")
    text = forms.CharField(label="Question", widget=_text(5))
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Meeting it was asked at",
        queryset=None,
        required=False,
        empty_label="No meeting: asked in writing",
    )
    item: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Agenda item", queryset=None, required=False, empty_label="Not on an item"
    )
    plan_links = forms.MultipleChoiceField(
        label="Parts of the plan it is about", required=False, widget=forms.CheckboxSelectMultiple
    )
    answer = forms.CharField(
        label="Answer", required=False, widget=_text(6), help_text="Markdown. Blank until answered"
    )
    answered_on = GovukDateField(label="Date answered", required=False)
    answered_by = forms.CharField(
        label="Answered by", max_length=200, required=False, help_text="Their name and role"
    )

    def __init__(
        self, *args: Any, elements: list[PlanElement], meetings: Any, items: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        links: Any = self.fields["plan_links"]
        links.choices = plan_choices(elements)
        meeting: Any = self.fields["meeting"]
        meeting.queryset = meetings
        meeting.label_from_instance = lambda m: f"{m.display_title}, {dates.day(m.starts_at)}"
        item: Any = self.fields["item"]
        item.queryset = items
        item.label_from_instance = lambda i: (
            f"{dates.day(i.meeting.starts_at)}, item {i.number}: {i.title}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_day(self, "asked_on", "date asked")
        check_day(self, "answered_on", "date answered")
        asked, answered = data.get("asked_on"), data.get("answered_on")
        if asked and answered and answered < asked and "answered_on" not in self.errors:
            self.add_error(
                "answered_on", "The answer cannot be dated before the question was asked"
            )
        has_answer = bool(data.get("answer", "").strip())
        if has_answer and not answered and "answered_on" not in self.errors:
            self.add_error("answered_on", "Enter the date it was answered")
        if answered and not has_answer:
            self.add_error("answer", "Enter the answer, or leave its date blank")
        return data

    def data_for_service(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "plan_links"}


class QuestionFilterForm(ListFilterForm):
    """A body's public list of questions: its filters."""

    FILTERS = ("status", "asked_by", "year", "priority")

    status = forms.ChoiceField(label="Status", required=False)
    asked_by = forms.ChoiceField(label="Asked by", required=False)
    year = forms.ChoiceField(label="Year asked", required=False)
    priority = forms.ChoiceField(label="Plan priority", required=False)
