"""The scenario form: the simulator's keys as fields, so a planner can change one thing and run again."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from homeward.core.validators import CleanForm

BLOCKER_ROWS = 6
NUM = {"class": "nhsuk-input nhsuk-input--width-5", "inputmode": "decimal"}
SELECT = forms.Select(attrs={"class": "nhsuk-select"})
DISTS = [
    ("empirical", "From your cases (empirical)"),
    ("lognormal", "Lognormal (mean, sd)"),
    ("gamma", "Gamma (mean, sd)"),
    ("exponential", "Exponential (mean)"),
    ("fixed", "Fixed (mean)"),
]


def _num(label: str, *, required: bool = True, help_text: str = "", integer: bool = False) -> forms.Field:
    field_class = forms.IntegerField if integer else forms.FloatField
    return field_class(
        label=label, required=required, help_text=help_text, widget=forms.NumberInput(attrs=NUM)
    )


class ScenarioForm(CleanForm):
    name = forms.CharField(max_length=120, widget=forms.TextInput(attrs={"class": "nhsuk-input"}))
    horizon_days = _num("Days simulated", help_text="Including the warm-up", integer=True)
    warmup_days = _num("Warm-up days (discarded)", integer=True)
    rate_per_day = _num("Referrals per day")
    weekday_profile = forms.CharField(
        required=False,
        label="Weekday profile (Monday to Sunday, relative)",
        help_text="Seven numbers, e.g. 1.2, 1.1, 1, 1, 1, 0.8, 0.6; blank for the same every day",
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )
    beds = _num("Beds (blank for unlimited)", required=False, integer=True)
    los_dist = forms.ChoiceField(label="Length of stay to discharge-ready", choices=DISTS, widget=SELECT)
    los_mean = _num("Mean days", required=False)
    los_sd = _num("Standard deviation (days)", required=False)
    los_samples = forms.CharField(required=False, widget=forms.HiddenInput)
    housing_need = _num("Share of patients with a housing need (0 to 1)")
    officers = _num("Housing officers", integer=True)
    officer_mean = _num("Officer time per patient: mean days")
    officer_sd = _num("Officer time per patient: sd days", required=False)
    officer_start = forms.ChoiceField(
        label="Housing officer starts",
        choices=[
            ("at_referral", "At referral (early identification)"),
            ("at_discharge_ready", "When the patient is discharge-ready"),
        ],
        widget=SELECT,
    )
    readmit_within = _num("Readmission window (days)")
    readmit_met = _num("Readmission probability, housing need met")
    readmit_unmet = _num("Readmission probability, housing need not met")
    replications = _num(
        "Replications", integer=True, help_text="More gives narrower confidence intervals; 10 to 2000"
    )
    seed = _num("Seed", integer=True, help_text="The same seed gives the same answer")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(BLOCKER_ROWS):
            self.fields[f"b{i}_name"] = forms.CharField(
                required=False,
                label=f"Blocker {i + 1}",
                widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
            )
            self.fields[f"b{i}_probability"] = _num("Probability (0 to 1)", required=False)
            self.fields[f"b{i}_mean"] = _num("Clearance: mean days", required=False)
            self.fields[f"b{i}_sd"] = _num("Clearance: sd days", required=False)

    @classmethod
    def initial_from(
        cls, scenario: dict[str, Any], *, name: str, replications: int = 200, seed: int = 1
    ) -> dict[str, Any]:
        los = scenario["length_of_stay"]
        officers = scenario["housing_officers"]
        readmission = scenario.get("readmission", {})
        initial: dict[str, Any] = {
            "name": name,
            "horizon_days": int(scenario["horizon_days"]),
            "warmup_days": int(scenario.get("warmup_days", 0)),
            "rate_per_day": scenario["arrivals"].get("rate_per_day"),
            "weekday_profile": ", ".join(str(x) for x in scenario["arrivals"].get("weekday_profile") or []),
            "beds": (scenario.get("beds") or {}).get("capacity"),
            "los_dist": los["dist"],
            "los_mean": los.get("mean_days", los.get("value")),
            "los_sd": los.get("sd_days"),
            "los_samples": json.dumps(los.get("samples")) if los.get("samples") else "",
            "housing_need": scenario["housing_need"]["probability"],
            "officers": officers["count"],
            "officer_mean": officers["service"].get("mean_days"),
            "officer_sd": officers["service"].get("sd_days"),
            "officer_start": officers.get("start", "at_discharge_ready"),
            "readmit_within": readmission.get("within_days", 30),
            "readmit_met": readmission.get("probability_need_met", 0.0),
            "readmit_unmet": readmission.get("probability_need_unmet", 0.0),
            "replications": replications,
            "seed": seed,
        }
        for i, blocker in enumerate(scenario.get("blockers", [])[:BLOCKER_ROWS]):
            clearance = blocker["clearance"]
            initial |= {
                f"b{i}_name": blocker["name"],
                f"b{i}_probability": blocker["probability"],
                f"b{i}_mean": clearance.get("mean_days", clearance.get("value")),
                f"b{i}_sd": clearance.get("sd_days"),
            }
        return initial

    def scenario(self) -> dict[str, Any]:
        """The scenario in the engine's schema; the engine validates it and names any bad key."""
        d = self.cleaned_data

        def duration(dist: str, mean: float | None, sd: float | None) -> dict[str, Any]:
            if dist == "fixed":
                return {"dist": "fixed", "value": mean}
            if dist == "exponential" or (dist in ("gamma", "lognormal") and not sd):
                return {"dist": "exponential", "mean_days": mean}
            return {"dist": dist, "mean_days": mean, "sd_days": sd}

        if d["los_dist"] == "empirical":
            try:
                samples = json.loads(d["los_samples"] or "null")
            except ValueError:
                samples = None
            los: dict[str, Any] = {"dist": "empirical", "samples": samples}
        else:
            los = duration(d["los_dist"], d["los_mean"], d["los_sd"])
        profile: list[Any] | None = None
        if (d.get("weekday_profile") or "").strip():
            try:
                profile = [float(x) for x in d["weekday_profile"].replace(";", ",").split(",") if x.strip()]
            except ValueError:
                profile = ["not a number"]  # the engine names the key
        blockers = []
        for i in range(BLOCKER_ROWS):
            if (d.get(f"b{i}_name") or "").strip():
                blockers.append(
                    {
                        "name": d[f"b{i}_name"].strip(),
                        "probability": d.get(f"b{i}_probability"),
                        "clearance": duration("gamma", d.get(f"b{i}_mean"), d.get(f"b{i}_sd")),
                    }
                )
        return {
            "horizon_days": d["horizon_days"],
            "warmup_days": d["warmup_days"],
            "arrivals": {"rate_per_day": d["rate_per_day"]}
            | ({"weekday_profile": profile} if profile else {}),
            "beds": {"capacity": d.get("beds")},
            "length_of_stay": los,
            "housing_need": {"probability": d["housing_need"]},
            "housing_officers": {
                "count": d["officers"],
                "service": duration("gamma", d["officer_mean"], d.get("officer_sd")),
                "start": d["officer_start"],
            },
            "blockers": blockers,
            "readmission": {
                "within_days": d["readmit_within"],
                "probability_need_met": d["readmit_met"],
                "probability_need_unmet": d["readmit_unmet"],
            },
        }


