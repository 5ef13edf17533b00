from __future__ import annotations

from typing import Any

from django import forms

from policeplan.core.govuk import GovukDateField, GovukForm
from policeplan.estates import hours as hrs
from policeplan.estates.estate_sheet import POSTCODE
from policeplan.estates.models import BuildingKind, BuildingStatus, PledgeRule

HOURS_HELP = (
    "Days and times, for example ‘Mo-Fr 08:00-20:00; Sa 10:00-16:00’, ‘24/7’ for a counter "
    "that never closes, or ‘closed’ when it closes for good. Times past midnight are fine: "
    "‘Fr-Sa 22:00-02:00’."
)
STEP_FREE = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


class BuildingForm(GovukForm, forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the building’s name"}
    )
    address = forms.CharField(label="Address", max_length=300, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    borough: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Borough",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the borough", "invalid_choice": "Choose a borough"},
    )
    latitude = forms.FloatField(
        label="Latitude",
        required=False,
        min_value=49,
        max_value=61,
        help_text="In degrees, like 51.5033",
    )
    longitude = forms.FloatField(
        label="Longitude",
        required=False,
        min_value=-9,
        max_value=3,
        help_text="In degrees, like -0.1276",
    )
    kind = forms.ChoiceField(
        label="Type",
        choices=BuildingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of building"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=BuildingStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the building’s status"},
    )
    step_free = forms.ChoiceField(
        label="Step-free access to the public parts",
        choices=STEP_FREE,
        required=False,
        widget=forms.RadioSelect,
    )
    services = forms.CharField(
        label="Services offered",
        required=False,
        max_length=2000,
        help_text="One a line",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, boroughs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["borough"].queryset = boroughs  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        value = " ".join(self.cleaned_data["postcode"].upper().split())
        if not value:
            return ""
        found = POSTCODE.match(value)
        if not found:
            raise forms.ValidationError("Enter a UK postcode, like SW1A 2JL")
        return f"{found.group(1)} {found.group(2)}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", "Enter both the latitude and the longitude, or neither")
        return data

    def building_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["step_free"] = {"yes": True, "no": False}.get(data["step_free"])
        # One a line, or separated by semicolons as the spreadsheet writes them: the same list
        # either way, so an export sent back unchanged changes nothing.
        parts = data["services"].replace(";", "\n").splitlines()
        data["services"] = [s.strip()[:100] for s in parts if s.strip()]
        return data


class HoursForm(GovukForm, forms.Form):
    starts_on = GovukDateField(label="From")
    hours = forms.CharField(
        label="Opening hours",
        max_length=500,
        help_text=HOURS_HELP,
        error_messages={"required": "Enter the opening hours, or ‘closed’"},
    )
    note = forms.CharField(
        label="Note",
        max_length=300,
        required=False,
        help_text="For example the decision that changed them",
    )

    def clean_hours(self) -> str:
        try:
            return str(hrs.parse(self.cleaned_data["hours"]))
        except hrs.HoursError as error:
            raise forms.ValidationError(
                f"Enter the hours like ‘Mo-Fr 08:00-20:00’: {error}"
            ) from None


class FileForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="The estate spreadsheet, saved as CSV",
        help_text="‘CSV UTF-8 (Comma delimited)’ in Excel, up to 2MB",
        error_messages={"required": "Choose the CSV file to import"},
    )


class LocationsFileForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="Locations saved from data.police.uk, as JSON",
        help_text="A neighbourhood’s JSON, a list of them, or what ‘policeplan estate-fetch’ saved",
        error_messages={"required": "Choose the JSON file to import"},
    )


class PledgeForm(GovukForm, forms.Form):
    title = forms.CharField(
        label="Pledge",
        max_length=200,
        error_messages={"required": "Enter the pledge as it was made"},
    )
    rule = forms.ChoiceField(
        label="What it promises",
        choices=PledgeRule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the pledge promises"},
    )
    at_least = forms.IntegerField(
        label="How many, at least",
        min_value=1,
        max_value=50,
        error_messages={"required": "Enter how many"},
    )
    made_on = GovukDateField(label="Made on")
    made_by = forms.CharField(label="Made by, and where", max_length=200, required=False)


class DisposalForm(GovukForm, forms.Form):
    building: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Building",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the building", "invalid_choice": "Choose a building"},
    )
    decision_reference = forms.CharField(
        label="Decision reference",
        max_length=40,
        required=False,
        help_text="As in the decisions log, like PCD 1234",
    )
    decided_on = GovukDateField(label="Decision date", required=False)
    estimated_receipt = forms.DecimalField(
        label="Estimated receipt (£)", required=False, min_value=0, max_digits=14, decimal_places=0
    )
    actual_receipt = forms.DecimalField(
        label="Actual receipt (£)", required=False, min_value=0, max_digits=14, decimal_places=0
    )
    sold_on = GovukDateField(label="Date of sale", required=False)
    running_cost_saving = forms.DecimalField(
        label="Running costs saved a year (£)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=0,
    )
    exempt = forms.BooleanField(
        label="The figures are exempt information: withhold them", required=False
    )
    exempt_reason = forms.CharField(label="Why they are withheld", max_length=300, required=False)
    notes = forms.CharField(
        label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]


class StrategyForm(GovukForm, forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the document’s title"}
    )
    published_on = GovukDateField(label="Published on")
    summary = forms.CharField(
        label="Summary", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label="The document (PDF)", error_messages={"required": "Choose the document"}
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("The document must be a PDF")
        return upload


class LookupFileForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="The ONS lookup of local authorities to community safety partnerships (CSV)",
        help_text="‘Local Authority District to Community Safety Partnerships to Police Force "
        "Areas’ from the ONS Open Geography Portal, any edition, up to 2MB",
        error_messages={"required": "Choose the CSV file to import"},
    )


class PartnershipForm(GovukForm, forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the partnership’s name"}
    )
    members = forms.CharField(
        label="Members",
        required=False,
        max_length=5000,
        help_text="One organisation a line",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contact_email = forms.EmailField(label="Contact email address", required=False)
    contact_phone = forms.CharField(label="Contact telephone", max_length=40, required=False)
    meetings_url = forms.URLField(
        label="Where its meetings are published",
        required=False,
        max_length=500,
        assume_scheme="https",
    )
