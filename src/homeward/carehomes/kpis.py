"""Care-home KPIs (counts only, per month) and a business-case proposer for admissions avoided."""

from __future__ import annotations

import datetime as dt
from typing import Any

from homeward.casework.kpis import KPI, Months
from homeward.casework.proposers import Proposal


def carehome_kpis(actor: Any, months: Months) -> list[KPI]:
    return []


def propose_admissions_avoided(actor: Any, start: dt.date, end: dt.date, price_year: int) -> Proposal:
    return Proposal(participants_per_year=0, participants_note="", outcomes=[])
