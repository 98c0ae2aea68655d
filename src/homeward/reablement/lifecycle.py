"""The referral and stay lifecycles, as data (`casework.statemachine`)."""

from __future__ import annotations

from homeward.casework.statemachine import StateMachine
from homeward.reablement.codes import ReablementStatus as R
from homeward.reablement.codes import StayStatus as S

REFERRAL = StateMachine.build(
    "reablement.referral",
    {
        R.REFERRED: [R.ACCEPTED, R.DECLINED, R.WITHDRAWN],
        R.ACCEPTED: [R.ADMITTED, R.WITHDRAWN],
        R.DECLINED: [],
        R.WITHDRAWN: [],
        R.ADMITTED: [],
    },
    stamps={R.ACCEPTED: "decided_at", R.DECLINED: "decided_at", R.WITHDRAWN: "closed_at"},
)

STAY = StateMachine.build(
    "reablement.stay",
    {S.IN_UNIT: [S.DISCHARGED], S.DISCHARGED: [S.FOLLOWED_UP], S.FOLLOWED_UP: []},
)

#: Days after discharge when the person is asked whether they are still at home (ASCOF 2B(1)).
FOLLOW_UP_DAYS = 91
#: A readmission to acute care within this many days of leaving the unit counts against the unit.
READMISSION_DAYS = 30
#: NICE NG74 (Intermediate care including reablement, 2017): bed-based intermediate care should start
#: within 2 days of referral. NICE says days, not working days, so Homeward counts calendar days (the
#: working-day figure from `casework.workdays` is shown beside it for weekends and bank holidays).
ADMISSION_STANDARD_DAYS = 2
