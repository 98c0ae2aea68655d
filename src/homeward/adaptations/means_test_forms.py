"""Forms for the test of resources and the organisation's DFG tables: they parse; `means_test` decides."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from homeward.adaptations.forms import DATE, TEXT, _money
from homeward.core.validators import CleanForm

INCOME_ROWS = 6
CODES = r"^\s*[a-z][a-z0-9_]*(\s*,\s*[a-z][a-z0-9_]*)*\s*$"
CODES_HINT = "Codes from your organisation's table, separated by commas"


def _codes(label: str, help_text: str = CODES_HINT) -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=CODES,
        required=False,
        max_length=400,
        help_text=help_text,
        error_messages={"invalid": "Enter codes in lower case (a–z, 0–9, _), separated by commas"},
        widget=TEXT,
    )


class ResourcesForm(CleanForm):
    assessment_date = forms.DateField(
        label="Assessment date",
        required=False,
        widget=DATE,
        help_text="The tables in force on this date are used. Leave blank for the valid application date",
    )
    child_benefit_payable = forms.BooleanField(
        label="The disabled occupant is 16 to 18 and child benefit is payable for them",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    benefits = forms.MultipleChoiceField(
        label="Means-tested benefits the applicant or their partner receives",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
        help_text="From your organisation's passporting benefits table",
    )
    personal_allowance = forms.RegexField(
        label="Personal allowance",
        regex=r"^[a-z][a-z0-9_]*$",
        required=False,
        max_length=64,
        help_text="The code in your personal allowances table (for example, couple)",
        error_messages={"invalid": "Enter a code in lower case (a–z, 0–9, _)"},
        widget=TEXT,
    )
    dependants = _codes("Dependants")
    premiums = _codes("Premiums")
    capital_amount = _money("Capital (£)", help_text="Savings and investments")
    capital_rule = forms.RegexField(
        label="Capital rule",
        regex=r"^[a-z][a-z0-9_]*$",
        required=False,
        max_length=64,
        initial="standard",
        error_messages={"invalid": "Enter a code in lower case (a–z, 0–9, _)"},
        widget=TEXT,
    )

    def __init__(self, *args: Any, benefits: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["benefits"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, name) for name, code in sorted((n, c) for c, n in (benefits or {}).items())]
        for row in range(INCOME_ROWS):
            self.fields[f"income_{row}_description"] = forms.CharField(
                label=f"Income {row + 1}: what it is", required=False, max_length=200, widget=TEXT
            )
            self.fields[f"income_{row}_weekly_amount"] = _money(f"Income {row + 1}: a week (£)")
            self.fields[f"income_{row}_disregard"] = _money(f"Income {row + 1}: disregarded a week (£)")
            self.fields[f"income_{row}_disregard_reason"] = forms.CharField(
                label=f"Income {row + 1}: why disregarded", required=False, max_length=200, widget=TEXT
            )

    def income_rows(self) -> list[list[forms.BoundField]]:
        return [
            [
                self[f"income_{row}_{part}"]
                for part in ("description", "weekly_amount", "disregard", "disregard_reason")
            ]
            for row in range(INCOME_ROWS)
        ]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `means_test.run_test` takes it; a half-filled income row is an error."""
        data = self.cleaned_data
        income, rows = [], []
        errors: dict[str, str] = {}
        for row in range(INCOME_ROWS):
            description = data.get(f"income_{row}_description", "").strip()
            amount = data.get(f"income_{row}_weekly_amount")
            disregard = data.get(f"income_{row}_disregard")
            reason = data.get(f"income_{row}_disregard_reason", "").strip()
            if not (description or amount is not None or disregard is not None or reason):
                continue
            if not description:
                errors[f"income_{row}_description"] = f"Say what income {row + 1} is"
            if amount is None:
                errors[f"income_{row}_weekly_amount"] = f"Enter income {row + 1} a week in pounds"
            line: dict[str, Any] = {"description": description, "weekly_amount": amount or Decimal(0)}
            if disregard is not None or reason:
                line["disregard"] = disregard or Decimal(0)
                line["disregard_reason"] = reason
            income.append(line)
            rows.append(row)

        def split(name: str) -> list[str]:
            return [code.strip() for code in (data.get(name) or "").split(",") if code.strip()]

        return {
            "errors": errors,
            "assessment_date": data.get("assessment_date"),
            "child_benefit_payable": bool(data.get("child_benefit_payable")),
            "benefits": list(data.get("benefits") or []),
            "personal_allowance": data.get("personal_allowance") or "",
            "dependants": split("dependants"),
            "premiums": split("premiums"),
            "capital_amount": data.get("capital_amount"),
            "capital_rule": data.get("capital_rule") or "standard",
            "income": income,
            "income_rows": rows,
        }


class TablesUploadForm(CleanForm):
    file = forms.FileField(
        label="Tables file (JSON or YAML)",
        help_text="Format homeward-dfg-tables/1. Nothing is saved if any part is wrong.",
        widget=forms.ClearableFileInput(
            attrs={"class": "nhsuk-file-upload", "accept": ".json,.yaml,.yml,application/json"}
        ),
    )
