"""What care homes add to a person's timeline and subject access export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.people.timeline import TimelineEntry


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    return []


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    return []
