import datetime

import pytest
from django import forms

from policeplan.core.govuk import GovukDateField, GovukForm, error_summary, field_spec


class ExampleForm(GovukForm, forms.Form):
    name = forms.CharField(label="Full name", max_length=50)
    colour = forms.ChoiceField(
        label="Favourite colour", choices=[("r", "Red"), ("b", "Blue")], widget=forms.RadioSelect
    )
    notes = forms.CharField(label="Notes", required=False, max_length=200, widget=forms.Textarea)
    when = GovukDateField(label="Date of the meeting")
    seen = forms.MultipleChoiceField(
        label="What you have seen",
        required=False,
        choices=[("d", "Dealing"), ("g", "Graffiti")],
        widget=forms.CheckboxSelectMultiple,
    )


def test_required_messages_follow_govuk_style():
    form = ExampleForm(data={})
    assert not form.is_valid()
    assert form.errors["name"] == ["Enter full name"]
    assert form.errors["colour"] == ["Select favourite colour"]
    assert form.errors["when"] == ["Enter the date of the meeting"]


def test_error_summary_links_to_the_first_input_of_each_field():
    form = ExampleForm(data={"when_day": "31", "when_month": "2", "when_year": "2025"})
    form.is_valid()
    summary = error_summary(form)
    hrefs = {item["text"]: item["href"] for item in summary["errorList"]}
    assert hrefs["Enter full name"] == "#id_name"
    assert hrefs["Select favourite colour"] == "#id_colour"
    assert hrefs["The date of the meeting must be a real date"] == "#id_when_day"
    assert error_summary(ExampleForm()) is None


def test_each_widget_maps_to_its_govuk_component():
    form = ExampleForm(data={"name": "Ada", "colour": "b", "notes": "hi"})
    form.is_valid()
    assert field_spec(form["name"]).component == "input"
    radios = field_spec(form["colour"])
    assert radios.component == "radios"
    assert [i["value"] for i in radios.params["items"] if i.get("checked")] == ["b"]
    notes = field_spec(form["notes"])
    assert notes.component == "character-count"
    assert notes.params["maxlength"] == 200
    # Django's CheckboxSelectMultiple is a kind of RadioSelect: it must still be checkboxes,
    # so more than one can be ticked.
    assert field_spec(form["seen"]).component == "checkboxes"
    date = field_spec(form["when"])
    assert date.component == "date-input"
    assert [i["name"] for i in date.params["items"]] == ["when_day", "when_month", "when_year"]


def test_inline_error_message_is_carried_to_the_component():
    form = ExampleForm(data={})
    form.is_valid()
    assert field_spec(form["name"]).params["errorMessage"] == {"text": "Enter full name"}


def test_date_field_parses_and_explains_what_is_missing():
    form = ExampleForm(
        data={"name": "A", "colour": "r", "when_day": "1", "when_month": "", "when_year": "2025"}
    )
    assert not form.is_valid()
    assert form.errors["when"] == ["The date of the meeting must include a month"]
    ok = ExampleForm(
        data={"name": "A", "colour": "r", "when_day": "1", "when_month": "4", "when_year": "2025"}
    )
    assert ok.is_valid()
    assert ok.cleaned_data["when"] == datetime.date(2025, 4, 1)


@pytest.mark.parametrize(
    ("year", "error"),
    [
        ("9999", "The date of the meeting must be in a year from 1900 to 2200"),
        ("1066", "The date of the meeting must be in a year from 1900 to 2200"),
        ("0000", "The date of the meeting must be a real date"),
        ("2026", None),
    ],
)
def test_a_date_is_refused_outside_the_years_a_plan_can_concern(year, error):
    form = ExampleForm(
        data={"name": "A", "colour": "r", "when_day": "1", "when_month": "3", "when_year": year}
    )
    form.is_valid()
    assert form.errors.get("when", [None])[0] == error
