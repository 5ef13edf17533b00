from __future__ import annotations

from typing import Any

from django import forms

from policeplan.core.govuk import GovukDateField, GovukForm, LinesField
from policeplan.performance import selectors as performance_selectors
from policeplan.plans import models as m

ALLOWED_DOCUMENT_TYPES = {"pdf", "docx", "odt", "txt", "rtf", "html", "mp3", "mp4"}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class PlanCreateForm(GovukForm, forms.Form):
    title = forms.CharField(label="Title of the plan", max_length=200)
    starts_on = GovukDateField(label="Start date", help_text="For example, 1 4 2025")
    ends_on = GovukDateField(label="End date", help_text="For example, 31 3 2029")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "The end date must be after the start date")
        return data


class VersionDetailsForm(GovukForm, forms.ModelForm):
    class Meta:
        model = m.PlanVersion
        fields = ["label", "summary", "grants_statement"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 10})}


class PublishForm(GovukForm, forms.Form):
    state = forms.ChoiceField(
        label="How do you want to publish this version?",
        choices=[
            (
                m.VersionState.CONSULTATION,
                "As the consultation draft, for the public to comment on",
            ),
            (m.VersionState.FINAL, "As the final plan"),
        ],
        widget=forms.RadioSelect,
    )
    change_note = forms.CharField(
        label="What changed from the previous version",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown with the version history. Optional for a first version.",
    )


class ChapterForm(GovukForm, forms.ModelForm):
    class Meta:
        model = m.Chapter
        fields = ["title", "body", "statutory_element"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "statutory_element": forms.RadioSelect,
        }
        error_messages = {"body": {"required": "Enter the text of the chapter"}}


class PriorityForm(GovukForm, forms.ModelForm):
    class Meta:
        model = m.Priority
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}


