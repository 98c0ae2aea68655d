"""Social prescribing and key work: taking someone on from a GP's referral, the case's record, wellbeing
before and after, the referral closing with an outcome, and who may see and change what."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.governance.models import AgreementStatus
from homeward.governance.subject_access import export_subject_access
from homeward.referrals import services as referrals
from homeward.referrals.models import DirectoryOrganisation, Referral, Service
from homeward.referrals.selectors import get_referral
from homeward.support import dashboard, selectors, services
from homeward.support.models import SupportCase, WellbeingMeasure
from homeward.support.wellbeing import SWEMWBS, score, swemwbs_metric
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    gp = OrganisationFactory(name="Millbrook Medical Practice", kind=OrganisationKind.GP_PRACTICE)
    links = OrganisationFactory(name="Community Links", kind=OrganisationKind.VOLUNTARY_SECTOR)
    council = OrganisationFactory(name="Northgate Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    agreement = AgreementFactory(parties=[gp, links])
    AgreementFactory(parties=[links, council])
    provider = DirectoryOrganisation.objects.create(name=links.name, organisation=links)
    sp = Service.objects.create(name="Social prescribing", organisation=provider, accepts_referrals=True)
    debt_provider = DirectoryOrganisation.objects.create(name=council.name, organisation=council)
    debt = Service.objects.create(name="Debt advice", organisation=debt_provider, accepts_referrals=True)
    return {
        "gp": gp,
        "links": links,
        "council": council,
        "agreement": agreement,
        "sp": sp,
        "debt": debt,
        "doctor": make_actor(Role.CLINICIAN, gp),
        "worker": make_actor(Role.CASEWORKER, links, first_name="Lena", last_name="Ward"),
        "lead": make_actor(Role.TEAM_LEAD, links),
        "partner": make_actor(Role.PARTNER, links),
        "adviser": make_actor(Role.CASEWORKER, council),
        "person": PersonFactory(organisation=gp, family_name="Okonjo"),
    }


def _refer(world) -> Referral:
    referral = referrals.send_referral(
        actor=world["doctor"],
        person_id=world["person"].pk,
        to_organisation_id=0,
        service_id=str(world["sp"].pk),
        service_kind="social_prescribing",
        reason="Low mood since bereavement; lonely",
        shared_fields=["date_of_birth", "contact"],
    )
    return referrals.move_referral(actor=world["worker"], referral_id=referral.pk, to_status="accepted")


def _take_on(world) -> SupportCase:
    referral = _refer(world)
    return services.open_case(
        actor=world["worker"],
        person_id=world["person"].pk,
        referral_id=referral.pk,
        worker_id=world["worker"].user.pk,
    )


def _swemwbs(each: int) -> dict[str, int]:
    return {item.key: each for item in SWEMWBS.items}


def test_gp_referral_to_discharge_closes_the_loop(world):
    case = _take_on(world)
    assert case.route == "gp"
    assert case.referred_on == TODAY
    assert case.status == "waiting"
    worker = world["worker"]
    services.record_contact(actor=worker, case_id=case.pk, occurred_on=TODAY, method="phone", minutes=25)
    case.refresh_from_db()
    assert (case.status, case.first_contact_on, case.days_to_first_contact) == ("active", TODAY, 0)
    assert Referral.objects.get(pk=case.referral_id).status == "in-progress"

    services.save_what_matters(actor=worker, case_id=case.pk, text="Seeing people again", on=TODAY)
    goal = services.add_goal(actor=worker, case_id=case.pk, description="Go to the Tuesday walking group")
    services.record_measure(
        actor=worker,
        case_id=case.pk,
        tool="swemwbs",
        timepoint="baseline",
        recorded_on=TODAY - dt.timedelta(days=0),
        answers=_swemwbs(2),
    )
    # An onward referral from the case: the link worker refers to debt advice at the council.
    onward = referrals.send_referral(
        actor=worker,
        person_id=world["person"].pk,
        to_organisation_id=0,
        service_id=str(world["debt"].pk),
        service_kind="other",
        reason="Council tax arrears",
        source_type="support.case",
        source_id=case.pk,
        shared_fields=["contact"],
    )
    referrals.move_referral(actor=world["adviser"], referral_id=onward.pk, to_status="accepted")
    referrals.move_referral(
        actor=world["adviser"],
        referral_id=onward.pk,
        to_status="completed",
        outcome="need_met",
        outcome_note="Payment plan agreed",
    )
    grouped = selectors.referrals_for(worker, case)
    assert [r.pk for r in grouped if r.source_id == case.pk] == [onward.pk]
    assert next(r for r in grouped if r.pk == onward.pk).outcome == "need_met"

    services.update_goal(actor=worker, case_id=case.pk, goal_id=goal.pk, status="achieved")
    services.discharge(actor=worker, case_id=case.pk, reason="goals_met", on=TODAY, note="Walking weekly")

    # The GP sees what came of the referral, without seeing the case.
    referral = get_referral(actor=world["doctor"], referral_id=case.referral_id)
    assert (referral.status, referral.outcome, referral.outcome_note) == (
        "completed",
        "need_met",
        "Walking weekly",
    )
    assert not selectors.visible_cases(world["doctor"]).exists()


def test_discharging_someone_never_reached_fails_the_referral_with_that_outcome(world):
    case = _take_on(world)
    services.discharge(actor=world["worker"], case_id=case.pk, reason="no_contact", on=TODAY)
    referral = Referral.objects.get(pk=case.referral_id)
    assert (referral.status, referral.outcome) == ("failed", "no_contact")


def test_a_referral_is_taken_on_once_and_only_after_it_is_accepted(world):
    referral = referrals.send_referral(
        actor=world["doctor"],
        person_id=world["person"].pk,
        to_organisation_id=0,
        service_id=str(world["sp"].pk),
        service_kind="social_prescribing",
        reason="Lonely",
    )
    with pytest.raises(ValidationFailed) as exc:
        services.open_case(actor=world["worker"], person_id=world["person"].pk, referral_id=referral.pk)
    assert "referral_id" in exc.value.errors
    referrals.move_referral(actor=world["worker"], referral_id=referral.pk, to_status="accepted")
    services.open_case(actor=world["worker"], person_id=world["person"].pk, referral_id=referral.pk)
    with pytest.raises(ValidationFailed, match="already on a caseload"):
        services.open_case(actor=world["worker"], person_id=world["person"].pk, referral_id=referral.pk)
    # The GP cannot take on its own referral: only the receiver can.
    with pytest.raises(NotFound):
        services.open_case(actor=world["doctor"], person_id=world["person"].pk, referral_id=referral.pk)


def test_wellbeing_is_scored_and_compared_before_and_after(world):
    worker = world["worker"]
    person = PersonFactory(organisation=world["links"])
    case = services.open_case(
        actor=worker, person_id=person.pk, route="self", referred_on=TODAY - dt.timedelta(days=30)
    )
    before = services.record_measure(
        actor=worker,
        case_id=case.pk,
        tool="swemwbs",
        timepoint="baseline",
        recorded_on=TODAY - dt.timedelta(days=1),
        answers=_swemwbs(3),
    )
    after = services.record_measure(
        actor=worker,
        case_id=case.pk,
        tool="swemwbs",
        timepoint="follow_up",
        recorded_on=TODAY,
        answers={**_swemwbs(4), "relaxed": 3},
    )
    # Raw 21 -> 19.25 and raw 27 -> 24.11 in Warwick's conversion table.
    assert (before.score, after.score) == (19.25, 24.11)
    ons = services.record_measure(
        actor=worker,
        case_id=case.pk,
        tool="ons4",
        timepoint="baseline",
        recorded_on=TODAY,
        answers={"life_satisfaction": 4, "worthwhile": 5, "happy": 3, "anxious": 8},
    )
    assert ons.score == 4.0


def test_bad_wellbeing_answers_are_named_and_nothing_is_saved(world):
    case = _take_on(world)
    worker = world["worker"]
    with pytest.raises(ValidationFailed) as exc:
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool="swemwbs",
            timepoint="baseline",
            recorded_on=TODAY,
            answers={**_swemwbs(3), "useful": 6, "relaxed": "", "close": "often"},
        )
    errors = exc.value.errors
    assert errors["useful"] == "Answer from 1 to 5 (got 6)"
    assert "relaxed" in errors and "close" in errors
    with pytest.raises(ValidationFailed, match="baseline before a follow-up"):
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool="ons4",
            timepoint="follow_up",
            recorded_on=TODAY,
            answers={"life_satisfaction": 4, "worthwhile": 5, "happy": 3, "anxious": 8},
        )
    with pytest.raises(ValidationFailed) as exc:
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool="swemwbs",
            timepoint="baseline",
            recorded_on=TODAY + dt.timedelta(days=1),
            answers=_swemwbs(3),
        )
    assert exc.value.errors == {"recorded_on": "Date cannot be in the future"}
    with pytest.raises(ValidationFailed, match="not a wellbeing measure"):
        services.record_measure(
            actor=worker, case_id=case.pk, tool="phq9", timepoint="baseline", recorded_on=TODAY, answers={}
        )
    assert not WellbeingMeasure.objects.exists()
    services.record_measure(
        actor=worker,
        case_id=case.pk,
        tool="swemwbs",
        timepoint="baseline",
        recorded_on=TODAY,
        answers=_swemwbs(3),
    )
    with pytest.raises(ValidationFailed, match="baseline was recorded"):
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool="swemwbs",
            timepoint="baseline",
            recorded_on=TODAY,
            answers=_swemwbs(3),
        )
    with pytest.raises(ValidationFailed) as exc:
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool="swemwbs",
            timepoint="follow_up",
            recorded_on=TODAY,
            answers=_swemwbs(4),
        )
    assert "comes after the baseline" in exc.value.errors["recorded_on"]


def test_bad_case_input_is_refused_field_by_field(world):
    case = _take_on(world)
    worker = world["worker"]
    with pytest.raises(ValidationFailed) as exc:
        services.record_contact(
            actor=worker,
            case_id=case.pk,
            occurred_on=TODAY - dt.timedelta(days=30),
            method="pigeon",
            minutes=0,
        )
    assert set(exc.value.errors) == {"occurred_on", "method", "minutes"}
    with pytest.raises(ValidationFailed, match="in the person's words"):
        services.add_goal(actor=worker, case_id=case.pk, description="  ")
    with pytest.raises(ValidationFailed) as exc:
        services.open_case(
            actor=worker,
            person_id=world["person"].pk,
            route="carrier",
            referred_on=None,
            attendances_before=3,
        )
    assert set(exc.value.errors) == {"route", "referred_on", "attendances_before"}
    outsider = make_actor(Role.CASEWORKER, OrganisationFactory())
    with pytest.raises(ValidationFailed) as exc:
        services.assign_worker(actor=worker, case_id=case.pk, worker_id=outsider.user.pk)
    assert "worker_id" in exc.value.errors
    services.discharge(actor=worker, case_id=case.pk, reason="declined", on=TODAY)
    with pytest.raises(ValidationFailed, match="was discharged"):
        services.add_goal(actor=worker, case_id=case.pk, description="Anything")


def test_cases_are_seen_only_by_their_organisation_while_it_may_see_the_person(world):
    case = _take_on(world)
    assert selectors.visible_cases(world["lead"]).filter(pk=case.pk).exists()
    for other in ("doctor", "adviser"):
        with pytest.raises(NotFound):
            selectors.get_case(actor=world[other], case_id=case.pk)
    with pytest.raises(NotAllowed):
        services.record_contact(
            actor=world["partner"], case_id=case.pk, occurred_on=TODAY, method="phone", minutes=5
        )
    # The GP practice holds the record; when the agreement is suspended the link workers lose the case too.
    world["agreement"].status = AgreementStatus.SUSPENDED
    world["agreement"].save()
    with pytest.raises(NotFound):
        selectors.get_case(actor=world["worker"], case_id=case.pk)
    with pytest.raises(NotFound):
        services.add_goal(actor=world["worker"], case_id=case.pk, description="Walk")


def test_key_worker_case_groups_the_persons_referrals(world):
    council, adviser = world["council"], world["adviser"]
    person = PersonFactory(organisation=council, family_name="Brennan")
    AgreementFactory(parties=[council, world["gp"]])
    earlier = referrals.send_referral(
        actor=adviser,
        person_id=person.pk,
        to_organisation_id=world["links"].pk,
        service_kind="social_prescribing",
        reason="Isolated",
    )
    case = services.open_case(
        actor=adviser,
        person_id=person.pk,
        kind="key_worker",
        route="hospital",
        referred_on=TODAY,
        worker_id=adviser.user.pk,
        attendances_before=14,
    )
    services.set_root_causes(
        actor=adviser, case_id=case.pk, causes=["debt", "isolation"], attendances_before=14
    )
    later = referrals.send_referral(
        actor=adviser,
        person_id=person.pk,
        to_organisation_id=world["gp"].pk,
        service_kind="other",
        reason="Medication review",
        source_type="support.case",
        source_id=case.pk,
    )
    grouped = selectors.referrals_for(adviser, case)
    assert {r.pk for r in grouped} == {earlier.pk, later.pk}
    assert case.reference.startswith("KW-")
    case.refresh_from_db()
    assert case.root_causes == ["debt", "isolation"]
    with pytest.raises(ValidationFailed, match="root cause"):
        services.set_root_causes(
            actor=adviser, case_id=case.pk, causes=["astrology"], attendances_before=None
        )


def test_dashboard_figures_and_intervals(world):
    worker = world["worker"]
    gains = [2, 4, 6]  # ONS4 life satisfaction gains
    cases = []
    for i, wait in enumerate([3, 10, 20]):
        person = PersonFactory(organisation=world["links"])
        case = services.open_case(
            actor=worker,
            person_id=person.pk,
            route="self",
            referred_on=TODAY - dt.timedelta(days=60),
            worker_id=worker.user.pk,
        )
        services.record_contact(
            actor=worker,
            case_id=case.pk,
            occurred_on=TODAY - dt.timedelta(days=60 - wait),
            method="phone",
            minutes=20,
        )
        cases.append(case)
        # ONS4 life satisfaction: 3 -> 3 + gain
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool="ons4",
            timepoint="baseline",
            recorded_on=TODAY - dt.timedelta(days=50),
            answers={"life_satisfaction": 3, "worthwhile": 5, "happy": 5, "anxious": 7},
        )
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool="ons4",
            timepoint="follow_up",
            recorded_on=TODAY,
            answers={"life_satisfaction": 3 + gains[i], "worthwhile": 5, "happy": 5, "anxious": 7 - i},
        )
    board = dashboard.build(selectors.visible_cases(worker), TODAY - dt.timedelta(days=365))
    assert (board.referred, board.contacted) == (3, 3)
    assert board.first_contact.value == 10
    assert board.within_14[:2] == (2, 3)
    assert board.workers[0].active == 3 and board.workers[0].name == "Lena Ward"
    life = next(c for c in board.changes if c.series.key == "ons4_life")
    # mean 4, sd 2, t(2; 0.975) = 4.3027: half-width 4.3027 * 2 / sqrt(3)
    assert life.mean.value == pytest.approx(4)
    assert life.mean.low == pytest.approx(4 - 4.3027 * 2 / math.sqrt(3), abs=1e-3)
    assert life.mean.high == pytest.approx(4 + 4.3027 * 2 / math.sqrt(3), abs=1e-3)
    assert (life.improved, life.mean.n) == (3, 3)
    anxiety = next(c for c in board.changes if c.series.key == "ons4_anxious")
    assert anxiety.mean.value == pytest.approx(1)  # falls of 0, 1 and 2: an improvement
    assert next(c for c in board.changes if c.series.key == "swemwbs").mean.n == 0


def test_subject_access_includes_the_case(world):
    case = _take_on(world)
    services.add_goal(actor=world["worker"], case_id=case.pk, description="Walk")
    holder = make_actor(Role.IG_OFFICER, world["gp"])
    export = export_subject_access(actor=holder, person_id=world["person"].pk)
    section = export["social_prescribing_and_key_work"]
    assert section[0]["reference"] == case.reference
    assert section[0]["goals"][0]["description"] == "Walk"


def test_swemwbs_conversion_ends_and_rises():
    assert swemwbs_metric(7) == 7.0 and swemwbs_metric(35) == 35.0
    with pytest.raises(ValueError):
        swemwbs_metric(36)


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=7, max_size=7), st.integers(0, 6))
def test_answering_one_item_higher_never_lowers_the_swemwbs_score(answers, which):
    keys = [item.key for item in SWEMWBS.items]
    base = dict(zip(keys, answers, strict=True))
    if base[keys[which]] == 5:
        return
    higher = {**base, keys[which]: base[keys[which]] + 1}
    assert score("swemwbs", higher) > score("swemwbs", base)
