"""The referral life-cycle (FHIR Task, Gravity SDOH referral profile) as data, and who makes each move."""

from __future__ import annotations

from homeward.casework.statemachine import StateMachine
from homeward.referrals.codes import ReferralStatus as S

# Cancelled and entered-in-error are reachable from any status that is not final.
_ANY = [S.CANCELLED, S.ENTERED_IN_ERROR]

LIFECYCLE = StateMachine.build(
    "referral",
    {
        S.DRAFT: [S.REQUESTED, *_ANY],
        S.REQUESTED: [S.ACCEPTED, S.REJECTED, *_ANY],
        S.ACCEPTED: [S.IN_PROGRESS, S.COMPLETED, S.FAILED, *_ANY],
        S.IN_PROGRESS: [S.ON_HOLD, S.COMPLETED, S.FAILED, *_ANY],
        S.ON_HOLD: [S.IN_PROGRESS, S.COMPLETED, S.FAILED, *_ANY],
        S.REJECTED: [S.ENTERED_IN_ERROR],
        S.COMPLETED: [S.ENTERED_IN_ERROR],
        S.FAILED: [S.ENTERED_IN_ERROR],
        S.CANCELLED: [S.ENTERED_IN_ERROR],
        S.ENTERED_IN_ERROR: [],
    },
)

REFERRER = "referrer"
RECEIVER = "receiver"

# Which side makes each move: the receiving service answers and does the work; the referrer sends, cancels
# and corrects its own mistakes.
MOVED_BY: dict[str, str] = {
    S.REQUESTED: REFERRER,
    S.ACCEPTED: RECEIVER,
    S.REJECTED: RECEIVER,
    S.IN_PROGRESS: RECEIVER,
    S.ON_HOLD: RECEIVER,
    S.COMPLETED: RECEIVER,
    S.FAILED: RECEIVER,
    S.CANCELLED: REFERRER,
    S.ENTERED_IN_ERROR: REFERRER,
}

OPEN_STATUSES = (S.DRAFT, S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD)
