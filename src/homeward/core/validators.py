"""Validators for UK identifiers: NHS number (Modulus 11), UPRN, postcode, ODS code."""

from __future__ import annotations

import re

import nhs_number
from django.core.exceptions import ValidationError

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
