"""The Hospital to Home dashboard counts what happened, from the cases the viewer may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.roles import Role
from homeward.discharge import services
from homeward.discharge.dashboard import build_dashboard
from homeward.discharge.models import Blocker
from tests.factories import PersonFactory, make_actor

pytestmark = pytest.mark.django_db


def _discharged(world, *, ready_days_ago, stayed, destination="usual_home", blocker=None):
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
