"""Referral to admission (the 2-day standard), discharge, the 91-day follow-up and readmissions; bad input
names its field and writes nothing; another organisation without an agreement cannot see or touch it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.casework.kpis import months_back
from homeward.core.errors import IllegalTransition, NotAllowed, NotFound, ValidationFailed
from homeward.governance.models import AuditEvent
from homeward.reablement import plans, selectors, services
from homeward.reablement.kpis import reablement_kpis
from homeward.reablement.models import FollowUp, Goal, MdtReview, Referral, Stay, StayBlocker
from tests.reablement.conftest import days_ago


def test_the_unit_sees_a_referral_from_the_trust_and_a_stranger_does_not(world):
    referral = world.refer()
    assert selectors.get_referral(actor=world.unit_worker, referral_id=referral.pk) == referral
    with pytest.raises(NotFound):
        selectors.get_referral(actor=world.stranger, referral_id=referral.pk)
    with pytest.raises(NotFound):
        services.decide_referral(actor=world.stranger, referral_id=referral.pk, decision="accepted")


def test_referral_to_a_unit_without_an_agreement_is_refused(world):
    from tests.factories import PersonFactory

    patient = PersonFactory(organisation=world.practice)
    with pytest.raises(ValidationFailed) as refused:
        services.refer(
            actor=world.stranger,
            person_id=patient.pk,
            unit_id=world.unit.pk,
            source="gp",
            reason="Falls",
            goals="Home",
        )
    assert "unit_id" in refused.value.errors
    assert not Referral.objects.exists()


def test_bad_referral_names_each_field_and_writes_nothing(world):
    with pytest.raises(ValidationFailed) as refused:
        world.refer(
            source="hospice", reason=" ", goals="x" * 2001, consent_status="refused", lawful_basis="6.1.a"
        )
    assert {"source", "reason", "goals", "consent_status"} <= set(refused.value.errors)
    assert not Referral.objects.exists()


def test_decline_needs_a_reason_and_ends_the_referral(world):
    referral = world.refer()
    with pytest.raises(ValidationFailed) as refused:
        services.decide_referral(actor=world.unit_worker, referral_id=referral.pk, decision="declined")
    assert "reason" in refused.value.errors
    services.decide_referral(
        actor=world.unit_worker, referral_id=referral.pk, decision="declined", reason="Needs nursing care"
    )
    with pytest.raises(IllegalTransition):
        services.decide_referral(actor=world.unit_worker, referral_id=referral.pk, decision="accepted")


def test_only_the_units_staff_accept_and_admit(world):
    referral = world.refer()
    with pytest.raises(NotAllowed):
        services.decide_referral(actor=world.clinician, referral_id=referral.pk, decision="accepted")


def test_admission_before_acceptance_is_an_illegal_move(world):
    referral = world.refer(referred_at=days_ago(2))
    with pytest.raises(IllegalTransition):
        services.admit(
            actor=world.unit_worker,
            referral_id=referral.pk,
            bed_id=world.bed("1").pk,
            admitted_at=days_ago(1),
        )


def test_admission_to_a_closed_bed_is_refused(world):
    from homeward.reablement import beds

    beds.set_bed_status(
        actor=world.unit_worker,
        bed_id=world.bed("2").pk,
        status="closed",
        reason="Flooded",
        on=timezone.localdate(),
    )
    referral = world.refer(referred_at=days_ago(2))
    services.decide_referral(actor=world.unit_worker, referral_id=referral.pk, decision="accepted")
    with pytest.raises(ValidationFailed) as refused:
        services.admit(
            actor=world.unit_worker,
            referral_id=referral.pk,
            bed_id=world.bed("2").pk,
            admitted_at=days_ago(1),
        )
    assert "closed" in refused.value.errors["bed_id"]
    assert not Stay.objects.exists()


def test_discharge_before_admission_is_refused_and_writes_nothing(world):
    stay = world.admitted("1", admitted_days_ago=5)
    with pytest.raises(ValidationFailed) as refused:
        services.discharge(
            actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(7), destination="home"
        )
    assert "discharged_at" in refused.value.errors
    stay.refresh_from_db()
    assert stay.status == "in_unit" and stay.occupancies.get().ended_at is None
    assert not FollowUp.objects.exists()


def test_a_goal_without_a_target_date_and_an_mdt_without_attendees_are_refused(world):
    stay = world.admitted("1")
    with pytest.raises(ValidationFailed) as refused:
        plans.add_goal(
            actor=world.unit_worker, stay_id=stay.pk, description="Make a cup of tea", target_on=None
        )
    assert "target_on" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        plans.record_review(
            actor=world.unit_worker,
            stay_id=stay.pk,
            held_on=timezone.localdate(),
            attendees=[],
            medically_stable=True,
            decisions="",
        )
    assert {"attendees", "decisions"} <= set(refused.value.errors)
    with pytest.raises(ValidationFailed) as refused:
        plans.raise_blocker(
            actor=world.unit_worker, stay_id=stay.pk, category="equipment", description="Hoist", due_on=None
        )
    assert "due_on" in refused.value.errors
    assert not (Goal.objects.exists() or MdtReview.objects.exists() or StayBlocker.objects.exists())


def test_plan_review_and_blocker_use_hospital_to_home_categories_and_owners(world):
    stay = world.admitted("1")
    goal = plans.add_goal(
        actor=world.unit_worker,
        stay_id=stay.pk,
        description="Stairs",
        target_on=timezone.localdate() + dt.timedelta(days=7),
    )
    plans.update_goal(actor=world.unit_worker, goal_id=goal.pk, progress="partly")
    review = plans.record_review(
        actor=world.unit_worker,
        stay_id=stay.pk,
        held_on=timezone.localdate(),
        attendees=["physiotherapist", "care_lead", "social_worker"],
        medically_stable=True,
        decisions="Home next week with a package of care",
        next_review_on=timezone.localdate() + dt.timedelta(days=7),
    )
    blocker = plans.raise_blocker(
        actor=world.unit_worker,
        stay_id=stay.pk,
        category="care_package",
        description="Two carers, four calls",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    assert (
        blocker.owner_label == "Riverside Homes"
        and blocker.get_category_display() == "Awaiting care package at home"
    )
    assert review.attendees == ["care_lead", "physiotherapist", "social_worker"]
    plans.resolve_blocker(
        actor=world.unit_worker, stay_id=stay.pk, blocker_id=blocker.pk, resolution="Package starts Monday"
    )
    titles = list(stay.referral.events.values_list("title", flat=True))
    assert "MDT review" in titles and "Blocker cleared: Awaiting care package at home" in titles


def test_discharge_home_sets_the_91_day_follow_up_and_its_outcome_closes_the_stay(world):
    stay = world.admitted("1", referred_days_ago=120, admitted_days_ago=118)
    services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(100), destination="home_package"
    )
    follow_up = FollowUp.objects.get(stay=stay)
    assert follow_up.due_on == timezone.localdate() - dt.timedelta(days=100) + dt.timedelta(days=91)
    assert world.bed("1").status == "awaiting_clean"
    plans.record_follow_up(
        actor=world.unit_worker, stay_id=stay.pk, done_on=timezone.localdate(), outcome="at_home"
    )
    stay.refresh_from_db()
    assert stay.status == "followed_up"


def test_still_at_home_cannot_be_recorded_before_the_91st_day(world):
    stay = world.admitted("1")
    services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(2), destination="home"
    )
    with pytest.raises(ValidationFailed) as refused:
        plans.record_follow_up(
            actor=world.unit_worker, stay_id=stay.pk, done_on=timezone.localdate(), outcome="at_home"
        )
    assert "done_on" in refused.value.errors


def test_no_follow_up_for_a_discharge_to_a_care_home(world):
    stay = world.admitted("1")
    services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(2), destination="care_home"
    )
    assert not FollowUp.objects.exists()


def test_reads_and_writes_are_audited(world):
    stay = world.admitted("1")
    selectors.get_stay(actor=world.unit_worker, stay_id=stay.pk)
    purposes = set(AuditEvent.objects.values_list("purpose", flat=True))
    assert {"Refer to reablement", "Admit to reablement", "View reablement stay"} <= purposes


def test_step_down_from_a_pathway_2_hospital_to_home_case_continues_the_journey(world):
    from homeward.discharge.models import DischargeCase
    from tests.factories import share_case  # noqa: F401

    case = DischargeCase.objects.create(
        person=world.patient,
        organisation=world.trust,
        housing_organisation=world.provider,
        referred_by=world.clinician.user,
        hospital=_hospital(world),
        referral_reason="Fall",
        admitted_on=timezone.localdate() - dt.timedelta(days=5),
        referred_at=timezone.now(),
        pathway="2",
    )
    referral = world.refer(discharge_case_id=case.pk)
    assert referral.discharge_case == case
    case.pathway = "1"
    case.save()
    with pytest.raises(ValidationFailed) as refused:
        world.refer(discharge_case_id=case.pk)
    assert "discharge_case_id" in refused.value.errors


def _hospital(world):
    from homeward.core.models import Hospital

    return Hospital.objects.create(name="Anytown General", organisation=world.trust)


def _kpi(actor, key, month=-1):
    kpis = {k.key: k for k in reablement_kpis(actor, months_back(timezone.localdate(), 12))}
    return kpis[key].points[month]


def test_the_2_day_standard_counts_calendar_days_from_referral_to_admission(world):
    """Three admissions last month, 1, 2 and 3 days after referral (at any hour): two meet NICE's 2 days."""
    referred = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=10)
    for beds_label, wait in zip("123", [1, 2, 3], strict=True):
        patient = world.another_patient()
        at = timezone.make_aware(dt.datetime.combine(referred, dt.time(9)))
        referral = world.refer(person_id=patient.pk, referred_at=at)
        services.decide_referral(actor=world.unit_worker, referral_id=referral.pk, decision="accepted")
        admitted_at = at + dt.timedelta(days=wait, hours=8)
        services.admit(
            actor=world.unit_worker,
            referral_id=referral.pk,
            bed_id=world.bed(beds_label).pk,
            admitted_at=admitted_at,
        )
    point = _kpi(world.unit_worker, "reablement_admitted_within_2_days", -2)
    assert (point.value, point.n) == (pytest.approx(2 / 3), 3)


