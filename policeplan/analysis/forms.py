"""Forms for the analysis pages, rendered as GOV.UK components. Several share a page, so
each takes a prefix and its fields get ids of their own."""

from __future__ import annotations

from typing import Any

from django import forms

from policeplan.analysis.models import Stance
from policeplan.core.govuk import GovukForm, LinesField


def _choices(form: forms.Form, name: str, choices: Any) -> None:
    field: Any = form.fields[name]
    field.choices = choices


def _theme_choices(themes: list[Any]) -> list[tuple[str, str]]:
    return [(str(t.lineage), t.label) for t in themes]


class SuggestForm(GovukForm, forms.Form):
    count = forms.IntegerField(
        label="How many themes to suggest",
        min_value=2,
        max_value=30,
        initial=8,
        help_text="You can merge, split, add and remove themes afterwards.",
    )


class RenameForm(GovukForm, forms.Form):
    theme = forms.ChoiceField(label="Theme")
    label = forms.CharField(label="New label", max_length=120)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, themes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "theme", _theme_choices(themes))


class MergeForm(GovukForm, forms.Form):
    themes = forms.MultipleChoiceField(label="Themes to merge", widget=forms.CheckboxSelectMultiple)
    label = forms.CharField(label="Label of the merged theme", max_length=120)

    def __init__(self, *args: Any, themes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "themes", _theme_choices(themes))


class SplitForm(GovukForm, forms.Form):
    theme = forms.ChoiceField(label="Theme to split")
    labels = LinesField(label="Labels of the new themes", help_text="One on each line.")

    def __init__(self, *args: Any, themes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "theme", _theme_choices(themes))


class AddForm(GovukForm, forms.Form):
    label = forms.CharField(label="Label", max_length=120)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RemoveForm(GovukForm, forms.Form):
    theme = forms.ChoiceField(label="Theme to remove")

    def __init__(self, *args: Any, themes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "theme", _theme_choices(themes))


class CodingForm(GovukForm, forms.Form):
    themes = forms.MultipleChoiceField(
        label="Themes in this text",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every theme the text raises, or none.",
    )
    stance = forms.ChoiceField(
        label="Stance", required=False, choices=Stance.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, themes: list[Any], asks: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "themes", _theme_choices(themes))
        if not asks:
            del self.fields["stance"]


class BlindForm(CodingForm):
    text = forms.IntegerField(widget=forms.HiddenInput)  # the text shown, so a stale page cannot
    # code a different one


class SampleForm(GovukForm, forms.Form):
    size = forms.IntegerField(
        label="How many texts to draw",
        min_value=1,
        max_value=2000,
        initial=50,
        help_text="At random from the texts not yet reviewed. 50 or more give a usable score.",
    )


class RedactionForm(GovukForm, forms.Form):
    phrase = forms.CharField(
        label="Words to mask", max_length=300, help_text="Copy them exactly from the response."
    )
    reason = forms.CharField(
        label="Why they are masked",
        max_length=300,
        help_text="For example: names a third party, could identify the respondent.",
    )


class ThemeResponseForm(GovukForm, forms.Form):
    you_said = forms.CharField(
        label="What people said",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A plain-English summary of the theme, for the public page.",
    )
    we_did = forms.CharField(
        label="Our response",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the office has done or will do. Markdown.",
    )


class PlanChangeForm(GovukForm, forms.Form):
    item = forms.ChoiceField(
        label="What changed in the plan", help_text="From the comparison of the two versions."
    )
    summary = forms.CharField(
        label="How it changed and why", widget=forms.Textarea(attrs={"rows": 4})
    )
    themes = forms.MultipleChoiceField(
        label="Themes that led to it", widget=forms.CheckboxSelectMultiple, required=False
    )
    recommendations = forms.MultipleChoiceField(
        label="Scrutiny recommendations that led to it",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="From the scrutiny body’s published reports on the consultation draft.",
    )
    measure = forms.ChoiceField(
        label="Measure that tracks it", required=False, help_text="In the final plan."
    )

    def __init__(
        self,
        *args: Any,
        items: list[str],
        theme_responses: list[Any],
        measures: list[tuple[str, str]],
        recommendations: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "item", [("", "Choose a change"), *((i, i) for i in items)])
        _choices(self, "themes", [(str(t.pk), t.label) for t in theme_responses])
        _choices(
            self,
            "recommendations",
            [
                (str(r.pk), f"{r.report.title}, recommendation {r.number}: {r.text[:120]}")
                for r in recommendations or []
            ],
        )
        _choices(self, "measure", [("", "None"), *measures])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("themes") and not data.get("recommendations"):
            self.add_error("themes", "Choose the themes or the recommendations that led to it")
        return data


class FiltersForm(forms.Form):
    """The analysis dashboard's filters (a GET form)."""

    borough = forms.ChoiceField(label="Borough", required=False)
    channel = forms.ChoiceField(label="Channel", required=False)
    respondent_type = forms.ChoiceField(label="Respondent type", required=False)
    equality = forms.ChoiceField(label="Equality group", required=False)

    def __init__(
        self,
        *args: Any,
        boroughs: list[tuple[str, str]],
        channels: list[tuple[str, str]],
        types: list[tuple[str, str]],
        equality: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", "All")]
        _choices(self, "borough", everyone + boroughs)
        _choices(self, "channel", everyone + channels)
        _choices(self, "respondent_type", everyone + types)
        _choices(self, "equality", everyone + equality)
