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
