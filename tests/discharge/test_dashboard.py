"""The Hospital to Home dashboard counts what happened, from the cases the viewer may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.utils import timezone

from homeward.core.roles import Role
from homeward.discharge import services
from homeward.discharge.dashboard import build_dashboard
from homeward.discharge.models import Blocker
from tests.factories import PersonFactory, make_actor

pytestmark = pytest.mark.django_db


def _discharged(world, *, ready_days_ago, stayed, destination="usual_home", blocker=None, pathway=""):
    today = timezone.localdate()
    case = world.refer(
        person_id=PersonFactory(organisation=world.trust).pk,
        admitted_on=today - dt.timedelta(days=ready_days_ago + 3),
        discharge_ready_on=today - dt.timedelta(days=ready_days_ago),
    )
    for status in ("screening", "active", "ready"):
        services.transition_case(actor=world.officer, case_id=case.pk, to_status=status)
    if blocker:
        Blocker.objects.create(
            case=case,
            category=blocker,
            description="x",
            owner_organisation=world.housing,
            raised_on=case.discharge_ready_on,
            due_on=today,
        )
    services.transition_case(
        actor=world.officer,
        case_id=case.pk,
        to_status="discharged",
        discharged_on=case.discharge_ready_on + dt.timedelta(days=stayed),
        destination=destination,
        pathway=pathway,
    )
    return case


def test_counts_bed_days_destinations_and_rehoused(world):
    _discharged(world, ready_days_ago=10, stayed=4, blocker="care_package")
    _discharged(world, ready_days_ago=8, stayed=2, destination="rehoused")
    world.refer()  # still open
    board = build_dashboard(actor=world.officer)
    assert board.referrals == 3 and board.discharged == 2 and board.rehoused == 1
    assert board.bed_days_lost == 6
    assert {r["category"]: r["bed_days"] for r in board.bed_days_by_category} == {
        "Awaiting care package at home": 4,
        "No open blocker": 2,
    }
    assert {r["destination"]: r["patients"] for r in board.destinations} == {
        "Usual home": 1,
        "New tenancy / rehoused": 1,
    }


def test_a_readmission_within_30_days_counts(world):
    first = _discharged(world, ready_days_ago=20, stayed=1)
    world.refer(person_id=first.person_id, admitted_on=timezone.localdate() - dt.timedelta(days=2))
    assert build_dashboard(actor=world.officer).readmissions_30d == 1


def test_an_organisation_outside_the_agreement_sees_zero(world):
    _discharged(world, ready_days_ago=5, stayed=1)
    outsider = make_actor(Role.TEAM_LEAD)
    assert build_dashboard(actor=outsider).referrals == 0


def test_dashboard_page_and_csv(client, world):
    _discharged(world, ready_days_ago=5, stayed=2, blocker="equipment")
    lead = make_actor(Role.TEAM_LEAD, world.housing)
    client.force_login(lead.user)
    page = client.get("/discharge/dashboard/").content.decode()
    assert "Bed-days lost by blocker" in page and "chart-specs" in page
    csv_text = client.get("/discharge/dashboard/bed_days.csv").content.decode()
    assert csv_text.splitlines()[0] == "category,bed_days"
    assert "Awaiting equipment or adaptations,2.0" in csv_text
    client.force_login(make_actor(Role.ADMIN).user)
    assert client.get("/discharge/dashboard/").status_code == 403


def test_median_days_from_referral_to_discharge(world):
    for stayed in (1, 3, 10):
        _discharged(world, ready_days_ago=12, stayed=stayed)
    board = build_dashboard(actor=world.officer)
    # Referred today; discharged 12 − stayed days ago, i.e. 11, 9 and 2 days before the referral date.
    waits = sorted(-(12 - s) for s in (1, 3, 10))
    assert board.median_days_to_discharge == waits[1]


def test_bed_days_are_stored_at_discharge_per_category(world):
    case = _discharged(world, ready_days_ago=6, stayed=5, blocker="equipment")
    stored = {row.category: row.days for row in case.lost_bed_days.all()}
    assert stored == {"equipment": 5.0}


def test_a_commissioner_sees_counts_only_from_organisations_with_an_agreement(world):
    from homeward.core.models import OrganisationKind
    from tests.factories import AgreementFactory, OrganisationFactory

    _discharged(world, ready_days_ago=5, stayed=2, blocker="equipment")
    icb = OrganisationFactory(name="North ICB", kind=OrganisationKind.ICB)
    analyst = make_actor(Role.ANALYST, icb)
    assert build_dashboard(actor=analyst).referrals == 0
    AgreementFactory(parties=[icb, world.trust])
    board = build_dashboard(actor=analyst)
    assert board.referrals == 1 and board.bed_days_lost == 2


def test_discharge_ready_date_measures_by_pathway_and_nhs_delay_reason(world):
    from homeward.casework.kpis import months_back
    from homeward.discharge.kpis import hospital_to_home_kpis
    from homeward.discharge.models import DelayedDays

    homeless = "Homeless/no right of recourse to public funds/no place to discharge to"
    p1 = "Pathway 1: awaiting availability of resource for assessment and start of care at home"
    _discharged(world, ready_days_ago=10, stayed=4, blocker="homeless", pathway="1")
    _discharged(world, ready_days_ago=8, stayed=0, pathway="0")  # discharged on the ready date
    _discharged(world, ready_days_ago=6, stayed=2, blocker="care_package", pathway="1")
    _discharged(world, ready_days_ago=9, stayed=3, pathway="3")  # delayed, no reason recorded
    board = build_dashboard(actor=world.officer)
    assert (board.discharged_on_drd, board.discharged_with_drd) == (1, 4)
    assert board.drd_by_pathway == [
        {
            "pathway": "Pathway 1 – home with new or more support",
            "delayed_patients": 2,
            "mean_days": 3.0,
            "median_days": 3.0,
        },
        {
            "pathway": "Pathway 3 – care home, new long-term placement",
            "delayed_patients": 1,
            "mean_days": 3.0,
            "median_days": 3.0,
        },
    ]
    by_reason = {
        r["reason"]: (r["delayed_patients"], r["mean_days"], r["housing"]) for r in board.drd_by_reason
    }
    assert by_reason == {homeless: (1, 4.0, True), p1: (1, 2.0, False), "No reason recorded": (1, 3.0, False)}
    days: dict[str, int] = {}
    for row in board.delayed_days_by_reason:
        days[row["reason"]] = days.get(row["reason"], 0) + row["days"]
    assert days == {homeless: 4, p1: 2, "No reason recorded": 3}
    # Stored once per collection: the community list counts the same days in its own words.
    assert DelayedDays.objects.filter(collection="community").aggregate(n=models.Sum("days"))["n"] == 9
    kpis = {k.key: k for k in hospital_to_home_kpis(world.officer, months_back(timezone.localdate(), 3))}
    assert {"discharged_on_drd", "days_drd_to_discharge", "housing_delayed_days"} <= set(kpis)
    assert kpis["discharged_on_drd"].baseline.value == 0.25
    assert kpis["housing_delayed_days"].baseline.value == 1.0  # 4 housing days over 4 discharged
