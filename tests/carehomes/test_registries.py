"""The KPI provider counts per month; the proposer proposes admissions avoided as an outcome with the unit
cost left for the user to pick (never a figure of Homeward's own); the timeline shows the resident's
events."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.carehomes import clinical
from homeward.carehomes.business_case import propose_admissions_avoided
from homeward.carehomes.kpis import carehome_kpis
from homeward.casework.kpis import months_back, providers
from homeward.casework.proposers import proposer
from homeward.people.timeline import timeline_for
from tests.carehomes.conftest import hours_ago


def _triage(world, resident, hours, decision="stay"):
    return clinical.record_triage(
        actor=world.manager,
        resident_id=resident.pk,
        called_at=hours_ago(hours),
        clinician_role="hospital_consultant",
        clinician_name="Dr R Osei",
        decision=decision,
        reasons="Seen on video",
    )


def test_the_kpis_count_triage_calls_admissions_avoided_and_conveyances_this_month(world):
    resident = world.admit()
    _triage(world, resident, 100)
    _triage(world, resident, 90, decision="ambulance")
    clinical.record_transfer(
        actor=world.manager, resident_id=resident.pk, left_at=hours_ago(89), reason="Fall", admitted=True
    )
    assert "carehomes" in providers()
    months = months_back(timezone.localdate(), 2)
    kpis = {k.key: k for k in carehome_kpis(world.manager, months)}
    this_month = timezone.localtime(hours_ago(100)).strftime("%Y-%m")

    def value(key):
        return sum(p.value or 0 for p in kpis[key].points if p.month >= this_month)

    assert value("carehomes_triage_calls") == 2
    assert value("carehomes_conveyances") == 1 and value("carehomes_admissions") == 1
    # The stay call at 100 hours: the admission 11 hours later was within 72 hours, so not avoided.
    assert value("carehomes_admissions_avoided") == 0
    # Another organisation sees none of it.
    assert (
        sum(
            p.value or 0
            for p in {k.key: k for k in carehome_kpis(world.stranger, months)}[
                "carehomes_triage_calls"
            ].points
        )
        == 0
    )


def test_the_proposer_proposes_admissions_avoided_and_leaves_the_unit_cost_to_the_user(world):
    resident = world.admit()
    _triage(world, resident, 100)
    title, propose = proposer("carehomes")
    today = timezone.localdate()
    proposal = propose(world.manager, today - dt.timedelta(days=10), today, today.year)
    assert propose is propose_admissions_avoided and "admissions avoided" in title
    (outcome,) = proposal.outcomes
    assert outcome["unit_value"] == 0.0
    assert proposal.evidence["outcomes[0].unit_value"]["kind"] == "assumption"
    assert "1 of 1 triage calls" in proposal.evidence["outcomes[0].success_rate"]["text"]


def test_the_timeline_shows_the_resident_moving_in_and_the_triage_call(world):
    resident = world.admit()
    _triage(world, resident, 10)
    titles = [e.title for e in timeline_for(world.manager, world.person)]
    assert "Moved into Willow House" in titles and "Triage call: Stay in the home with a plan" in titles
    assert not any("Triage" in e.title for e in timeline_for(world.stranger, world.person))