def test_length_of_stay_and_91_day_kpis_against_hand_counts(world):
    """Stays of 10 and 20 days discharged last month (mean 15, median 15); of the follow-ups due last month
    one is at home, one in hospital, one lost: 1 of 2 answered is at home, and 1 lost is counted apart."""
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    day = last_month_end.replace(day=10)

    def at(d, hour=12):
        return timezone.make_aware(dt.datetime.combine(d, dt.time(hour)))

    due = last_month_end.replace(day=5)
    for label, outcome in (("3", "at_home"), ("4", "not_at_home"), ("1", "lost")):
        patient = world.another_patient()
        discharged = due - dt.timedelta(days=91)
        referral = world.refer(person_id=patient.pk, referred_at=at(discharged - dt.timedelta(days=6)))
        services.decide_referral(actor=world.unit_worker, referral_id=referral.pk, decision="accepted")
        stay = services.admit(
            actor=world.unit_worker,
            referral_id=referral.pk,
            bed_id=world.bed(label).pk,
            admitted_at=at(discharged - dt.timedelta(days=5)),
        )
        services.discharge(
            actor=world.unit_worker, stay_id=stay.pk, discharged_at=at(discharged), destination="home"
        )
        plans.record_follow_up(actor=world.unit_worker, stay_id=stay.pk, done_on=due, outcome=outcome)
    for label, los in (("1", 10), ("2", 20)):
        patient = world.another_patient()
        referral = world.refer(person_id=patient.pk, referred_at=at(day - dt.timedelta(days=los + 1)))
        services.decide_referral(actor=world.unit_worker, referral_id=referral.pk, decision="accepted")
        stay = services.admit(
            actor=world.unit_worker,
            referral_id=referral.pk,
            bed_id=world.bed(label).pk,
            admitted_at=at(day - dt.timedelta(days=los)),
        )
        services.discharge(
            actor=world.unit_worker, stay_id=stay.pk, discharged_at=at(day), destination="care_home"
        )
    point = _kpi(world.unit_worker, "reablement_los_mean", -2)
    assert (point.value, point.n) == (15.0, 2)
    assert _kpi(world.unit_worker, "reablement_los_median", -2).value == 15.0
    point = _kpi(world.unit_worker, "reablement_at_home_91_days", -2)
    assert (point.value, point.n) == (0.5, 2)
    assert _kpi(world.unit_worker, "reablement_lost_to_follow_up", -2).value == 1


def test_readmission_within_30_days_is_counted(world):
    stay = world.admitted("1", referred_days_ago=40, admitted_days_ago=38)
    services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(35), destination="home"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.record_readmission(
            actor=world.unit_worker,
            stay_id=stay.pk,
            readmitted_on=timezone.localdate() - dt.timedelta(days=36),
        )
    assert "readmitted_on" in refused.value.errors
    services.record_readmission(
        actor=world.unit_worker, stay_id=stay.pk, readmitted_on=timezone.localdate() - dt.timedelta(days=20)
    )
    discharged_month = (timezone.localdate() - dt.timedelta(days=35)).strftime("%Y-%m")
    kpis = {k.key: k for k in reablement_kpis(world.unit_worker, months_back(timezone.localdate(), 12))}
    points = {p.month: p.value for p in kpis["reablement_readmitted_30_days"].points}
    assert points[discharged_month] == 1
