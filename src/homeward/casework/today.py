""" "What needs me today" on the home page: counts that each module contributes, each linking to the
filtered list where the work is.

Modules call `register_today(fn)` in their AppConfig.ready(); fn(actor) returns the items for the actor's
role (counts only, never names: the home page holds no personal data).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TodayItem:
    label: str  # "Overdue blockers on my cases"
    count: int
    url: str  # the filtered list
    urgent: bool = False  # shown first, in red, when the count is above zero


Provider = Callable[[Any], Iterable[TodayItem]]
_PROVIDERS: list[Provider] = []


def register_today(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def today_for(actor: Any) -> list[TodayItem]:
    items = [item for provider in _PROVIDERS for item in provider(actor)]
    return sorted(items, key=lambda item: (not (item.urgent and item.count), not item.count))
