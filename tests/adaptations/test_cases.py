"""Adaptations cases: opening, every legal and illegal stage move, the dates each move records, and
refusals that write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.adaptations import services
from homeward.adaptations.codes import AdaptationStatus as S
from homeward.adaptations.lifecycle import LIFECYCLE
from homeward.adaptations.models import AdaptationCase, CaseEvent
from homeward.core.errors import IllegalTransition, NotFound, ValidationFailed
from homeward.governance.models import AuditEvent
from tests.adaptations.conftest import ENQUIRY, STEPS, VALID_ON


def test_opening_a_case_starts_at_stage_0_at_the_persons_address(world):
    case = world.open()
    assert case.status == S.FIRST_CONTACT
    assert case.address == "4 Mill Lane, Anytown"
    assert case.enquiry_received_on == ENQUIRY
    assert case.reference == f"ADP-{case.pk:06d}"
    assert case.events.get().title == "Enquiry received"
    assert AuditEvent.objects.filter(purpose="Open an adaptations case").count() == 1


def test_an_urgent_case_needs_its_reason_and_bad_codes_are_named(world):
    with pytest.raises(ValidationFailed) as caught:
        world.open(priority="urgent", source="postman", tenure="squatter", needs=" ")
    assert set(caught.value.errors) == {"priority_reason", "source", "tenure", "needs"}
    assert not AdaptationCase.objects.exists()


def test_an_enquiry_cannot_be_dated_in_the_future(world):
    with pytest.raises(ValidationFailed) as caught:
        world.open(enquiry_received_on=dt.date.today() + dt.timedelta(days=2))
    assert "enquiry_received_on" in caught.value.errors


def test_a_case_walks_every_stage_and_each_move_records_its_date(world):
    case = world.walk(world.open(), "closed")
    assert case.status == S.CLOSED
    assert case.first_contact_on == STEPS["assessment"]
    assert case.assessed_on == STEPS["application"]
    assert case.application_submitted_on == STEPS["approval"]
    assert case.application_valid_on == VALID_ON
    assert case.approved_on == case.decision_on == STEPS["works"]
    assert case.works_completed_on == STEPS["sign_off"]
    assert case.paid_on == STEPS["closed"]
    assert case.closed_at is not None
    assert [e.to_status for e in case.events.all()] == [
        "first_contact",
        "assessment",
        "application",
        "approval",
        "works",
        "sign_off",
        "closed",
    ]


LEGAL = sorted((a, b) for a in LIFECYCLE.statuses for b in LIFECYCLE.allowed_from(a))
ILLEGAL = sorted(
    (a, b) for a in LIFECYCLE.statuses for b in LIFECYCLE.statuses if b not in LIFECYCLE.allowed_from(a)
)


def test_the_table_has_the_moves_of_the_delivery_guidance():
    assert LIFECYCLE.final_statuses == {S.CLOSED, S.WITHDRAWN}
    assert LIFECYCLE.allowed_from(S.APPROVAL) == sorted([S.WORKS, S.REFUSED, S.WITHDRAWN])
    assert LIFECYCLE.allowed_from(S.REFUSED) == sorted([S.APPROVAL, S.CLOSED])
    assert len(LEGAL) + len(ILLEGAL) == len(LIFECYCLE.statuses) ** 2


def _case_at(world, status):
    """A case in `status`, reached through the services."""
    case = world.open()
    if status == S.FIRST_CONTACT:
        return case
    if status == S.WITHDRAWN:
        return services.move_case(
            actor=world.officer, case_id=case.pk, to_status=S.WITHDRAWN, note="Moved away"
        )
    if status == S.REFUSED:
        case = world.walk(case, "approval")
        services.record_dates(actor=world.officer, case_id=case.pk, application_valid_on=VALID_ON)
        return services.move_case(
            actor=world.officer,
            case_id=case.pk,
            to_status=S.REFUSED,
            on=dt.date(2026, 4, 1),
            refusal_reason="Works not necessary and appropriate",
            review_by=dt.date(2026, 5, 1),
        )
    return world.walk(case, status)


def _arguments(target):
    return {
        "application_valid_on": VALID_ON,
        "inspection_passed_on": dt.date(2026, 5, 20),
        "refusal_reason": "Not necessary and appropriate",
        "review_by": dt.date.today() + dt.timedelta(days=28),
        "note": "Decided again on review" if target == S.APPROVAL else "The applicant asked",
    }


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_every_legal_move_is_made(world, current, target):
    case = _case_at(world, current)
    moved = services.move_case(actor=world.officer, case_id=case.pk, to_status=target, **_arguments(target))
    assert moved.status == target
    assert moved.events.last().to_status == target


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_move_is_refused_and_writes_nothing(world, current, target):
    case = _case_at(world, current)
    before = (CaseEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(IllegalTransition) as caught:
        services.move_case(actor=world.officer, case_id=case.pk, to_status=target, **_arguments(target))
    assert "allowed next statuses" in caught.value.errors["status"]
    case.refresh_from_db()
    assert case.status == current
    assert (CaseEvent.objects.count(), AuditEvent.objects.count()) == before


def test_approval_needs_the_valid_application_date(world):
    case = world.walk(world.open(), "approval")
    with pytest.raises(ValidationFailed) as caught:
        services.move_case(actor=world.officer, case_id=case.pk, to_status=S.WORKS, on=dt.date(2026, 4, 1))
    assert "application_valid_on" in caught.value.errors
    case.refresh_from_db()
    assert case.status == S.APPROVAL and case.approved_on is None


def test_works_completed_before_approval_is_refused(world):
    case = world.walk(world.open(), "works")
    with pytest.raises(ValidationFailed) as caught:
        services.move_case(
            actor=world.officer, case_id=case.pk, to_status=S.SIGN_OFF, on=dt.date(2026, 3, 20)
        )
    assert "before the approval date" in caught.value.errors["on"]
    case.refresh_from_db()
    assert case.works_completed_on is None and case.status == S.WORKS


def test_a_refusal_needs_its_reason_and_review_date(world):
    case = world.walk(world.open(), "approval")
    services.record_dates(actor=world.officer, case_id=case.pk, application_valid_on=VALID_ON)
    with pytest.raises(ValidationFailed) as caught:
        services.move_case(actor=world.officer, case_id=case.pk, to_status=S.REFUSED, on=dt.date(2026, 4, 1))
    assert set(caught.value.errors) == {"refusal_reason", "review_by"}


def test_a_withdrawal_needs_a_reason(world):
    case = world.open()
    with pytest.raises(ValidationFailed) as caught:
        services.move_case(actor=world.officer, case_id=case.pk, to_status=S.WITHDRAWN)
    assert "note" in caught.value.errors


def test_closing_after_works_needs_the_inspection(world):
    case = world.walk(world.open(), "sign_off")
    with pytest.raises(ValidationFailed) as caught:
        services.move_case(actor=world.officer, case_id=case.pk, to_status=S.CLOSED, on=dt.date(2026, 6, 1))
    assert "inspection_passed_on" in caught.value.errors


def test_recorded_dates_must_follow_the_stages(world):
    case = world.walk(world.open(), "works")
    with pytest.raises(ValidationFailed) as caught:
        services.record_dates(actor=world.officer, case_id=case.pk, works_started_on=dt.date(2026, 3, 25))
    assert "works_started_on" in caught.value.errors
    services.record_dates(actor=world.officer, case_id=case.pk, works_started_on=dt.date(2026, 4, 20))
    case.refresh_from_db()
    assert case.works_started_on == dt.date(2026, 4, 20)


def test_works_cannot_start_before_approval(world):
    case = world.walk(world.open(), "application")
    with pytest.raises(ValidationFailed) as caught:
        services.record_dates(actor=world.officer, case_id=case.pk, works_started_on=dt.date(2026, 2, 20))
    assert "works_started_on" in caught.value.errors


def test_an_organisation_without_a_case_cannot_move_it(world):
    case = world.open()
    with pytest.raises(NotFound):
        services.move_case(actor=world.stranger, case_id=case.pk, to_status=S.ASSESSMENT)
