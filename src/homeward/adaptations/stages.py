"""The stages of a case as rows for its page: each stage of the DFG delivery guidance with the dates that
bound it, and whether it is done, current or to come."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from homeward.adaptations.codes import AdaptationStatus as S

#: (status, from-date field, to-date field)
STAGES: list[tuple[str, str, str]] = [
    (S.FIRST_CONTACT, "enquiry_received_on", "first_contact_on"),
    (S.ASSESSMENT, "first_contact_on", "assessed_on"),
    (S.APPLICATION, "assessed_on", "application_submitted_on"),
    (S.APPROVAL, "application_submitted_on", "approved_on"),
    (S.WORKS, "approved_on", "works_completed_on"),
    (S.SIGN_OFF, "works_completed_on", "paid_on"),
]


@dataclass(frozen=True)
class StageRow:
    label: str
    state: str  # "done", "current" or "to_come"
    started_on: dt.date | None
    ended_on: dt.date | None

    @property
    def days(self) -> int | None:
        if self.started_on and self.ended_on:
            return (self.ended_on - self.started_on).days
        return None


def stage_rows(case: Any) -> list[StageRow]:
    order = [status for status, _, _ in STAGES]
    current = order.index(case.status) if case.status in order else None
    rows = []
    for index, (status, start, end) in enumerate(STAGES):
        ended = getattr(case, end)
        if case.status == S.CLOSED or (current is not None and index < current) or ended:
            state = "done" if ended else "to_come"
        elif current == index:
            state = "current"
        else:
            state = "to_come"
        rows.append(StageRow(S(status).label, state, getattr(case, start), ended))
    return rows
