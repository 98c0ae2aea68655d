"""Case types that referrals can come from. Each case app registers how to find one of its cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeward.governance.access import Actor


@dataclass(frozen=True)
class Source:
    label: str
    url: str
    person_id: int


# (actor, case id) -> the case as the actor may see it, or None.
Resolver = Callable[[Actor, int], Source | None]
_RESOLVERS: dict[str, Resolver] = {}


def register_source(case_type: str, resolver: Resolver) -> None:
    _RESOLVERS[case_type] = resolver


def resolve_source(actor: Actor, case_type: str, case_id: int | None) -> Source | None:
    resolver = _RESOLVERS.get(case_type)
    if resolver is None or case_id is None:
        return None
    return resolver(actor, case_id)
