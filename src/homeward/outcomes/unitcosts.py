"""The unit-cost database: sourced seed rows, bearers, re-basing to a price year, and audited edits.

Unit costs are installation-wide reference data (no personal data). Everyone who can see outcomes reads
them; administrators add and change them, and every change is kept with who, when and why.
"""

from __future__ import annotations

import math
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.cba import Beneficiary
from homeward.engines.cba.prices import PriceYearError, gdp_deflator, rebase
from homeward.governance.access import Actor
from homeward.outcomes.models import UnitCost, UnitCostChange

KINDS = ("fiscal", "economic", "social")
FIELDS = (
    "key",
    "name",
    "value",
    "low",
    "high",
    "unit",
    "price_year",
    "confidence_grade",
    "source",
    "source_url",
    "bearers",
)


def seed_rows() -> list[dict[str, Any]]:
    """The shipped, sourced unit costs (outcomes/data/unit_costs.yaml), bearer amounts made into shares."""
    text = resources.files("homeward.outcomes").joinpath("data/unit_costs.yaml").read_text()
    rows: list[dict[str, Any]] = yaml.safe_load(text)
    for row in rows:
        bearers = row["bearers"]
        if any("amount" in b for b in bearers):
            total = math.fsum(b["amount"] for b in bearers)
            for b in bearers:
                b["share"] = b.pop("amount") / total
        row.setdefault("low", None)
        row.setdefault("high", None)
        row.setdefault("source_url", "")
    return rows


def ensure_seeded(model: Any = UnitCost) -> None:
    """Create any shipped unit cost that is missing; rows that exist (changed or not) are left alone.

    Run by the migration (with the historical model) and before the costs are read, so a database that
    was emptied and re-migrated without data (as transactional tests do) still has the sourced figures.
    """
    have = set(model.objects.values_list("key", flat=True))
    for row in seed_rows():
        if row["key"] not in have:
            model.objects.create(**row, seeded=True)


def can_edit(actor: Actor) -> bool:
    return actor.can(Permission.MANAGE_ORGANISATION)


def bearers_text(bearers: list[dict[str, Any]]) -> str:
    """One line per bearer, as the edit form shows them: `agency; kind; share; cashable|not cashable`."""
    return "\n".join(
        f"{b['agency']}; {b['kind']}; {b['share']:.6g}; {'cashable' if b.get('cashable') else 'not cashable'}"
        for b in bearers
    )


def parse_bearers(text: str) -> list[dict[str, Any]]:
    """Bearer lines → [{agency, kind, share, cashable}], or ValidationFailed naming the line at fault."""
    bearers: list[dict[str, Any]] = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationFailed({"bearers": "Give at least one agency that bears this cost"})
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.split(";")]
        if len(parts) != 4:
            raise ValidationFailed(
                {"bearers": f"Line {number}: write 'agency; kind; share; cashable or not cashable'"}
            )
        agency, kind, share, cash = parts
        if kind not in KINDS:
            raise ValidationFailed({"bearers": f"Line {number}: kind must be fiscal, economic or social"})
        if cash not in ("cashable", "not cashable"):
            raise ValidationFailed({"bearers": f"Line {number}: say 'cashable' or 'not cashable'"})
        try:
            value = float(share)
            bearer = Beneficiary(agency=agency, kind=kind, share=value, cashable=cash == "cashable")  # type: ignore[arg-type]
        except ValueError as exc:
            message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else "share must be a number"
            raise ValidationFailed({"bearers": f"Line {number}: {message}"}) from None
        bearers.append(bearer.model_dump())
    total = math.fsum(b["share"] for b in bearers)
    if abs(total - 1.0) > 1e-6:
        raise ValidationFailed({"bearers": f"Shares must add up to 1 (they add up to {total:g})"})
    return bearers


def snapshot(uc: UnitCost) -> dict[str, Any]:
    out = {f: getattr(uc, f) for f in FIELDS}
    for f in ("value", "low", "high"):
        out[f] = None if out[f] is None else f"{Decimal(out[f]):.2f}"
    return out


def price_years() -> range:
    series = gdp_deflator()
    return range(min(series), max(series) + 1)


@transaction.atomic
def save_unit_cost(
    actor: Actor, data: dict[str, Any], reason: str, existing: UnitCost | None = None
) -> UnitCost:
    """Create or change a unit cost; the change (before, after, reason) is kept. Bad input writes nothing."""
    if not can_edit(actor):
        raise NotAllowed("Only administrators can change unit costs")
    if not reason.strip():
        raise ValidationFailed({"reason": "Say why you are making this change"})
    try:
        rebase(1.0, int(data["price_year"]), int(data["price_year"]))
    except PriceYearError as exc:
        raise ValidationFailed({"price_year": str(exc)}) from None
    low, value, high = data.get("low"), data["value"], data.get("high")
    if low is not None and low > value:
        raise ValidationFailed({"low": "The low value must not be above the value"})
    if high is not None and high < value:
        raise ValidationFailed({"high": "The high value must not be below the value"})
    uc = existing or UnitCost()
    before = snapshot(existing) if existing else None
    for f in FIELDS:
        if f in data:
            setattr(uc, f, data[f])
    uc.updated_at = timezone.now()
    uc.updated_by = actor.user
    uc.save()
    UnitCostChange.objects.create(
        unit_cost=uc,
        at=uc.updated_at,
        by=actor.user,
        reason=reason.strip(),
        before=before,
        after=snapshot(uc),
    )
    return uc
