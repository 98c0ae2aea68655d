"""State machines as data: a table of allowed transitions per case type."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from homeward.core.errors import IllegalTransition


@dataclass(frozen=True)
class StateMachine:
    """Allowed moves between statuses. `stamps` names the case field set to the moment of arrival."""

    name: str
    transitions: Mapping[str, frozenset[str]]
    stamps: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls, name: str, moves: Mapping[str, Iterable[str]], stamps: Mapping[str, str] | None = None
    ) -> StateMachine:
        statuses = set(moves) | {target for targets in moves.values() for target in targets}
        table = {status: frozenset(moves.get(status, ())) for status in statuses}
        return cls(name, table, dict(stamps or {}))

    @property
    def statuses(self) -> frozenset[str]:
        return frozenset(self.transitions)

    @property
    def final_statuses(self) -> frozenset[str]:
        return frozenset(status for status, targets in self.transitions.items() if not targets)

    def allowed_from(self, status: str) -> list[str]:
        return sorted(self.transitions.get(status, frozenset()))

    def can_move(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, frozenset())

    def check(self, current: str, target: str) -> None:
        if target not in self.transitions:
            raise IllegalTransition(current, target, self.allowed_from(current))
        if not self.can_move(current, target):
            raise IllegalTransition(current, target, self.allowed_from(current))
