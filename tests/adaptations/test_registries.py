"""What adaptations adds through the shared registries: the person's timeline and open work, the subject
access export, onward referrals from a case, and KPIs (counts and durations only)."""

from __future__ import annotations

import datetime as dt

from homeward.adaptations.kpis import adaptation_kpis
from homeward.casework.kpis import months_back, providers
from homeward.core.roles import Role
from homeward.governance.subject_access import export_subject_access
from homeward.people.timeline import open_work_for, timeline_for
from homeward.referrals.sources import resolve_source
from tests.factories import make_actor


def test_the_persons_timeline_and_open_work_show_the_case(world):
    case = world.walk(world.open(), "application")
    titles = [entry.title for entry in timeline_for(world.officer, world.applicant)]
    assert f"{case.reference}: Enquiry received" in titles
    assert any(item.kind == "adaptations" for item in open_work_for(world.officer, world.applicant))
    assert all(case.reference not in e.title for e in timeline_for(world.stranger, world.applicant))


def test_the_subject_access_export_holds_the_case_and_its_timeline(world):
    case = world.open()
    ig = make_actor(Role.IG_OFFICER, world.district)
    export = export_subject_access(actor=ig, person_id=world.applicant.pk)
    assert export["adaptations"][0]["reference"] == case.reference
    assert export["adaptations"][0]["timeline"][0]["title"] == "Enquiry received"


def test_a_referral_can_come_from_a_case_the_referrer_sees(world):
    case = world.open()
    source = resolve_source(world.officer, "adaptations.case", case.pk)
    assert source is not None and source.url == f"/adaptations/cases/{case.pk}/"
    assert resolve_source(world.stranger, "adaptations.case", case.pk) is None


def test_kpis_count_cases_and_time_the_stages(world):
    world.walk(world.open(), "closed")  # enquiry 5 Jan 2026, valid 9 Mar, approved 1 Apr, completed 15 May
    assert "adaptations" in providers()
    kpis = {k.key: k for k in adaptation_kpis(world.officer, months_back(dt.date(2026, 6, 30), 6))}
    may = {p.month: p for p in kpis["adaptations_days_end_to_end"].points}["2026-05"]
    assert may.value == (dt.date(2026, 5, 15) - dt.date(2026, 1, 5)).days and may.n == 1
    april = {p.month: p for p in kpis["adaptations_decided_in_time"].points}["2026-04"]
    assert april.value == 1.0 and april.n == 1
    assert {p.month: p for p in kpis["adaptations_opened"].points}["2026-01"].value == 1
    june = {p.month: p for p in kpis["adaptations_paid_in_time"].points}["2026-06"]
    assert june.value == 1.0 and june.n == 1
    assert kpis["adaptations_days_to_approval"].points[3].value == 23  # 9 Mar to 1 Apr
