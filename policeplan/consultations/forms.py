"""Forms for the consultation pages, public and staff, rendered as GOV.UK components."""

from __future__ import annotations

from typing import Any

from django import forms

from policeplan.consultations.models import (
    WRITTEN_CHANNELS,
    Channel,
    EventKind,
    PublishConsent,
    QuestionKind,
)
from policeplan.core.forms import HoneypotMixin, PublicEmailField
from policeplan.core.formtimes import DateTimesMixin
from policeplan.core.formtimes import time_field as _time_field
from policeplan.core.govuk import GovukDateField, GovukForm, LinesField

IMPORT_MAX_BYTES = 50 * 1024 * 1024  # an export from another survey tool


class ConsultationForm(DateTimesMixin):
    pairs = (("opens_at", "Opens"), ("closes_at", "Closes"))

    title = forms.CharField(label="Title", max_length=200)
    plan_version: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Plan version consulted on",
        queryset=None,
        help_text="Usually the consultation draft.",
        empty_label="Choose a version",
    )
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 6}), help_text="Markdown."
    )
    opens_at_date = GovukDateField(label="Opening date")
    opens_at_time = _time_field("Opening time")
    closes_at_date = GovukDateField(label="Closing date")
    closes_at_time = _time_field("Closing time")
    one_page = forms.BooleanField(label="Show every question on one page", required=False)
    privacy_notice = forms.CharField(
        label="Privacy notice",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Who holds the responses, why, for how long and people’s rights. Markdown.",
    )
    retain_until = GovukDateField(
        label="Date until which personal details are kept",
        help_text="After this date names, email and postal addresses are erased. Answers are "
        "kept for analysis.",
    )
    contact_email = forms.EmailField(label="Contact email address", required=False)

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["plan_version"].label_from_instance = lambda v: (  # type: ignore[attr-defined]
            f"{v.plan.title}: {v.display_name}"
        )

    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        keys = ["title", "plan_version", "summary", "one_page", "privacy_notice"]
        out = {k: d[k] for k in keys}
        out.update(
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            retain_until=d["retain_until"],
            contact_email=d.get("contact_email") or "",
        )
        return out