# Engine key paths -> the form field that holds them, so errors land on the right input.
FIELD_FOR_PATH = {
    "horizon_days": "horizon_days",
    "warmup_days": "warmup_days",
    "arrivals": "rate_per_day",
    "arrivals.rate_per_day": "rate_per_day",
    "arrivals.weekday_profile": "weekday_profile",
    "beds.capacity": "beds",
    "length_of_stay": "los_dist",
    "length_of_stay.mean_days": "los_mean",
    "length_of_stay.sd_days": "los_sd",
    "length_of_stay.value": "los_mean",
    "housing_need.probability": "housing_need",
    "housing_officers.count": "officers",
    "housing_officers.service": "officer_mean",
    "housing_officers.service.mean_days": "officer_mean",
    "housing_officers.service.sd_days": "officer_sd",
    "readmission.within_days": "readmit_within",
    "readmission.probability_need_met": "readmit_met",
    "readmission.probability_need_unmet": "readmit_unmet",
}


def field_for(path: str) -> str | None:
    if path in FIELD_FOR_PATH:
        return FIELD_FOR_PATH[path]
    if path.startswith("arrivals.weekday_profile"):
        return "weekday_profile"
    if path.startswith("blockers."):
        parts = path.split(".")
        row = parts[1]
        key = {"name": "name", "probability": "probability", "clearance": "mean"}.get(
            parts[2] if len(parts) > 2 else "", "name"
        )
        if len(parts) > 3 and parts[3] == "sd_days":
            key = "sd"
        return f"b{row}_{key}"
    return None


class SendToCbaForm(CleanForm):
    """What the cost–benefit module needs besides the bed-days saved: the money."""

    bed_day_cost = _num(
        "Cost of an excess bed-day (£)",
        help_text="From your trust's finance team or the national cost collection; state the source below",
    )
    bed_day_source = forms.CharField(
        label="Source of that cost", max_length=300, widget=forms.TextInput(attrs={"class": "nhsuk-input"})
    )
    service_cost = _num(
        "Extra cost of the change per year (£)",
        help_text="e.g. two more housing officers' salary and on-costs",
    )
    years = _num("Years appraised", integer=True)
    optimism_bias = _num(
        "Optimism bias (0 to 1)",
        help_text="How much to reduce the benefits for over-confidence in a simulated estimate, e.g. 0.25",
    )
    discount_rate = _num("Discount rate", help_text="HM Treasury Green Book: 0.035")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limits = {
            "bed_day_cost": (0, 100_000, "a cost in pounds, 0 or more"),
            "service_cost": (0, 100_000_000, "a cost in pounds, 0 or more"),
            "years": (1, 30, "from 1 to 30 years"),
            "optimism_bias": (0, 1, "a fraction from 0 to 1"),
            "discount_rate": (0, 0.2, "a rate from 0 to 0.2 (HM Treasury: 0.035)"),
        }
        for name, (low, high, text) in limits.items():
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(name, f"Enter {text}")
        return data


