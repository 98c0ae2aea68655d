"""Groups of a person's record that a referral can share field by field (the minimum necessary).

The person's name is always shared: the receiver must know who they are helping.
"""

from __future__ import annotations

from typing import Any

from homeward.core.models import Person

# group -> (label, Person fields in it)
FIELD_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "nhs_number": ("NHS number", ("nhs_number",)),
    "date_of_birth": ("Date of birth", ("date_of_birth",)),
    "address": ("Address", ("address_line_1", "address_line_2", "town", "postcode", "uprn")),
    "contact": ("Phone, email and how they like to be contacted", ("phone", "email", "contact_preference")),
    "language": ("Language and interpreter", ("preferred_language", "interpreter_required")),
    "access_needs": ("Accessibility needs", ("accessibility_needs",)),
}
ALWAYS_SHARED = ("given_name", "family_name", "preferred_name")


def field_group_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _fields) in FIELD_GROUPS.items()]


def check_field_groups(errors: dict[str, str], name: str, groups: list[str]) -> None:
    unknown = [g for g in groups if g not in FIELD_GROUPS]
    if unknown:
        errors[name] = f"Not a part of the record that can be shared: {', '.join(unknown)}"


def shared_view(person: Person, groups: frozenset[str] | None) -> dict[str, Any]:
    """The person's fields the viewer may see: every field when `groups` is None."""
    names = [*ALWAYS_SHARED]
    for key, (_label, fields) in FIELD_GROUPS.items():
        if groups is None or key in groups:
            names.extend(fields)
    return {name: getattr(person, name) for name in names}
