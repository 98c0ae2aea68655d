"""Hand-built extracts for risk-engine tests: one quiet tenancy plus whatever a test plants."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import polars as pl

from homeward.engines.risk import SCHEMAS, Extracts

AS_OF = date(2026, 9, 30)


def at(days_ago: float, hour: int = 11) -> datetime:
    """A weekday-ish time `days_ago` days before AS_OF at `hour` o'clock."""
    return datetime.combine(AS_OF, datetime.min.time()).replace(hour=hour) - timedelta(days=days_ago)


def day(days_ago: int) -> date:
    return AS_OF - timedelta(days=days_ago)


class Estate:
    """Tenancies and their events, built row by row."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {
            k: [] for k in ("tenancies", "contacts", "repairs", "rent", "asb", "concerns")
        }

    def tenancy(self, ref: str, *, started: date = date(2012, 4, 2), **attrs: Any) -> Estate:
        self.rows["tenancies"].append({"tenancy_ref": ref, "start_date": started, "end_date": None, **attrs})
        return self

    def contact(
        self, ref: str, when: datetime, *, category: str = "general", note: str | None = None
    ) -> Estate:
        self.rows["contacts"].append(
            {"tenancy_ref": ref, "contacted_at": when, "channel": "phone", "category": category, "note": note}
        )
        return self

    def rent_week(self, ref: str, week_start: date, balance: float) -> Estate:
        self.rows["rent"].append({"tenancy_ref": ref, "week_start": week_start, "balance": balance})
        return self

    def repair(
        self, ref: str, reported: date, *, category: str = "general", no_access: bool = False
    ) -> Estate:
        n = len(self.rows["repairs"])
        self.rows["repairs"].append(
            {
                "repair_ref": f"R{n}",
                "tenancy_ref": ref,
                "reported_on": reported,
                "category": category,
                "appointment_at": None,
                "no_access": no_access,
                "completed_on": None,
            }
        )
        return self

    def concern(self, ref: str, when: datetime, category: str) -> Estate:
        n = len(self.rows["concerns"])
        self.rows["concerns"].append(
            {
                "concern_ref": f"C{n}",
                "tenancy_ref": ref,
                "raised_at": when,
                "category": category,
                "urgency": "urgent",
            }
        )
        return self

    def extracts(self) -> Extracts:
        frames = {
            k: pl.DataFrame(v, schema=SCHEMAS[k].polars_schema()) if v else None for k, v in self.rows.items()
        }
        return Extracts.from_frames(**{k: v for k, v in frames.items() if v is not None})


def usual_caller(estate: Estate, ref: str) -> Estate:
    """About one contact a month over the last year, none in the last 30 days."""
    for month in range(1, 12):
        estate.contact(ref, at(30 * month + 5))
    return estate
