"""The adaptations case lifecycle, as data: DFG delivery stages 0-4, sign-off and payment, and endings."""

from __future__ import annotations

from homeward.adaptations.codes import AdaptationStatus as S
from homeward.casework.statemachine import StateMachine

LIFECYCLE = StateMachine.build(
    "adaptations",
    {
        S.FIRST_CONTACT: [S.ASSESSMENT, S.WITHDRAWN],
        S.ASSESSMENT: [S.APPLICATION, S.WITHDRAWN],
        S.APPLICATION: [S.APPROVAL, S.WITHDRAWN],
        S.APPROVAL: [S.WORKS, S.REFUSED, S.WITHDRAWN],
        S.WORKS: [S.SIGN_OFF, S.WITHDRAWN],
        S.SIGN_OFF: [S.CLOSED],
        # A review or appeal can overturn a refusal: the application is decided again.
        S.REFUSED: [S.APPROVAL, S.CLOSED],
        S.WITHDRAWN: [],
        S.CLOSED: [],
    },
    stamps={S.CLOSED: "closed_at", S.WITHDRAWN: "closed_at"},
)

#: The next step forward from each status: the one move offered as the primary (green) button.
NEXT_STEP: dict[str, str] = {
    S.FIRST_CONTACT: S.ASSESSMENT,
    S.ASSESSMENT: S.APPLICATION,
    S.APPLICATION: S.APPROVAL,
    S.APPROVAL: S.WORKS,
    S.WORKS: S.SIGN_OFF,
    S.SIGN_OFF: S.CLOSED,
}

#: Moves that need a confirmation page with their facts.
GRAVE: frozenset[str] = frozenset({S.REFUSED, S.WITHDRAWN})

#: The date each forward move records (the day the stage it ends was finished), and its label.
MOVE_DATES: dict[str, tuple[str, str]] = {
    S.ASSESSMENT: ("first_contact_on", "Date of first contact"),
    S.APPLICATION: ("assessed_on", "Date of the assessment (works identified)"),
    S.APPROVAL: ("application_submitted_on", "Date the application was submitted"),
    S.WORKS: ("approved_on", "Date of approval"),
    S.SIGN_OFF: ("works_completed_on", "Date the works were completed"),
    S.CLOSED: ("paid_on", "Date the grant was paid"),
    S.REFUSED: ("decision_on", "Date the refusal was notified"),
}

ACTION_LABELS: dict[str, str] = {
    S.ASSESSMENT: "First contact made: start the assessment",
    S.APPLICATION: "Assessment done: prepare the application",
    S.APPROVAL: "Application submitted",
    S.WORKS: "Approve the grant",
    S.SIGN_OFF: "Works completed",
    S.CLOSED: "Paid: close the case",
    S.REFUSED: "Refuse the application",
    S.WITHDRAWN: "Withdraw the case",
}

DONE_LABELS: dict[str, str] = {
    S.ASSESSMENT: "moved to assessment",
    S.APPLICATION: "moved to preparing the application",
    S.APPROVAL: "moved to awaiting approval",
    S.WORKS: "approved: works can start",
    S.SIGN_OFF: "works completed: awaiting sign-off and payment",
    S.CLOSED: "paid and closed",
    S.REFUSED: "refused",
    S.WITHDRAWN: "withdrawn",
}

#: What happens next, in words an applicant could be told.
WHAT_NEXT: dict[str, str] = {
    S.FIRST_CONTACT: "We will contact you to talk about what you need and arrange an assessment.",
    S.ASSESSMENT: "An occupational therapist or trained assessor visits to see what would help and "
    "recommends the works.",
    S.APPLICATION: "A technical officer surveys the home, prices the works and helps you make the formal "
    "application.",
    S.APPROVAL: "The council decides the application: by law within 6 months of a valid, complete "
    "application.",
    S.WORKS: "The contractor carries out the works: they should be finished within 12 months of approval.",
    S.SIGN_OFF: "The works are inspected and signed off, then the contractor is paid.",
    S.CLOSED: "The case is finished.",
    S.WITHDRAWN: "The case was withdrawn.",
    S.REFUSED: "The application was refused. You can ask for a review by the date shown.",
}


def move_kind(current: str, target: str) -> str:
    """'next' (the primary button), 'grave' (needs confirmation) or 'other' (a secondary button)."""
    if target in GRAVE:
        return "grave"
    return "next" if NEXT_STEP.get(current) == target else "other"
