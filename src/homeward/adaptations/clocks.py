"""The statutory DFG clocks of a case, from `engines.dfg.clocks` (never re-implemented here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from homeward.engines.dfg import DfgClock, DfgDates, dfg_clocks

#: Plain-English wording for each clock's state, shown on the case page.
WORDS = {
    "decision": "The council must decide the application",
    "payment": "The grant must be paid",
    "works": "The works should be completed",
}


def case_dates(case: Any, **changes: Any) -> DfgDates | None:
    """The engine's dates for a case (with `changes` applied); None before a valid application.

    Raises pydantic's ValidationError when the dates are out of order (e.g. works completed before approval).
    """
    values = {
        name: changes.get(name, getattr(case, name))
        for name in (
            "application_valid_on",
            "decision_on",
            "approved_on",
            "works_completed_on",
            "paid_on",
            "works_extended_to",
        )
    }
    if values["application_valid_on"] is None:
        return None
    return DfgDates(
        application_date=values["application_valid_on"],
        decision_date=values["decision_on"],
        approval_date=values["approved_on"],
        works_completed_date=values["works_completed_on"],
        paid_date=values["paid_on"],
        works_extended_to=values["works_extended_to"],
    )


def date_problem(case: Any, **changes: Any) -> tuple[str, str] | None:
    """(field, message) when the dates with `changes` are out of order, else None."""
    try:
        case_dates(case, **changes)
    except ValidationError as exc:
        message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        field, _, text = message.partition(": ")
        mapping = {
            "decision_date": "decision_on",
            "approval_date": "approved_on",
            "works_completed_date": "works_completed_on",
            "paid_date": "paid_on",
            "works_extended_to": "works_extended_to",
        }
        text = text or message
        return mapping.get(field, "application_valid_on"), text[:1].upper() + text[1:]
    return None


def case_clocks(case: Any, *, today: dt.date) -> list[DfgClock]:
    """The decision, payment and works clocks as at `today` (none before a valid application)."""
    try:
        dates = case_dates(case)
    except ValidationError:  # pragma: no cover - services keep stored dates in order
        return []
    return [] if dates is None else dfg_clocks(dates, today=today)


def plain_words(clock: DfgClock) -> str:
    """One sentence a caseworker can read out: what must happen, by when, and how long is left."""
    what = WORDS.get(clock.kind.value, clock.label)
    if clock.due_on is None:
        return f"{what} within 12 months of approval; the clock starts when the grant is approved."
    due = f"{clock.due_on:%-d %B %Y}"
    if clock.completed_on is not None:
        done = f"{clock.completed_on:%-d %B %Y}"
        if clock.is_overdue:
            late = (clock.completed_on - clock.due_on).days
            return f"{what} by {due}: done on {done}, {late} day{'s' if late != 1 else ''} late."
        return f"{what} by {due}: done on {done}, in time."
    left = clock.days_left or 0
    if left < 0:
        return f"{what} by {due}: overdue by {-left} day{'s' if left != -1 else ''}."
    if left == 0:
        return f"{what} by {due}: that is today."
    return f"{what} by {due}: {left} day{'s' if left != 1 else ''} left."
