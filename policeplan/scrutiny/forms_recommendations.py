"""Forms for reports, recommendations, responses, milestones and the tracker's filters,
rendered as GOV.UK components."""

from __future__ import annotations

from typing import Any

from django import forms

from policeplan.core.govuk import GovukDateField, GovukForm
from policeplan.core.singleline import SingleLineMixin
from policeplan.scrutiny.models import BodyFormat, ReportKind, ResponseDecision


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ReportForm(SingleLineMixin, GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of report", choices=ReportKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label="Title", max_length=300)
    plan_version: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Version of the plan it reviews",
        queryset=None,
        required=False,
        empty_label="Not a review of the plan",
        help_text="For a report on the draft plan: the consultation draft",
    )
    body_format = forms.ChoiceField(
        label="The text is written in",
        choices=BodyFormat.choices,
        initial=BodyFormat.MARKDOWN,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(label="The report’s text", required=False, widget=_text(12))
    document_url = forms.URLField(
        label="Link to the published report", required=False, max_length=500
    )
    response_due_on = GovukDateField(
        label="Response due",
        required=False,
        help_text="Leave blank for the default number of days after the report is published",
    )

    field_order = [
        "kind",
        "title",
        "plan_version",
        "body_format",
        "body",
        "document_url",
        "response_due_on",
    ]

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["plan_version"]
        field.queryset = versions
        field.label_from_instance = lambda v: f"{v.plan.title}: {v.display_name}"


class RecommendationForm(SingleLineMixin, GovukForm, forms.Form):
    number = forms.IntegerField(label="Number", min_value=1, max_value=999)
    text = forms.CharField(label="Recommendation", widget=_text(5))
    links = forms.MultipleChoiceField(
        label="Parts of the plan it concerns",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Priorities, outcomes, measures and commitments. A linked measure’s latest "
        "figure is shown beside the recommendation on the tracker",
    )

    boroughs = forms.MultipleChoiceField(
        label="Boroughs it concerns",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="It is listed on each borough’s page once the report is published",
    )

    def __init__(
        self,
        *args: Any,
        elements: list[tuple[str, str, str]],
        boroughs: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["links"]
        field.choices = [(f"{e}:{lineage}", label) for e, lineage, label in elements]
        chosen: Any = self.fields["boroughs"]
        chosen.choices = list(boroughs)

    def links_chosen(self) -> list[tuple[str, str]]:
        return [(v.split(":", 1)[0], v.split(":", 1)[1]) for v in self.cleaned_data["links"]]


CHANGE_REASON_HELP = (
    "Needed when a published date moves: the old date, the new one and this reason are shown "
    "on the public tracker"
)


class ResponseForm(GovukForm, forms.Form):
    decision = forms.ChoiceField(
        label="The office’s decision", choices=ResponseDecision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label="Reasons", widget=_text(5))
    will_do = forms.CharField(label="What the office will do", required=False, widget=_text(4))
    target_on = GovukDateField(label="By when", required=False)
    change_reason = forms.CharField(
        label="Why the date is changing",
        required=False,
        widget=_text(2),
        help_text=CHANGE_REASON_HELP,
    )


class MilestoneForm(SingleLineMixin, GovukForm, forms.Form):
    title = forms.CharField(label="Milestone", max_length=300)
    due_on = GovukDateField(label="Due date")
    change_reason = forms.CharField(
        label="Why the date is changing",
        required=False,
        widget=_text(2),
        help_text=CHANGE_REASON_HELP,
    )


class MilestoneUpdateForm(GovukForm, forms.Form):
    on = GovukDateField(label="Date")
    text = forms.CharField(label="Update", widget=_text(3))
    done = forms.BooleanField(label="The milestone is reached", required=False)


class TrackerFilters(forms.Form):
    """The tracker's filters (a GET form): only the values offered are accepted."""

    body = forms.ChoiceField(label="Body", required=False)
    report = forms.ChoiceField(label="Report", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    priority = forms.ChoiceField(label="Plan priority", required=False)

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            field: Any = self.fields[name]
            field.choices = [("", "All"), *options]
            field.error_messages["invalid_choice"] = f"Choose a {field.label.lower()} from the list"


class RecommendationsImportForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="The recommendations spreadsheet, saved as CSV",
        help_text="‘CSV UTF-8 (Comma delimited)’ in Excel, up to 2MB",
        error_messages={"required": "Choose the CSV file to import"},
    )


class ReviewDatesForm(GovukForm, forms.Form):
    opens_on = GovukDateField(label="The review opens")
    closes_on = GovukDateField(
        label="The review closes",
        help_text="The last day for the body’s report on the draft plan, as agreed with the office",
    )
