"""The cap arithmetic of outcome claims, as a pure function so it can be tested exhaustively.

Outcomes are paid in the order they were achieved. Each is refused when its line's per-person count or
total count is used up, or when it is past its claim deadline; otherwise it is paid its price, cut to what
is left under the per-person and total money caps (a claim with nothing left is refused)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Candidate:
    key: Any  # what the caller needs back (e.g. the outcome found)
    line: int
    person: str  # pseudonym
    price: Decimal
    per_person: int
    max_claims: int | None
    achieved_on: dt.date
    deadline: dt.date


@dataclass
class Ledger:
    """What is already claimed (claims not rejected)."""

    total: Decimal = ZERO
    by_person: dict[str, Decimal] = field(default_factory=dict)
    by_line: Counter[int] = field(default_factory=Counter)
    by_line_person: Counter[tuple[int, str]] = field(default_factory=Counter)

    def add(self, line: int, person: str, amount: Decimal) -> None:
        self.total += amount
        self.by_person[person] = self.by_person.get(person, ZERO) + amount
        self.by_line[line] += 1
        self.by_line_person[line, person] += 1


@dataclass(frozen=True)
class Decision:
    candidate: Candidate
    amount: Decimal  # zero when refused
    reason: str  # why refused; "" when paid

    @property
    def paid(self) -> bool:
        return not self.reason

    @property
    def capped(self) -> bool:
        return self.paid and self.amount < self.candidate.price


def allocate(
    candidates: list[Candidate],
    ledger: Ledger,
    *,
    total_cap: Decimal,
    person_cap: Decimal | None,
    today: dt.date,
) -> list[Decision]:
    """Decide each candidate in order of achievement, updating `ledger` with what is paid."""
    decisions = []
    for c in sorted(candidates, key=lambda c: (c.achieved_on, c.line, c.person)):
        reason = ""
        amount = ZERO
        if today > c.deadline:
            reason = f"Past the claim deadline ({c.deadline:%-d %b %Y})"
        elif ledger.by_line_person[c.line, c.person] >= c.per_person:
            reason = f"Already claimed {c.per_person} for this person (the most per person)"
        elif c.max_claims is not None and ledger.by_line[c.line] >= c.max_claims:
            reason = f"This outcome's limit of {c.max_claims} payments is reached"
        else:
            total_left = total_cap - ledger.total
            person_left = None if person_cap is None else person_cap - ledger.by_person.get(c.person, ZERO)
            amount = min(c.price, total_left, *([] if person_left is None else [person_left]))
            if amount <= 0:
                amount = ZERO
                which = "total" if total_left <= 0 else "per-person"
                reason = f"The contract's {which} cap is reached"
        if not reason:
            ledger.add(c.line, c.person, amount)
        decisions.append(Decision(c, amount, reason))
    return decisions