TEXT = {"class": "nhsuk-input"}
AREA = {"class": "nhsuk-textarea", "rows": 3}


class UnitCostForm(CleanForm):
    key = forms.SlugField(
        max_length=80,
        help_text="Short name used in models, e.g. a-and-e-attendance",
        widget=forms.TextInput(attrs=TEXT),
    )
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs=TEXT))
    value = forms.DecimalField(
        min_value=0, max_digits=12, decimal_places=2, label="Value (£)", widget=forms.NumberInput(attrs=NUM)
    )
    low = forms.DecimalField(
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        label="Low (£)",
        widget=forms.NumberInput(attrs=NUM),
    )
    high = forms.DecimalField(
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        label="High (£)",
        widget=forms.NumberInput(attrs=NUM),
    )
    unit = forms.CharField(
        max_length=120, help_text="e.g. per attendance", widget=forms.TextInput(attrs=TEXT)
    )
    price_year = forms.IntegerField(
        help_text="The year whose prices the value is in (a financial year: the year it starts)",
        widget=forms.NumberInput(attrs=NUM),
    )
    confidence_grade = forms.IntegerField(
        min_value=1,
        max_value=6,
        help_text="1 (best evidence) to 6 (weakest)",
        widget=forms.NumberInput(attrs=NUM),
    )
    source = forms.CharField(help_text="Publication, table and year", widget=forms.Textarea(attrs=AREA))
    source_url = forms.URLField(
        assume_scheme="https",
        required=False,
        max_length=400,
        label="Source web address",
        widget=forms.URLInput(attrs=TEXT),
    )
    bearers = forms.CharField(
        help_text="One line each: agency; fiscal, economic or social; share (0 to 1); "
        "cashable or not cashable",
        widget=forms.Textarea(attrs=AREA),
    )
    reason = forms.CharField(label="Why are you making this change?", widget=forms.Textarea(attrs=AREA))


class BusinessCaseForm(CleanForm):
    name = forms.CharField(max_length=160, widget=forms.TextInput(attrs=TEXT))
    service = forms.ChoiceField(widget=SELECT)
    period_start = forms.DateField(
        label="Evidence from",
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
    )
    period_end = forms.DateField(
        label="Evidence to", widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")
    )
    years = forms.IntegerField(
        min_value=1, max_value=30, label="Appraisal years", widget=forms.NumberInput(attrs=NUM)
    )
    price_year = forms.TypedChoiceField(
        coerce=int,
        label="Price year",
        help_text="Unit costs are re-based to this year with the GDP deflator",
        widget=SELECT,
    )
    annual_cost = forms.FloatField(
        min_value=0,
        max_value=100_000_000,
        label="Cost of the service each year (£)",
        widget=forms.NumberInput(attrs=NUM),
    )
    cost_agency = forms.CharField(max_length=120, label="Who pays", widget=forms.TextInput(attrs=TEXT))
    cost_optimism_bias = forms.FloatField(
        min_value=0,
        max_value=2,
        label="Optimism-bias uplift on the cost (0.1 = +10%)",
        widget=forms.NumberInput(attrs=NUM),
    )

    def __init__(self, *args: Any, services: list[tuple[str, str]], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = services  # type: ignore[attr-defined]
        self.fields["price_year"].choices = [(y, str(y)) for y in reversed(years)]  # type: ignore[attr-defined]


class AssumptionForm(CleanForm):
    path = forms.ChoiceField(label="Assumption", widget=SELECT)
    value = forms.CharField(
        label="New value",
        help_text="A number (shares as fractions: 0.25 for 25%), or a distribution such as "
        '{"dist": "triangular", "min": 0.1, "mode": 0.2, "max": 0.3}',
        widget=forms.TextInput(attrs=TEXT),
    )
    reason = forms.CharField(
        label="Why are you changing it?", max_length=1000, widget=forms.Textarea(attrs=AREA)
    )

    def __init__(self, *args: Any, inputs: list[tuple[str, str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["path"].choices = [(p, label) for p, label, _ in inputs]  # type: ignore[attr-defined]


class ScenarioNameForm(CleanForm):
    name = forms.CharField(
        max_length=160,
        label="Scenario name",
        help_text="For example, Two more housing officers",
        widget=forms.TextInput(attrs=TEXT),
    )