class StageForm(GovukForm, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = GovukDateField(label="Date")
    ends_on = GovukDateField(
        label="End date", required=False, help_text="If it lasts more than a day."
    )


class SectionForm(GovukForm, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown above the questions. Markdown.",
    )


class QuestionForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Type of question", choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label="Question", max_length=300)
    hint = forms.CharField(label="Hint", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label="People must answer this question", required=False)
    max_length = forms.IntegerField(
        label="Character limit",
        required=False,
        min_value=50,
        max_value=20000,
        help_text="For free text. Leave blank for 2,000.",
    )
    options = LinesField(
        label="Answers to choose from",
        required=False,
        help_text="For single and multiple choice: one per line.",
    )
    priority: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Plan priority it asks about", queryset=None, required=False, empty_label="None"
    )
    chapter: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Plan chapter it asks about", queryset=None, required=False, empty_label="None"
    )

    def __init__(self, *args: Any, priorities: Any, chapters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities  # type: ignore[attr-defined]
        self.fields["chapter"].queryset = chapters  # type: ignore[attr-defined]


class EventForm(DateTimesMixin):
    pairs = (("starts_at", "Starts"), ("ends_at", "Ends"))

    kind = forms.ChoiceField(
        label="Kind of event", choices=EventKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    borough_code = forms.ChoiceField(label="Borough", required=False, choices=())
    venue = forms.CharField(
        label="Venue address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    online_link = forms.URLField(
        label="Online link",
        required=False,
        help_text="For online events. Sent only to people with a place.",
    )
    starts_at_date = GovukDateField(label="Date")
    starts_at_time = _time_field("Start time")
    ends_at_date = GovukDateField(label="End date")
    ends_at_time = _time_field("End time")
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=10000)
    access_information = forms.CharField(
        label="Access information",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Step-free access, hearing loops, British Sign Language interpretation and so "
        "on.",
    )
    public_registration = forms.BooleanField(
        label="Anyone can register on the website", required=False
    )

    def __init__(self, *args: Any, boroughs: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = sorted(boroughs.items(), key=lambda item: item[1])
        field: Any = self.fields["borough_code"]
        field.choices = [("", "None (London-wide or online)"), *choices]

    FIELDS = (
        "kind",
        "title",
        "description",
        "borough_code",
        "venue",
        "online_link",
        "capacity",
        "access_information",
        "public_registration",
    )

    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        text = {k: d.get(k) or "" for k in self.FIELDS}
        return {
            **text,
            "capacity": d["capacity"],
            "public_registration": bool(d.get("public_registration")),
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
        }


class AttendanceForm(GovukForm, forms.Form):
    attended = forms.MultipleChoiceField(
        label="Who came", required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label="Notes of the discussion", required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    issues_raised = LinesField(label="Issues raised", required=False, help_text="One per line.")

    def __init__(self, *args: Any, registrations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attended: Any = self.fields["attended"]
        attended.choices = [
            (str(r.pk), r.name or f"Registration {r.pk} (details erased)") for r in registrations
        ]


class SubmissionForm(GovukForm, forms.Form):
    channel = forms.ChoiceField(
        label="How it came",
        choices=[(c.value, c.label) for c in WRITTEN_CHANNELS],
        widget=forms.RadioSelect,
    )
    received_on = GovukDateField(
        label="Date received",
        required=False,
        help_text="Leave blank to use the date in the email, or today.",
    )
    upload = forms.FileField(
        label="The letter or email (optional)",
        required=False,
        help_text=".eml, .txt, .pdf or .docx, up to 10 MB. We take the text from it where we can.",
    )
    text = forms.CharField(
        label="What it says",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Leave blank to use the text from the file.",
    )
    organisation = forms.CharField(label="Organisation", required=False, max_length=200)
    name = forms.CharField(label="Sender’s name", required=False, max_length=200)
    email = forms.EmailField(label="Sender’s email address", required=False)
    address = forms.CharField(
        label="Sender’s postal address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResultsForm(GovukForm, forms.Form):
    results_summary = forms.CharField(
        label="What people said and what changed",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown. Published on the consultation page.",
    )


class SearchForm(GovukForm, forms.Form):
    q = forms.CharField(label="Search the responses", required=False, max_length=200)
    channel = forms.ChoiceField(
        label="Channel", required=False, choices=[("", "Any"), *Channel.choices]
    )


# Public forms ---------------------------------------------------------------------------


class PublishingForm(GovukForm, forms.Form):
    consent = forms.ChoiceField(
        label="May we publish your response?",
        choices=PublishConsent.choices,
        widget=forms.RadioSelect,
        help_text="We may quote responses in the consultation report. We never publish names, "
        "email addresses or anything that could identify you.",
        error_messages={"required": "Select whether we may publish your response"},
    )
    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = PublicEmailField(
        label="Your email address (optional)",
        required=False,
        help_text="We will email you your reference. We do not use it for anything else.",
    )


class RegistrationForm(HoneypotMixin, GovukForm):
    name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name"},
    )
    email = PublicEmailField(
        label="Email address",
        help_text="We send your confirmation and the joining details here.",
        error_messages={"required": "Enter your email address"},
    )
    access_needs = forms.CharField(
        label="Access needs (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Tell us anything that would help you take part, for example a British Sign "
        "Language interpreter or step-free access.",
    )


class ReferenceForm(HoneypotMixin, GovukForm):
    reference = forms.CharField(
        label="Your reference",
        max_length=20,
        help_text="It is on the confirmation page and in the email we sent, for example "
        "PCP-7KQ2-M9XD.",
        error_messages={"required": "Enter your reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    email = forms.CharField(
        label="The email address you gave, or your withdrawal code",
        max_length=254,
        help_text="We ask for it so that no one else can withdraw your response. If you gave "
        "no email address, enter the withdrawal code shown when you sent your response, for "
        "example 3JQK-9MXP-T4WZ.",
        error_messages={"required": "Enter the email address you gave, or your withdrawal code"},
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class ResumeForm(GovukForm, forms.Form):
    code = forms.CharField(
        label="Your code",
        max_length=12,
        help_text="The 8-character code you were given when you saved your answers, for "
        "example K7PQ-2M9X.",
        error_messages={"required": "Enter your code"},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "spellcheck": "false", "autocomplete": "off"}
        ),
    )


class ImportForm(GovukForm, forms.Form):
    """A consultation run elsewhere: its export and which columns hold what."""

    upload = forms.FileField(
        label="The export file",
        help_text="CSV (UTF-8) or Excel (.xlsx), one row per response, up to 50 MB.",
    )
    title = forms.CharField(label="Title of the consultation", max_length=200)
    plan_version: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Plan version it was about", queryset=None, empty_label="Choose a version"
    )
    id_column = forms.CharField(
        label="Column with each response’s id", max_length=200, help_text="As in the header row."
    )
    text_columns = LinesField(
        label="Columns of free text", help_text="One on each line. Each becomes a question."
    )
    borough_column = forms.CharField(
        label="Column with the borough (optional)", required=False, max_length=200
    )
    type_column = forms.CharField(
        label="Column saying individual or organisation (optional)",
        required=False,
        max_length=200,
    )
    consent_column = forms.CharField(
        label="Column saying whether the response may be quoted (optional)",
        required=False,
        max_length=200,
        help_text="‘Yes’ allows quoting without a name; anything else does not.",
    )
    other_columns = LinesField(
        label="Other columns to keep (optional)",
        required=False,
        help_text="Demographic or choice columns, one on each line. Each becomes a question.",
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["plan_version"]
        field.queryset = versions

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an Excel (.xlsx) file")
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 50MB")
        return upload
