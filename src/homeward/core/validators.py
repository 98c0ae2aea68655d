"""Validators: UK identifiers (NHS number Modulus 11, UPRN, postcode, ODS code), text hygiene (no control
characters), bounded ids and offsets, and plausible dates. The rules are in docs/input-hygiene.md.

Text hygiene is applied centrally: every page form inherits `CleanForm` (below), every API request schema
inherits `homeward.api.base.InputSchema`, and the CLI and file imports call `check_text`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import nhs_number
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

# Ids are PostgreSQL bigints: 1..2**63-1. Anything else cannot name a record.
MAX_ID = 2**63 - 1
# Paging goes no deeper than this; narrow the filters instead. Bounds the work one request can ask for.
MAX_OFFSET = 100_000

# C0 control characters (U+0000 to U+001F). Multi-line fields may keep tab, line feed and carriage return
# (browsers send a textarea's line breaks as CR LF); single-line fields may keep none of them.
_CONTROL_SINGLE = re.compile(r"[\x00-\x1f]")
_CONTROL_MULTI = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The same rules as JSON Schema (ECMA-262) patterns, for the OpenAPI document.
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f]*$"
MULTI_LINE_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"
# ...and for a field that must also hold something other than spaces.
NON_BLANK_PATTERN = r"^[^\u0000-\u001f]*[^\s\u0000-\u001f][^\u0000-\u001f]*$"
NON_BLANK_MULTI_LINE_PATTERN = (
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*[^\s\u0000-\u001f]"
    r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"
)


def control_character_problem(value: str, *, label: str, multiline: bool = False) -> str | None:
    """Why `value` may not be stored (it holds a C0 control character), naming the field; else None."""
    found = (_CONTROL_MULTI if multiline else _CONTROL_SINGLE).search(value)
    if found is None:
        return None
    allowed = " other than tab and line breaks" if multiline else ""
    return (
        f"{label} must not contain control characters{allowed} "
        f"(found U+{ord(found.group()):04X} at position {found.start() + 1})"
    )


def check_text(errors: dict[str, str], field: str, value: Any, *, multiline: bool = False) -> None:
    """Record an error for `field` when `value` (a string, or a list of strings) holds a control character.
    For services, the CLI and imports, which report errors as {field: message}."""
    values = value if isinstance(value, (list, tuple)) else [value]
    for item in values:
        if isinstance(item, str):
            problem = control_character_problem(item, label=field, multiline=multiline)
            if problem:
                errors.setdefault(field, problem)
                return


def control_characters_in(
    data: Any, *, path: str = "", multiline_keys: tuple[str, ...] = ()
) -> dict[str, str]:
    """Every string in a parsed file (nested dicts and lists) that holds a control character, keyed by its
    path (e.g. "services[3].name"). Keys containing one of `multiline_keys` may keep tab and line breaks."""
    errors: dict[str, str] = {}

    def walk(node: Any, where: str, multiline: bool) -> None:
        if len(errors) >= 20:  # enough to act on; the import is refused anyway
            return
        if isinstance(node, str):
            problem = control_character_problem(node, label=where or "value", multiline=multiline)
            if problem:
                errors[where or "value"] = problem
        elif isinstance(node, dict):
            for key, value in node.items():
                name = f"{where}.{key}" if where else str(key)
                walk(value, name, any(k in str(key) for k in multiline_keys))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]", multiline)

    walk(data, path, False)
    return errors


class NoControlCharacters:
    """A Django validator: refuses C0 control characters (multi-line fields keep tab and line breaks)."""

    def __init__(self, label: str, *, multiline: bool = False):
        self.label = label
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if isinstance(value, str):
            problem = control_character_problem(value, label=self.label, multiline=self.multiline)
            if problem:
                raise ValidationError(problem, code="control_characters")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, NoControlCharacters)
            and other.label == self.label
            and other.multiline == self.multiline
        )


class PlausibleDate:
    """A Django validator: a date within the plausible window (see PAST_YEARS), naming the field."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value: Any) -> None:
        errors: dict[str, str] = {}
        check_date(errors, "date", value, label=self.label)
        if errors:
            raise ValidationError(errors["date"], code="implausible_date")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDate) and other.label == self.label


