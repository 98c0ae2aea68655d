"""The supported-housing placement lifecycle, as data: referral, eligibility and risk check, offer,
acceptance, the stay, and its endings."""

from __future__ import annotations

from homeward.casework.statemachine import StateMachine
from homeward.housing.codes import PlacementStatus as S

LIFECYCLE = StateMachine.build(
    "housing",
    {
        S.REFERRED: [S.ASSESSED, S.NOT_ELIGIBLE, S.WITHDRAWN],
        S.ASSESSED: [S.OFFERED, S.WITHDRAWN],
        S.OFFERED: [S.ACCEPTED, S.DECLINED, S.WITHDRAWN],
        # A declined offer can be followed by an offer of another unit.
        S.DECLINED: [S.OFFERED, S.WITHDRAWN],
        S.ACCEPTED: [S.RESIDENT, S.WITHDRAWN],
        S.RESIDENT: [S.MOVED_ON],
        S.MOVED_ON: [],
        S.NOT_ELIGIBLE: [],
        S.WITHDRAWN: [],
    },
    stamps={S.MOVED_ON: "closed_at", S.NOT_ELIGIBLE: "closed_at", S.WITHDRAWN: "closed_at"},
)

OPEN_STATUSES = (S.REFERRED, S.ASSESSED, S.OFFERED, S.DECLINED, S.ACCEPTED, S.RESIDENT)
WAITING_STATUSES = (S.REFERRED, S.ASSESSED, S.OFFERED, S.DECLINED, S.ACCEPTED)
