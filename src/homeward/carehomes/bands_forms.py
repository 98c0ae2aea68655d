"""The form where an organisation's administrator loads an early-warning scheme's bands (carehomes.bands)."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.carehomes.bands import COLUMNS, MAX_FILE_BYTES, read_bands
from homeward.carehomes.forms import AREA, DATE, HINT, NUMBER, TEXT
from homeward.core.errors import ValidationFailed
from homeward.core.validators import CleanForm


class BandsForm(CleanForm):
    """A new version of a scheme: what it is, where its bands are published, the terms that allow their
    use, when it came into force, the trigger total, and the bands as a CSV file or pasted text."""

    name = forms.CharField(label="Scheme", max_length=100, widget=TEXT, help_text="For example, NEWS2")
    version = forms.CharField(
        label="Version", max_length=40, widget=TEXT, help_text="As the publisher names it; one version once"
    )
    source = forms.CharField(
        label="Where the bands are published",
        max_length=500,
        widget=AREA,
        help_text="The citation: publisher, title, date, and an ISBN, DOI or web address",
    )
    licence = forms.CharField(
        label="The terms that allow your organisation to use them",
        max_length=500,
        widget=AREA,
        help_text="For example, the licence or the permission you hold, and its date",
    )
    in_force_from = forms.DateField(label="In force from", widget=DATE, help_text=HINT)
    trigger_score = forms.IntegerField(
        label="A total at or above this is a deterioration",
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    bands_file = forms.FileField(
        label="Bands file (CSV)",
        required=False,
        help_text=f"Up to {MAX_FILE_BYTES // 1024} KB. A file replaces anything pasted below.",
        widget=forms.ClearableFileInput(attrs={"class": "nhsuk-file-upload", "accept": ".csv,text/csv"}),
    )
    bands = forms.CharField(
        label="Or paste the bands",
        required=False,
        max_length=MAX_FILE_BYTES,
        strip=False,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 12, "spellcheck": "false"}),
        help_text=f"The same CSV: a header row {','.join(COLUMNS)}, then one band a line",
    )
    turn_on = forms.BooleanField(label="Turn this version on for your homes now", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("bands") or ""
        if "bands" in self.errors:
            return data
        if not text.strip():
            self.add_error("bands", "Upload a bands file or paste the bands")
            return data
        try:
            read_bands(text)  # the file's shape, shown with the other fields' problems
        except ValidationFailed as exc:
            for message in exc.errors.values():
                self.add_error("bands", message)
        return data

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("bands_file", None)
        return data