def guard_text_fields(fields: dict[str, forms.Field]) -> None:
    """Give every text field of a form the control-character check (a textarea is multi-line), and every
    date field except a date of birth (which has its own rule) the plausible-date window."""
    for name, field in fields.items():
        if isinstance(field, forms.DateField) and "birth" not in name:
            date_check = PlausibleDate(str(field.label or name.replace("_", " ").capitalize()))
            if date_check not in field.validators:
                field.validators.append(date_check)
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            multiline = isinstance(field.widget, forms.Textarea)
            label = str(field.label or name.replace("_", " ").capitalize())
            check = NoControlCharacters(label, multiline=multiline)
            if check not in field.validators:
                field.validators.append(check)


class CleanTextMixin:
    """For any Django form: its text fields refuse control characters, naming the field."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guard_text_fields(self.fields)


class CleanForm(CleanTextMixin, forms.Form):
    """The base of every page form."""


def id_problem(value: Any, *, label: str) -> str | None:
    """Why `value` cannot be a record id (ids are 1..2**63-1), or None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        return f"{label} must be a whole number from 1 to {MAX_ID}"
    return None


# Plausible dates: an event (admitted, raised, resolved, discharged, an agreement's start) happened no more
# than PAST_YEARS ago; a date that is planned (due, expected, an agreement's end) is no more than
# FUTURE_YEARS ahead. Dates of birth have their own rule (people.services: up to 125 years ago, not future).
PAST_YEARS = 20
FUTURE_YEARS = 5


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def plausible_date_bounds(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return _years_from(today, -PAST_YEARS), _years_from(today, FUTURE_YEARS)


def check_date(errors: dict[str, str], field: str, value: Any, *, label: str | None = None) -> None:
    """Record an error for `field` when a date is outside the plausible window (see PAST_YEARS)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return
    earliest, latest = plausible_date_bounds()
    name = label or field.replace("_", " ").capitalize()
    if value < earliest:
        errors.setdefault(
            field, f"{name} must be within the last {PAST_YEARS} years (on or after {earliest})"
        )
    elif value > latest:
        errors.setdefault(field, f"{name} must be within {FUTURE_YEARS} years from today (by {latest})")


_NON_DIGITS = re.compile(r"[\s-]")
POSTCODE_RE = re.compile(r"^(GIR 0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? [0-9][ABD-HJLNP-UW-Z]{2})$")
ODS_RE = re.compile(r"^[A-Z0-9]{3,10}$")


def normalise_nhs_number(value: str) -> str:
    """Strip spaces and hyphens: '943 476 5919' -> '9434765919'."""
    return _NON_DIGITS.sub("", value or "")


def nhs_number_problem(value: str) -> str | None:
    """Why `value` is not a valid NHS number, or None when it is (NHS Data Dictionary: Modulus 11)."""
    digits = normalise_nhs_number(value)
    if not digits.isdigit() or len(digits) != 10:
        return "NHS number must be 10 digits"
    if not nhs_number.is_valid(digits):
        return "NHS number is not valid: the check digit does not match (Modulus 11)"
    return None


def validate_nhs_number(value: str) -> None:
    if problem := nhs_number_problem(value):
        raise ValidationError(problem, code="nhs_number")


def normalise_postcode(value: str) -> str:
    """Upper-case with a single space before the inward code: 'm11aa' -> 'M1 1AA'."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real UK postcode, like M1 1AA", code="postcode")


def validate_uprn(value: str) -> None:
    if not (value.isdigit() and 1 <= len(value) <= 12):
        raise ValidationError("UPRN must be a number of up to 12 digits", code="uprn")


def validate_ods_code(value: str) -> None:
    if not ODS_RE.match(value):
        raise ValidationError("ODS code must be 3 to 10 capital letters or digits", code="ods_code")


class IdConverter:
    """URL converter `<id:...>` for page routes: a record id 1..2**63-1; anything larger is no match (404),
    never an overflow deep in the database driver."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)
