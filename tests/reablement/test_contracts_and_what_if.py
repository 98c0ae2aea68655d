"""Contract reports against hand-computed figures (median length of stay, occupancy from intervals, the
2-day share, home at discharge, readmissions), RAG against the contract's own margins, the CSV, who may see
a report; and "What if we open more beds?" through the flow simulator, calibrated from the unit's history."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.core.roles import Role
from homeward.engines.flowsim import parse_scenario, run, summarise
from homeward.engines.flowsim.theory import erlang_c, mmc_mean_wait
from homeward.reablement import contract_report as reports
from homeward.reablement import services, whatif
from homeward.reablement.models import Occupancy, Referral, Stay
from tests.factories import make_actor


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def stay_in(world, bed, referred, admitted, discharged, destination):
    world.patient = world.another_patient()
    referral = world.refer(referred_at=referred)
    services.decide_referral(actor=world.unit_worker, referral_id=referral.pk, decision="accepted")
    stay = services.admit(
        actor=world.unit_worker, referral_id=referral.pk, bed_id=world.bed(bed).pk, admitted_at=admitted
    )
    return services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=discharged, destination=destination
    )


@pytest.fixture
def month_of_stays(world):
    """Three stays in last month: LOS 5 (home), 7 (care home), 16 (back to hospital); admitted 1, 4 and 1
    days after referral; 27.5 occupied bed-days (4 d 20 h + 6 d 20 h + 15 d 20 h)."""
    f = last_month()
    d = dt.timedelta
    stay_in(world, "1", at(f, 9), at(f + d(1), 14), at(f + d(6), 10), "home")
    stay_in(world, "2", at(f + d(2), 9), at(f + d(6), 14), at(f + d(13), 10), "care_home")
    stay_in(world, "3", at(f + d(3), 9), at(f + d(4), 14), at(f + d(20), 10), "readmitted")
    commissioner = make_actor(Role.COMMISSIONER, world.trust)
    contract = reports.create_contract(
        actor=commissioner,
        unit_id=world.unit.pk,
        reference="ICB-RB-001",
        starts_on=f - dt.timedelta(days=365),
        ends_on=f + dt.timedelta(days=365),
        targets={
            "los_median": (6.0, 2.0),
            "admitted_within_2_days": (0.9, None),
            "home_at_discharge": (0.3, None),
            "at_home_91_days": (0.8, None),
            "occupancy": (0.9, 0.05),
        },
    )
    return contract, commissioner


def test_month_figures_match_hand_counts(world, month_of_stays):
    f = last_month()
    figures = reports.month_figures(world.unit, f)
    days_in_month = (reports.next_month(f) - f).days
    assert figures["los_median"].value == 7.0 and figures["los_median"].n == 3
    assert figures["admitted_within_2_days"].value == pytest.approx(2 / 3)
    assert figures["home_at_discharge"].value == pytest.approx(1 / 3)
    assert figures["readmitted_30_days"].value == pytest.approx(1 / 3)
    assert figures["occupancy"].value == pytest.approx(27.5 / (4 * days_in_month))
    assert figures["at_home_91_days"].value is None  # no follow-up fell due: no data, not 0
    low, high = figures["admitted_within_2_days"].low, figures["admitted_within_2_days"].high
    assert low < 2 / 3 < high  # a Wilson interval around the share


def test_rag_uses_the_contracts_own_margin_and_says_no_data(world, month_of_stays):
    contract, commissioner = month_of_stays
    months = reports.contract_report(commissioner, contract, last_month(), 1)
    status = {cell.measure: cell.status for cell in months[0].cells}
    assert status == {
        "los_median": "amber",  # 7 against 6, within the 2-day margin
        "admitted_within_2_days": "red",  # 67% against 90%, no margin
        "home_at_discharge": "green",  # 33% against 30%
        "at_home_91_days": "no data",
        "occupancy": "red",  # far below 90%
    }
    assert reports.rag("los_median", 9.0, 6.0, 2.0) == "red"
    assert reports.rag("occupancy", 0.87, 0.9, 0.05) == "amber"


def test_the_csv_has_one_row_per_month_and_target_and_no_formula_cells(world, month_of_stays):
    contract, commissioner = month_of_stays
    world.unit.name = "=HYPERLINK(1)"
    world.unit.save()
    contract.refresh_from_db()
    text = reports.report_csv(contract, reports.contract_report(commissioner, contract, last_month(), 1))
    lines = text.strip().splitlines()
    assert lines[0].startswith("contract,unit,month,measure,actual")
    month = f"{last_month():%Y-%m}"
    assert f"ICB-RB-001,'=HYPERLINK(1),{month},los_median,7.0," in text
    assert len(lines) == 1 + 5 + 1  # header, five targets, lost to follow-up


def test_the_report_is_for_the_commissioner_and_the_provider_only(world, month_of_stays):
    contract, _ = month_of_stays
    url = f"/reablement/contracts/{contract.pk}/?from={last_month():%Y-%m}&months=1"

    def get(role, org, path=url):
        client = Client()
        client.force_login(make_actor(role, org).user)
        return client.get(path)

    page = get(Role.COMMISSIONER, world.trust)
    assert page.status_code == 200 and "Amber" in page.content.decode()
    assert get(Role.TEAM_LEAD, world.provider).status_code == 200  # the provider's lead
    assert get(Role.COMMISSIONER, world.practice).status_code == 404  # another commissioner
    assert get(Role.CASEWORKER, world.provider).status_code == 403  # no contracts for this role
    csv = get(Role.COMMISSIONER, world.trust, f"/reablement/contracts/{contract.pk}/report.csv?months=1")
    assert csv["Content-Type"].startswith("text/csv")
    assert get(Role.COMMISSIONER, world.trust, url.replace("months=1", "months=99")).status_code == 404


def test_bad_contract_input_names_the_field_and_writes_nothing(world):
    commissioner = make_actor(Role.COMMISSIONER, world.trust)
    with pytest.raises(ValidationFailed) as refused:
        reports.create_contract(
            actor=commissioner,
            unit_id=world.unit.pk,
            reference="",
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 3, 31),
            targets={"occupancy": (1.5, None), "cheerfulness": (1.0, None)},
        )
    assert set(refused.value.errors) == {
        "reference",
        "ends_on",
        "targets.occupancy",
        "targets.cheerfulness",
    }
    assert not reports.Contract.objects.exists()


# What if we open more beds?


def history(world, stays: int, mean_days: float, seed: int = 1):
    """`stays` discharged stays over the last 200 days, written directly (calibration reads only dates)."""
    rng = np.random.default_rng(seed)
    now = timezone.now()
    bed = world.bed("1")
    spans = []
    for k in range(stays):
        admitted = now - dt.timedelta(days=190 - k * (180 / stays))
        span = float(rng.exponential(mean_days)) + 0.01
        spans.append(span)
        referral = Referral.objects.create(
            person=world.another_patient(),
            organisation=world.trust,
            unit=world.unit,
            referred_by=world.clinician.user,
            referred_at=admitted - dt.timedelta(hours=20),
            source="acute_ward",
            status="admitted",
            reason="Fall",
            goals="Home",
            lawful_basis="6.1.a",
            consent_status="given",
        )
        discharged = min(admitted + dt.timedelta(days=span), now - dt.timedelta(minutes=1))
        spans[-1] = (discharged - admitted).total_seconds() / 86400
        stay = Stay.objects.create(
            referral=referral,
            unit=world.unit,
            admitted_at=admitted,
            discharged_at=discharged,
            status="discharged",
            destination="home",
        )
        Occupancy.objects.filter(bed=bed).exists()  # beds are not needed by the calibration
        del stay
    return spans


def test_calibration_reads_the_units_own_referrals_and_lengths_of_stay(world):
    spans = history(world, 30, 4.0)
    calibration, days = whatif.calibrate(world.unit, 200)
    assert calibration.beds == 4 and calibration.stays == 30
    assert calibration.arrivals_per_day == pytest.approx(30 / 200)
    assert calibration.mean_stay_days == pytest.approx(sum(spans) / 30, rel=1e-6)
    assert sorted(days) == pytest.approx(sorted(spans), rel=1e-6)


def test_too_little_history_or_bad_input_is_refused(world):
    history(world, 5, 4.0)
    with pytest.raises(ValidationFailed) as refused:
        whatif.what_if(world.unit, extra_beds=5, history_days=200)
    assert "history_days" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        whatif.what_if(world.unit, extra_beds=0, history_days=5)
    assert set(refused.value.errors) == {"extra_beds", "history_days"}


def test_more_beds_shorten_the_wait_and_the_saving_is_the_paired_difference(world):
    history(world, 60, 12.0)  # 0.3 a day staying 12 days: offered load 3.6 on 4 beds
    result = whatif.what_if(world.unit, extra_beds=5, history_days=200, replications=20)
    today, more = result.results
    assert (today["beds"], more["beds"]) == (4, 9)
    assert more["wait_for_bed_days"]["mean"] < today["wait_for_bed_days"]["mean"]
    assert more["bed_occupancy"]["mean"] < today["bed_occupancy"]["mean"]
    expected = -result.difference["mean"] * result.calibration.arrivals_per_day * 365
    assert result.bed_days_saved_per_year == pytest.approx(expected) and expected > 0


@pytest.mark.parametrize(
    ("lam", "mean_stay", "beds"), [(0.5, 4.0, 3), (2.0, 2.0, 5), (1.8, 10.0, 20)], ids=["0.67", "0.8", "0.9"]
)
def test_the_bed_scenario_is_an_mmc_queue_matching_erlang_c(lam, mean_stay, beds):
    """Poisson referrals and exponential stays: the engine's wait for a bed and probability of waiting are
    Erlang C's within 5%, including at utilisation 0.9 (long runs: 100 of 20,000 days after a 1,000-day
    warm-up; the engine's own tests hold the step-down queue within 2% with longer ones)."""
    stay = {"dist": "exponential", "mean_days": mean_stay}
    scenario = parse_scenario(whatif.bed_scenario(beds, lam, stay, horizon_days=20000, warmup_days=1000))
    batch = run(scenario, replications=100, seed=11)
    wait = summarise(batch.values["wait_for_step_down_days"])["mean"]
    p_wait = summarise(batch.values["prob_wait_for_step_down"])["mean"]
    assert p_wait == pytest.approx(erlang_c(beds, lam * mean_stay), rel=0.05)
    assert wait == pytest.approx(mmc_mean_wait(lam, 1 / mean_stay, beds), rel=0.05)


