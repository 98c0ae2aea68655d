"""Forms of the evaluation pages. The design form turns what was typed into the engine's spec; the
engine validates it (`load_spec`, then `prepare` against the data) and its errors, which name spec
fields (`matching.caliper`), are put back on the form's fields (FIELD_OF)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from homeward.core.validators import CleanForm
from homeward.evaluation.codes import RECORD_MEASURES

_TEXT = {"class": "nhsuk-input"}
_SHORT = {"class": "nhsuk-input nhsuk-input--width-5"}
_RADIOS = {"class": "nhsuk-radios__input"}

#: The first part of an engine field path -> the form field that shows its error.
FIELD_OF = {
    "intervention": "intervention",
    "outcome": "outcome",
    "outcome_label": "outcome_label",
    "pre_months": "pre_months",
    "post_months": "post_months",
    "starts": "starts_from",
    "period": "starts_from",
    "people": "intervention",
    "data": "intervention",
    "eligible": "exact",
    "comparison": "rationale",
    "matching.method": "method",
    "matching.exact": "exact",
    "matching.covariates": "covariates",
    "matching.caliper": "caliper",
    "matching.replacement": "replacement",
    "matching.ratio": "caliper",
    "robustness": "robustness",
}


def form_field(engine_field: str) -> str | None:
    """The form field for an engine error's field path (None: shown at the top of the form)."""
    parts = re.sub(r"\[\d+\]", "", engine_field).split(".")
    for n in (2, 1):
        if ".".join(parts[:n]) in FIELD_OF:
            return FIELD_OF[".".join(parts[:n])]
    return None


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


class DesignForm(CleanForm):
    intervention = forms.ChoiceField(
        label="What was done, and where the data come from",
        help_text="An intervention recorded in Homeward (its start date per person comes from the "
        "records), or an imported extract (start dates from its people file).",
    )
    question = forms.CharField(
        label="The intervention, as the report should name it",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=_TEXT),
    )
    outcome = forms.CharField(
        label="Outcome (a measure in the data)",
        max_length=100,
        help_text="From Homeward's records: " + ", ".join(RECORD_MEASURES) + ".",
        widget=forms.TextInput(attrs={**_TEXT, "list": "measures", "spellcheck": "false"}),
    )
    outcome_label = forms.CharField(
        label="How the outcome reads in a sentence",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=_TEXT),
    )
    pre_months = forms.IntegerField(
        label="Months before the start compared", initial=12, widget=forms.NumberInput(attrs=_SHORT)
    )
    post_months = forms.IntegerField(
        label="Months from the start", initial=12, widget=forms.NumberInput(attrs=_SHORT)
    )
    starts_from = forms.CharField(
        label="Treated: people starting from (YYYY-MM)",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs=_SHORT),
    )
    starts_to = forms.CharField(
        label="Treated: people starting up to (YYYY-MM)",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs=_SHORT),
    )
    pool = forms.ChoiceField(
        label="Who they are compared with",
        choices=[
            ("never", "People with the same kind of need who were never helped"),
            ("later", "Those, and people helped later (after the post-period ends)"),
        ],
        initial="never",
        widget=forms.RadioSelect(attrs=_RADIOS),
    )
    rationale = forms.CharField(
        label="Why this comparison is fair",
        required=False,
        max_length=2000,
        help_text="Needed for Maryland SMS level 3, e.g. 'patients discharged from the same wards who "
        "were not referred because the service had no capacity'.",
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )
    method = forms.ChoiceField(
        label="Match on",
        choices=[
            ("propensity", "A propensity score (from the covariates)"),
            ("outcomes", "Pre-period outcomes"),
        ],
        initial="propensity",
        widget=forms.RadioSelect(attrs=_RADIOS),
    )
    exact = forms.CharField(
        label="Categories matched exactly (comma-separated columns)",
        required=False,
        max_length=500,
        initial="age_band",
        widget=forms.TextInput(attrs=_TEXT),
    )
    covariates = forms.CharField(
        label="Covariates in the propensity model (comma-separated columns)",
        required=False,
        max_length=1000,
        initial="age",
        widget=forms.TextInput(attrs=_TEXT),
    )
    caliper = forms.FloatField(
        label="Caliper (standard deviations; blank for none)",
        required=False,
        initial=0.2,
        min_value=0.001,
        max_value=10,
        widget=forms.NumberInput(attrs={**_SHORT, "step": "0.01"}),
    )
    replacement = forms.BooleanField(
        label="A comparison may stand in for more than one person", required=False
    )
    robustness = forms.BooleanField(
        label="Run the robustness checks (placebo, calipers, pools, capped)", required=False, initial=True
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention"].choices = choices  # type: ignore[attr-defined]

    def source(self) -> tuple[str, str, int | None]:
        """(source, intervention key, extract id) from the chosen option."""
        chosen = self.cleaned_data["intervention"]
        if chosen.startswith("extract:"):
            return "extract", "", int(chosen.removeprefix("extract:"))
        return "records", chosen, None

    def spec(self, default_label: str) -> dict[str, Any]:
        """The engine's spec (a mapping for `load_spec`) from what was typed."""
        data = self.cleaned_data
        spec: dict[str, Any] = {
            "intervention": data["question"] or default_label,
            "outcome": data["outcome"],
            "pre_months": data["pre_months"],
            "post_months": data["post_months"],
            "comparison": {"later_treated": data["pool"] == "later"},
            "matching": {
                "method": data["method"],
                "exact": _names(data["exact"]),
                "covariates": _names(data["covariates"]),
                "caliper": data["caliper"],
                "replacement": data["replacement"],
            },
            "robustness": {"enabled": data["robustness"]},
        }
        if data["outcome_label"]:
            spec["outcome_label"] = data["outcome_label"]
        if data["rationale"]:
            spec["comparison"]["rationale"] = data["rationale"]
        if data["starts_from"] or data["starts_to"]:
            spec["starts"] = {
                "from": data["starts_from"] or data["starts_to"],
                "to": data["starts_to"] or data["starts_from"],
            }
        return spec


class ImportForm(CleanForm):
    name = forms.CharField(label="Name of the extract", max_length=120, widget=forms.TextInput(attrs=_TEXT))
    activity = forms.FileField(
        label="Activity file (CSV or Parquet: key, month, measure, count)",
        widget=forms.ClearableFileInput(attrs={"class": "nhsuk-file-upload", "accept": ".csv,.parquet"}),
    )
    people = forms.FileField(
        label="People file (CSV or Parquet: key, start_date, then categories and covariates)",
        widget=forms.ClearableFileInput(attrs={"class": "nhsuk-file-upload", "accept": ".csv,.parquet"}),
    )


class SendForm(CleanForm):
    outcome = forms.ChoiceField(label="The business-case outcome the measured effect replaces")
    unit_cost = forms.ChoiceField(label="Unit cost of one unit of the measured outcome")

    def __init__(
        self, *args: Any, outcomes: list[tuple[str, str]], units: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcomes  # type: ignore[attr-defined]
        self.fields["unit_cost"].choices = units  # type: ignore[attr-defined]