class OutcomeForm(GovukForm, forms.ModelForm):
    class Meta:
        model = m.Outcome
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class MeasureForm(GovukForm, forms.ModelForm):
    concepts = LinesField(
        label="Concepts counted",
        required=False,
        help_text="One per line, from the crosswalk (for example residential-burglary): each "
        "counts the source's names for it in every period. When given, categories are ignored.",
    )
    categories = LinesField(
        label="Categories counted",
        required=False,
        help_text="One per line: crime types (Burglary), MPS categories (BURGLARY), survey "
        "questions (Trust MPS) or outcomes. Leave empty to count everything.",
    )
    numerator_categories = LinesField(
        label="Outcomes that count towards a percentage",
        required=False,
        help_text="Only for a percentage of records, one per line (for example Arrest).",
    )
    geography_levels = forms.MultipleChoiceField(
        label="Areas it is reported for",
        choices=m.GeographyLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = m.Measure
        fields = list(m.Measure.CONTENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "data_source_kind": forms.RadioSelect,
            "unit": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "dataset": forms.RadioSelect,
            "target_kind": forms.RadioSelect,
        }
        error_messages = {"target_value": {"invalid": "Enter the target figure as a number"}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dataset, unit = data.get("dataset"), data.get("unit")
        if dataset == m.MeasureDataset.PAS and unit != m.Unit.PERCENTAGE:
            self.add_error("unit", "A survey measure is a percentage")
        concepts = data.get("concepts") or []
        unknown = sorted(set(concepts) - performance_selectors.concept_slugs())
        if unknown:
            self.add_error(
                "concepts",
                f"{', '.join(unknown)} is not a concept in the crosswalk: use the slugs on "
                "the crosswalk page",
            )
        if (
            dataset == m.MeasureDataset.PAS
            and len(concepts) != 1
            and len(data.get("categories") or []) != 1
        ):
            self.add_error(
                "categories", "Enter the one survey question this measure reports, like Trust MPS"
            )
        if data.get("numerator_categories") and unit != m.Unit.PERCENTAGE:
            self.add_error(
                "numerator_categories",
                "Outcomes that count towards a percentage need the unit Percentage",
            )
        target_kind, target_value = data.get("target_kind"), data.get("target_value")
        if target_kind and target_value is None:
            self.add_error("target_value", "Enter the target figure")
        if target_value is not None and not target_kind:
            self.add_error("target_kind", "Choose what kind of target the figure is")
        if target_kind == m.TargetKind.CHANGE and not data.get("baseline_period"):
            self.add_error("baseline_period", "Enter the baseline the target is a change from")
        if (
            target_kind == m.TargetKind.LEVEL
            and unit == m.Unit.PERCENTAGE
            and target_value is not None
            and not 0 <= target_value <= 100
        ):
            self.add_error("target_value", "Enter a percentage from 0 to 100")
        if dataset == m.MeasureDataset.OUTCOME_RATE and unit != m.Unit.PERCENTAGE:
            self.add_error("unit", "An outcome rate is a percentage")
        if (
            dataset
            in {
                m.MeasureDataset.STOP_SEARCH,
                m.MeasureDataset.OUTCOMES,
                m.MeasureDataset.OUTCOME_RATE,
            }
            and unit == m.Unit.PERCENTAGE
            and not data.get("numerator_categories")
        ):
            self.add_error(
                "numerator_categories", "Enter the outcomes that count towards the percentage"
            )
        return data


class CommitmentForm(GovukForm, forms.ModelForm):
    due_on = GovukDateField(
        label="Due date", required=False, help_text="Optional. For example, 31 3 2026"
    )

    def __init__(self, *args: Any, version: m.PlanVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["priority"]
        field.queryset = version.priorities.order_by("order", "pk")  # type: ignore[attr-defined]
        field.empty_label = "Not linked to one priority"  # type: ignore[attr-defined]

    class Meta:
        model = m.Commitment
        fields = ["text", "priority", "owner", "due_on", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "status": forms.RadioSelect}


class FinancialYearMixin(forms.BaseForm):
    def clean_financial_year(self) -> str:
        return _financial_year(self.cleaned_data["financial_year"])


class ResourceLineForm(FinancialYearMixin, GovukForm, forms.ModelForm):
    class Meta:
        model = m.ResourceLine
        fields = ["heading", "financial_year", "amount", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"amount": {"invalid": "Enter the amount in pounds, like 1250000"}}


class GrantForm(FinancialYearMixin, GovukForm, forms.ModelForm):
    class Meta:
        model = m.Grant
        fields = ["recipient", "purpose", "amount", "financial_year", "conditions"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"amount": {"invalid": "Enter the amount in pounds, like 250000"}}


class ReportingArrangementForm(GovukForm, forms.ModelForm):
    class Meta:
        model = m.ReportingArrangement
        fields = ["title", "description", "frequency"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class DocumentForm(GovukForm, forms.ModelForm):
    class Meta:
        model = m.Document
        fields = ["title", "kind", "file"]
        widgets = {"kind": forms.RadioSelect, "file": forms.FileInput}
        error_messages = {"file": {"required": "Select a file to upload"}}

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None or not hasattr(upload, "size"):
            return upload
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in ALLOWED_DOCUMENT_TYPES:
            allowed = ", ".join(sorted(t.upper() for t in ALLOWED_DOCUMENT_TYPES))
            raise forms.ValidationError(f"The selected file must be a {allowed}")
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 20MB")
        if extension == "pdf" and not upload.read(5).startswith(b"%PDF-"):
            raise forms.ValidationError("The selected file is not a real PDF")
        upload.seek(0)
        return upload


def _financial_year(value: str) -> str:
    value = value.strip().replace("/", "-")
    parts = value.split("-")
    if len(parts) == 2 and parts[0].isdigit() and len(parts[0]) == 4 and parts[1].isdigit():
        start = int(parts[0])
        end = int(parts[1]) if len(parts[1]) == 4 else int(str(start)[:2] + parts[1])
        if end == start + 1:
            return f"{start}-{str(end)[2:]}"
    raise forms.ValidationError("Enter the financial year like 2024-25")


FORMS: dict[str, type[forms.ModelForm]] = {
    "chapters": ChapterForm,
    "priorities": PriorityForm,
    "outcomes": OutcomeForm,
    "measures": MeasureForm,
    "commitments": CommitmentForm,
    "resources": ResourceLineForm,
    "grants": GrantForm,
    "reporting": ReportingArrangementForm,
    "documents": DocumentForm,
}
