"""The adaptations business-case proposer: bed-days saved by the fast track from fast-tracked against other
equipment/adaptations blockers (valued at the unit-cost database's delayed-discharge night), and falls
avoided after home hazard work with its effect and value left to the user; the engine accepts the model."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.adaptations import visits
from homeward.adaptations.models import AdaptationCase
from homeward.casework.proposers import proposer
from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services as discharge
from homeward.discharge.models import Blocker
from homeward.outcomes import business_case as bc
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START, END = TODAY - dt.timedelta(days=90), TODAY


@pytest.fixture
def ward():
    trust = OrganisationFactory(name="Northgate Trust", kind=OrganisationKind.NHS_TRUST)
    housing = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, housing])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    clinician = make_actor(Role.CLINICIAN, trust)
    officer, lead = make_actor(Role.CASEWORKER, housing), make_actor(Role.TEAM_LEAD, housing)

    def blocker(days_held: int, *, fast: bool) -> Blocker:
        patient = PersonFactory(organisation=trust, address_line_1="9 Canal Street", town="Northgate")
        case = discharge.refer_patient(
            actor=clinician,
            person_id=patient.pk,
            housing_organisation_id=housing.pk,
            hospital_id=hospital.pk,
            admitted_on=TODAY - dt.timedelta(days=60),
            discharge_ready_on=TODAY - dt.timedelta(days=50),
            referral_reason="Stairs",
        )
        b = discharge.raise_blocker(
            actor=officer, case_id=case.pk, category="equipment", description="Stair-lift", due_on=TODAY
        )
        Blocker.objects.filter(pk=b.pk).update(
            raised_on=TODAY - dt.timedelta(days=40), resolved_on=TODAY - dt.timedelta(days=40 - days_held)
        )
        if fast:
            AdaptationCase.objects.create(
                person=patient,
                organisation=housing,
                opened_by=officer.user,
                opened_at=timezone.now(),
                source="h2h_blocker",
                tenure="council_tenant",
                needs="Stair-lift",
                address="9 Canal Street",
                enquiry_received_on=TODAY - dt.timedelta(days=40),
                discharge_blocker_id=b.pk,
            )
        return b

    return {"blocker": blocker, "officer": officer, "lead": lead, "housing": housing}


def test_bed_days_saved_compare_fast_tracked_with_other_blockers(ward):
    for days in (4, 6):
        ward["blocker"](days, fast=True)
    for days in (14, 16, 18):
        ward["blocker"](days, fast=False)
    title, propose = proposer("adaptations")
    proposal = propose(ward["lead"], START, END, 2024)
    fast = proposal.outcomes[0]
    # Mean held 5 days with the fast track against 16 without: 11 bed-days per fast-tracked patient.
    assert (
        "2 with a fast-track adaptations case held the patient 5.0 days"
        in proposal.evidence["outcomes[0].unit_value"]["text"]
    )
    assert "11.0 days fewer" in proposal.evidence["outcomes[0].unit_value"]["text"]
    value = fast["unit_value"]["value"] if isinstance(fast["unit_value"], dict) else fast["unit_value"]
    assert value > 0
    assert fast["engagement_rate"] == 1.0  # no falls work in the period: every participant was fast-tracked
    assert proposal.outcomes[1]["success_rate"] == 0.0 and proposal.outcomes[1]["unit_value"] == 0.0
    assert "Homeward ships no figure" in proposal.evidence["outcomes[1].unit_value"]["text"]


def test_falls_work_makes_participants_and_the_engine_accepts_the_model(ward):
    ward["blocker"](5, fast=True)
    person = PersonFactory(organisation=ward["housing"], address_line_1="2 Mill Row", town="Northgate")
    visit = visits.open_visit(
        actor=ward["officer"], person_id=person.pk, visited_on=TODAY - dt.timedelta(days=10)
    )
    finding = visits.add_finding(
        actor=ward["officer"],
        visit_id=visit.pk,
        hazard="falls_stairs",
        likelihood=10.0,
        spread=(1, 0, 0, 99),
        action="handyperson_job",
    )
    visits.remove_hazard(actor=ward["officer"], visit_id=visit.pk, finding_id=finding.pk, removed_on=TODAY)
    proposal = proposer("adaptations")[1](ward["lead"], START, END, 2024)
    assert (proposal.outcomes[0]["engagement_rate"], proposal.outcomes[1]["engagement_rate"]) == (0.5, 0.5)
    case = bc.create_case(
        ward["lead"],
        name="Adaptations fast track",
        service="adaptations",
        period_start=START,
        period_end=END,
        years=3,
        price_year=2024,
        annual_cost=10_000.0,
        cost_agency="Council",
        cost_optimism_bias=0.2,
    )
    assert case.pk is not None