def test_the_what_if_page_shows_both_bed_counts_and_refuses_bad_input(world):
    history(world, 30, 6.0)
    client = Client()
    client.force_login(world.unit_worker.user)
    url = f"/reablement/units/{world.unit.pk}/what-if/"
    assert client.get(url).status_code == 200
    bad = client.get(url, {"extra_beds": "0", "history_days": "200"})
    assert bad.status_code == 400 and "nhsuk-error-summary" in bad.content.decode()
    page = client.get(url, {"extra_beds": "2", "history_days": "200"}).content.decode()
    assert "Waiting bed-days saved a year with 2 more beds" in page
    stranger = Client()
    stranger.force_login(world.stranger.user)
    assert stranger.get(url).status_code == 404


def test_both_runs_can_be_kept_and_their_bed_days_saved_valued_by_cost_benefit(world):
    """The unit keeps today's beds and more beds as simulation runs; the cost–benefit page opens on their
    comparison, whose delayed bed-days saved are the what-if's wait saved (the wait is the delay here)."""
    from homeward.outcomes.models import SimulationRun

    history(world, 60, 12.0)
    client = Client()
    client.force_login(world.unit_worker.user)
    url = f"/reablement/units/{world.unit.pk}/what-if/"
    assert client.post(url, {"extra_beds": "0", "history_days": "200"}).status_code == 400
    assert not SimulationRun.objects.exists()
    page = client.get(url, {"extra_beds": "3", "history_days": "200"}).content.decode()
    assert "Keep both runs and value the bed-days saved" in page
    kept = client.post(url, {"extra_beds": "3", "history_days": "200"})
    assert kept.status_code == 302
    base, other = SimulationRun.objects.order_by("pk")
    assert kept["Location"] == f"/outcomes/simulate/compare/cost-benefit/?base={base.pk}&other={other.pk}"
    assert (base.scenario["step_down"]["beds"], other.scenario["step_down"]["beds"]) == (4, 7)
    cba = client.get(kept["Location"])
    assert cba.status_code == 200 and "bed-days per patient</strong>" in cba.content.decode()
    saved = -(
        np.mean(other.values["wait_for_step_down_days"]) - np.mean(base.values["wait_for_step_down_days"])
    )
    assert saved > 0
    assert np.mean(base.values["delayed_bed_days_per_patient"]) == pytest.approx(
        np.mean(base.values["wait_for_step_down_days"])
    )
