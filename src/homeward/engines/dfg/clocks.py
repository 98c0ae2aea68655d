"""The DFG statutory clocks, in calendar months (Housing Grants, Construction and Regeneration Act 1996):

- decision: the council must notify approval or refusal "not later than six months after the date of the
  application" (s.34(1));
- payment: a payment date set in the approval may be "not more than twelve months after the date of the
  application" (s.36(2)), so the grant is due to be paid within 12 months of the application;
- works: the eligible works are to be carried out within 12 months of the date of approval, or any further
  period the council allows (s.37(3); section text not read in a stored copy, see docs/adaptations.md).

Calendar months: the same day of the month that many months later; where that month is shorter, its last day
(31 August + 6 months = 28 February, or 29 February in a leap year). A step done on the due date is in time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus calendar months, clamped to the month's last day (31 Aug + 6 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


class DfgClockKind(StrEnum):
    DECISION = "decision"
    PAYMENT = "payment"
    WORKS = "works"


class DfgClockStatus(StrEnum):
    NOT_STARTED = "not_started"
    OPEN = "open"
    MET = "met"
    BREACHED = "breached"


class DfgDates(BaseModel):
    """The dates a council reports for one application (those not yet reached are None)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The date of the valid, complete application.
    application_date: dt.date
    #: Approval or refusal notified.
    decision_date: dt.date | None = None
    approval_date: dt.date | None = None
    works_completed_date: dt.date | None = None
    paid_date: dt.date | None = None
    #: A further period the council allowed for the works (s.37(3)), if any.
    works_extended_to: dt.date | None = None

    @model_validator(mode="after")
    def _order(self) -> DfgDates:
        for name in ("decision_date", "approval_date", "works_completed_date", "paid_date"):
            value = getattr(self, name)
            if value is not None and value < self.application_date:
                raise ValueError(f"{name}: is before the application date")
        both = self.approval_date is not None and self.decision_date is not None
        if both and self.approval_date != self.decision_date:
            raise ValueError("approval_date: differs from decision_date (the decision is the approval)")
        if self.works_completed_date is not None and self.approval_date is None:
            raise ValueError("works_completed_date: works completed before approval")
        if (
            self.approval_date
            and self.works_completed_date
            and self.works_completed_date < self.approval_date
        ):
            raise ValueError("works_completed_date: works completed before approval")
        if self.works_extended_to is not None and self.approval_date is None:
            raise ValueError("works_extended_to: needs an approval_date")
        return self


class DfgClock(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: DfgClockKind
    label: str
    status: DfgClockStatus
    starts_on: dt.date | None
    due_on: dt.date | None
    completed_on: dt.date | None
    #: Calendar days from today to the due date (negative once overdue); None when closed or not started.
    days_left: int | None
    is_overdue: bool
    explanation: str
    source: str


_RULES: dict[DfgClockKind, tuple[str, str]] = {
    DfgClockKind.DECISION: (
        "Decision within 6 months of the valid application",
        "Housing Grants, Construction and Regeneration Act 1996 s.34(1)",
    ),
    DfgClockKind.PAYMENT: (
        "Payment no later than 12 months after the application",
        "Housing Grants, Construction and Regeneration Act 1996 s.36(2)",
    ),
    DfgClockKind.WORKS: (
        "Works completed within 12 months of approval",
        "Housing Grants, Construction and Regeneration Act 1996 s.37(3)",
    ),
}


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _clock(
    kind: DfgClockKind, start: dt.date | None, due: dt.date | None, done: dt.date | None, today: dt.date
) -> DfgClock:
    label, source = _RULES[kind]
    if start is None or due is None:
        return DfgClock(
            kind=kind,
            label=label,
            status=DfgClockStatus.NOT_STARTED,
            starts_on=None,
            due_on=None,
            completed_on=None,
            days_left=None,
            is_overdue=False,
            explanation=f"{label}: starts at approval.",
            source=source,
        )
    opening = f"{label}: from {start:%-d %b %Y}, due by {due:%-d %b %Y}."
    if done is not None:
        status = DfgClockStatus.MET if done <= due else DfgClockStatus.BREACHED
        late = "" if status is DfgClockStatus.MET else f", {_days((done - due).days)} late"
        verdict = f"{'Met' if status is DfgClockStatus.MET else 'Missed'}: done {done:%-d %b %Y}{late}."
        days_left = None
    else:
        days_left = (due - today).days
        status = DfgClockStatus.BREACHED if days_left < 0 else DfgClockStatus.OPEN
        verdict = f"Overdue by {_days(-days_left)}." if days_left < 0 else f"{_days(days_left)} left."
    return DfgClock(
        kind=kind,
        label=label,
        status=status,
        starts_on=start,
        due_on=due,
        completed_on=done,
        days_left=days_left,
        is_overdue=status is DfgClockStatus.BREACHED,
        explanation=f"{opening} {verdict}",
        source=source,
    )


def dfg_clocks(dates: DfgDates, *, today: dt.date) -> list[DfgClock]:
    """The decision, payment and works clocks of one application as at `today`."""
    works_due = None
    if dates.approval_date is not None:
        works_due = dates.works_extended_to or add_months(dates.approval_date, 12)
    return [
        _clock(
            DfgClockKind.DECISION,
            dates.application_date,
            add_months(dates.application_date, 6),
            dates.decision_date or dates.approval_date,
            today,
        ),
        _clock(
            DfgClockKind.PAYMENT,
            dates.application_date,
            add_months(dates.application_date, 12),
            dates.paid_date,
            today,
        ),
        _clock(DfgClockKind.WORKS, dates.approval_date, works_due, dates.works_completed_date, today),
    ]
