"""Reads other modules may make of outcomes: unit costs, for business-case proposers."""

from __future__ import annotations

from decimal import Decimal

from homeward.core.errors import NotFound
from homeward.engines.cba.prices import rebase
from homeward.outcomes.models import UnitCost
from homeward.outcomes.unitcosts import ensure_seeded


def unit_cost(key: str) -> UnitCost:
    """The unit cost under `key` (the shipped rows are re-created first if a test emptied the table)."""
    try:
        return UnitCost.objects.get(key=key)
    except UnitCost.DoesNotExist:
        ensure_seeded()
    try:
        return UnitCost.objects.get(key=key)
    except UnitCost.DoesNotExist:
        raise NotFound(f"No unit cost '{key}'") from None


def rebased_unit_cost(uc: UnitCost, year: int) -> dict[str, float | None]:
    """The unit cost's value (and range) at `year` prices; PriceYearError if the series lacks a year."""

    def at(v: Decimal | None) -> float | None:
        return None if v is None else rebase(float(v), uc.price_year, year)

    return {"value": at(uc.value), "low": at(uc.low), "high": at(uc.high)}
