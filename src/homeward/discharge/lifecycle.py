"""The Hospital to Home case lifecycle, as data."""

from __future__ import annotations

from homeward.casework.statemachine import StateMachine
from homeward.discharge.codes import CaseStatus as S

ENDINGS = [S.CANCELLED, S.DIED]

LIFECYCLE = StateMachine.build(
    "discharge",
    {
        S.REFERRED: [S.SCREENING, *ENDINGS],
        S.SCREENING: [S.ACTIVE, *ENDINGS],
        S.ACTIVE: [S.READY, *ENDINGS],
        # A discharge-ready patient can become unwell again and go back to active.
        S.READY: [S.DISCHARGED, S.ACTIVE, *ENDINGS],
        S.DISCHARGED: [S.FOLLOW_UP, S.CLOSED, S.READMITTED, S.DIED],
        S.FOLLOW_UP: [S.CLOSED, S.READMITTED, S.DIED],
        S.CLOSED: [S.READMITTED],
        S.CANCELLED: [],
        S.DIED: [],
        S.READMITTED: [],
    },
    stamps={S.SCREENING: "screened_at", S.CLOSED: "closed_at"},
)

READMISSION_WINDOW_DAYS = 30

#: The next step forward from each status: the one move offered as the primary (green) button.
NEXT_STEP: dict[str, str] = {
    S.REFERRED: S.SCREENING,
    S.SCREENING: S.ACTIVE,
    S.ACTIVE: S.READY,
    S.READY: S.DISCHARGED,
    S.DISCHARGED: S.FOLLOW_UP,
    S.FOLLOW_UP: S.CLOSED,
}

#: Grave moves: they end the case. Each needs a confirmation step with its facts, and an IG officer or a
#: team lead can correct one made in error (see `services.correct_ending`).
GRAVE: frozenset[str] = frozenset({S.CANCELLED, S.DIED, S.CLOSED})

#: What the button says, in the words a person would use.
ACTION_LABELS: dict[str, str] = {
    S.SCREENING: "Start the screen",
    S.ACTIVE: "Move to active",
    S.READY: "Mark discharge-ready",
    S.DISCHARGED: "Discharge",
    S.FOLLOW_UP: "Start follow-up",
    S.CLOSED: "Close the case",
    S.CANCELLED: "Cancel the case",
    S.DIED: "Mark as died",
    S.READMITTED: "Record a readmission",
}

#: What the banner says after the move.
DONE_LABELS: dict[str, str] = {
    S.SCREENING: "screening started",
    S.ACTIVE: "moved to active",
    S.READY: "marked discharge-ready",
    S.DISCHARGED: "discharged",
    S.FOLLOW_UP: "moved to follow-up",
    S.CLOSED: "closed",
    S.CANCELLED: "cancelled",
    S.DIED: "recorded as died",
    S.READMITTED: "recorded as readmitted",
}


def move_kind(current: str, target: str) -> str:
    """'next' (the primary button), 'grave' (needs confirmation) or 'other' (a secondary button)."""
    if target in GRAVE:
        return "grave"
    return "next" if NEXT_STEP.get(current) == target else "other"
