"""The discharge-flow simulator agrees with queueing theory and is reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from homeward.engines.flowsim import ScenarioError, parse_scenario, run, summarise_batch
from homeward.engines.flowsim.theory import erlang_b, erlang_c, mg_inf_occupancy, mmc_mean_wait

pytestmark: list[pytest.MarkDecorator] = []


def _queue_scenario(lam: float, mu: float, c: int, horizon: float, warmup: float) -> dict:
    return {
        "horizon_days": horizon,
        "warmup_days": warmup,
        "arrivals": {"rate_per_day": lam},
        "length_of_stay": {"dist": "fixed", "value": 0},
        "housing_need": {"probability": 1.0},
        "housing_officers": {
            "count": c,
            "service": {"dist": "exponential", "mean_days": 1 / mu},
            "start": "at_referral",
        },
    }


def _mean(data: dict, reps: int, seed: int, name: str) -> float:
    batch = run(parse_scenario(data), replications=reps, seed=seed)
    return float(summarise_batch(batch)["metrics"][name]["mean"])  # type: ignore[index]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lam", "mu", "c"),
    [(1.5, 1.0, 2), (4.0, 1.0, 5), (2.7, 1.0, 3)],  # utilisation 0.75, 0.8, 0.9
)
def test_officer_queue_matches_erlang_c(lam: float, mu: float, c: int) -> None:
    # Wq converges slowly near saturation: 300 runs of ~27 years each keep the 95% CI under 2%.
    data = _queue_scenario(lam, mu, c, horizon=10000, warmup=500)
    batch = run(parse_scenario(data), replications=300, seed=7)
    m = summarise_batch(batch)["metrics"]
    wq, pw = m["wait_for_officer_days"]["mean"], m["prob_wait_for_officer"]["mean"]  # type: ignore[index]
    assert wq == pytest.approx(mmc_mean_wait(lam, mu, c), rel=0.02)
    assert pw == pytest.approx(erlang_c(c, lam / mu), rel=0.02)
    assert m["officer_utilisation"]["mean"] == pytest.approx(lam / (mu * c), rel=0.02)  # type: ignore[index]


def _step_down_scenario(lam: float, mu: float, c: int, horizon: float, warmup: float) -> dict:
    """Every patient needs a step-down bed the moment they arrive (acute stay 0, no housing need, no
    blockers, unlimited acute beds) and holds it for an exponential stay: the bed pool is M/M/c."""
    return {
        "horizon_days": horizon,
        "warmup_days": warmup,
        "arrivals": {"rate_per_day": lam},
        "length_of_stay": {"dist": "fixed", "value": 0},
        "housing_need": {"probability": 0.0},
        "housing_officers": {"count": 1, "service": {"dist": "fixed", "value": 0}},
        "step_down": {
            "probability": 1.0,
            "beds": c,
            "length_of_stay": {"dist": "exponential", "mean_days": 1 / mu},
        },
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lam", "mu", "c"),
    [(0.6, 0.1, 8), (1.6, 0.05, 40), (0.9, 0.1, 10)],  # utilisation 0.75, 0.8, 0.9 (stays of 10-20 days)
)
def test_step_down_bed_queue_matches_erlang_c(lam: float, mu: float, c: int) -> None:
    # The same settings of run length and replications as the officer queue's test, in units of stays.
    data = _step_down_scenario(lam, mu, c, horizon=10000 / mu / 4, warmup=500 / mu / 4)
    batch = run(parse_scenario(data), replications=300, seed=7)
    m = summarise_batch(batch)["metrics"]
    wq, pw = m["wait_for_step_down_days"]["mean"], m["prob_wait_for_step_down"]["mean"]  # type: ignore[index]
    assert wq == pytest.approx(mmc_mean_wait(lam, mu, c), rel=0.02)
    assert pw == pytest.approx(erlang_c(c, lam / mu), rel=0.02)
    occupied = m["step_down_occupancy_mean"]["mean"]  # type: ignore[index]
    assert occupied == pytest.approx(lam / mu, rel=0.02)  # mean beds busy = offered load
    # The wait is spent in the acute bed: it is all of the delayed bed-days here.
    assert m["delayed_bed_days_per_patient"]["mean"] == pytest.approx(wq, rel=1e-9)  # type: ignore[index]


def test_a_step_down_block_leaves_every_other_draw_unchanged_and_adds_its_metrics() -> None:
    base = _queue_scenario(1.5, 1.0, 2, horizon=200, warmup=20)
    with_step = base | {
        "step_down": {"probability": 0.5, "beds": 3, "length_of_stay": {"dist": "fixed", "value": 2}}
    }
    a = run(parse_scenario(base), replications=4, seed=3)
    b = run(parse_scenario(with_step), replications=4, seed=3)
    assert "wait_for_step_down_days" not in a.values
    assert set(b.values) - set(a.values) == {
        "wait_for_step_down_days",
        "prob_wait_for_step_down",
        "step_down_occupancy_mean",
    }
    # The officer queue sees the same patients and the same service times.
    assert b.values["wait_for_officer_days"] == pytest.approx(a.values["wait_for_officer_days"])
    # Waiting for a step-down bed only ever adds delayed bed-days.
    assert (b.values["delayed_bed_days_per_patient"] >= a.values["delayed_bed_days_per_patient"]).all()


def test_a_bad_step_down_block_names_the_key_path() -> None:
    data = _step_down_scenario(1.0, 0.1, 5, horizon=100, warmup=0)
    data["step_down"]["beds"] = 0
    with pytest.raises(ScenarioError, match="step_down.beds"):
        parse_scenario(data)


@pytest.mark.slow
def test_bed_capacity_turns_away_at_erlang_b_rate() -> None:
    data = _queue_scenario(10.0, 1.0, 1, horizon=2000, warmup=100)
    data["length_of_stay"] = {"dist": "exponential", "mean_days": 1.0}
    data["housing_need"] = {"probability": 0.0}
    data["beds"] = {"capacity": 10}
    got = _mean(data, 40, 3, "turned_away_fraction")
    assert got == pytest.approx(erlang_b(10, 10.0), rel=0.02)


def test_unlimited_beds_occupancy_is_lambda_times_mean_stay_and_littles_law() -> None:
    data = _queue_scenario(12.0, 1.0, 1, horizon=1000, warmup=50)
    data["length_of_stay"] = {"dist": "lognormal", "mean_days": 6.0, "sd_days": 5.0}
    data["housing_need"] = {"probability": 0.0}
    batch = run(parse_scenario(data), replications=40, seed=11)
    m = summarise_batch(batch)["metrics"]
    occ, los = m["bed_occupancy_mean"]["mean"], m["length_of_stay_days"]["mean"]  # type: ignore[index]
    assert occ == pytest.approx(mg_inf_occupancy(12.0, 6.0), rel=0.02)
    assert occ == pytest.approx(12.0 * los, rel=0.02)  # Little's law L = λW on simulated output


def test_same_seed_gives_identical_output_and_different_seeds_differ() -> None:
    data = _queue_scenario(2.0, 1.0, 3, horizon=200, warmup=10)
    sc = parse_scenario(data)
    a, b, c = (
        run(sc, replications=5, seed=1),
        run(sc, replications=5, seed=1),
        run(sc, replications=5, seed=2),
    )
    for k in a.values:
        np.testing.assert_array_equal(a.values[k], b.values[k])
    assert not np.array_equal(a.values["wait_for_officer_days"], c.values["wait_for_officer_days"])


def test_workers_do_not_change_results() -> None:
    sc = parse_scenario(_queue_scenario(2.0, 1.0, 3, horizon=100, warmup=10))
    a, b = run(sc, replications=8, seed=4, chunk=2), run(sc, replications=8, seed=4, workers=2, chunk=2)
    for k in a.values:
        np.testing.assert_array_equal(a.values[k], b.values[k])


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"arrivals": {"rate_per_day": -1}}, "arrivals.rate_per_day"),
        ({"length_of_stay": {"dist": "weibull", "mean_days": 3}}, "length_of_stay.dist"),
        (
            {"housing_officers": {"count": 2, "service": {"dist": "gamma", "sd_days": 1}}},
            "housing_officers.service",
        ),
        (
            {"housing_officers": {"count": 2, "service": {"dist": "exponential", "mean_days": 0}}},
            "housing_officers.service.mean_days",
        ),
    ],
)
def test_bad_scenario_names_the_key_path(patch: dict, path: str) -> None:
    data = {**_queue_scenario(1.0, 1.0, 1, 10, 0), **patch}
    with pytest.raises(ScenarioError, match=path.replace(".", r"\.")):
        parse_scenario(data)


def test_missing_key_is_named() -> None:
    data = _queue_scenario(1.0, 1.0, 1, 10, 0)
    del data["horizon_days"]
    with pytest.raises(ScenarioError, match="horizon_days: required key is missing"):
        parse_scenario(data)


def test_midnight_census_averages_to_the_occupancy_and_the_histogram_counts_every_patient() -> None:
    data = _queue_scenario(12.0, 1.0, 1, horizon=400, warmup=40)
    data["length_of_stay"] = {"dist": "gamma", "mean_days": 5.0, "sd_days": 3.0}
    data["housing_need"] = {"probability": 0.0}
    data["blockers"] = [
        {"name": "care", "probability": 0.3, "clearance": {"dist": "exponential", "mean_days": 3}}
    ]
    batch = run(parse_scenario(data), replications=20, seed=5)
    census = batch.series["occupancy_by_day"]
    assert census.shape == (20, 360)
    assert census.mean() == pytest.approx(batch.values["bed_occupancy_mean"].mean(), rel=0.02)
    histogram = batch.series["delay_histogram"]
    # 70% of patients have no blocker and no housing need: no delay at all.
    assert histogram[:, 0].sum() / histogram.sum() == pytest.approx(
        0.7 + 0.3 * (1 - np.exp(-1 / 3)), abs=0.02
    )


def test_weekday_profile_shapes_arrivals() -> None:
    from homeward.engines.flowsim.engine import _arrival_times

    data = _queue_scenario(10.0, 1.0, 1, horizon=700, warmup=0)
    data["arrivals"]["weekday_profile"] = [2, 1, 1, 1, 1, 1, 0]  # Monday double, Sunday none
    times = _arrival_times(parse_scenario(data), np.random.default_rng(3), 20)
    days = np.floor(times[np.isfinite(times)]).astype(int) % 7
    per_day = np.bincount(days, minlength=7) / (20 * 100)  # 100 weeks in each replication
    assert per_day[6] == 0
    assert per_day[0] == pytest.approx(2 * per_day[1:6].mean(), rel=0.05)
    # The weekly total keeps the mean rate: 10 a day.
    assert per_day.sum() == pytest.approx(70, rel=0.02)


def test_replayed_arrivals_come_from_a_csv_and_bad_rows_are_named(tmp_path) -> None:
    from homeward.engines.flowsim import load_scenario

    (tmp_path / "arrivals.csv").write_text(
        "arrived_at\n2026-01-01 08:00\n2026-01-01 20:00\n2026-01-03 12:00\n"
    )
    data = _queue_scenario(1.0, 1.0, 1, horizon=5, warmup=0)
    data["arrivals"] = {"replay_csv": "arrivals.csv"}
    import yaml

    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    scenario = load_scenario(tmp_path / "s.yaml")
    assert scenario.arrivals.times_days == pytest.approx([8 / 24, 20 / 24, 2.5])
    batch = run(scenario, replications=3, seed=1)
    assert (batch.values["length_of_stay_days"] >= 0).all()
    (tmp_path / "arrivals.csv").write_text("arrived_at\n2026-01-01 08:00\nsoon\n")
    with pytest.raises(ScenarioError, match=r"arrivals.replay_csv: arrivals.csv, row 2, arrived_at"):
        load_scenario(tmp_path / "s.yaml")


def test_working_hours_clock_round_trips() -> None:
    from homeward.engines.flowsim.engine import Clock
    from homeward.engines.flowsim.scenario import WorkingHours

    clock = Clock(WorkingHours(start_hour=9, end_hour=17, days=[0, 1, 2, 3, 4]))
    w = np.random.default_rng(1).uniform(0, 50, 1000)
    assert clock.work(clock.calendar(w)) == pytest.approx(w)
    # Saturday noon counts as Friday 17:00: five working days done in week 0.
    assert clock.work(np.asarray([5.5]))[0] == pytest.approx(5.0)
    assert clock.calendar(np.asarray([5.0]))[0] == pytest.approx(7 + 9 / 24)  # next Monday 09:00


def test_an_officer_who_starts_on_friday_afternoon_finishes_on_monday_morning(tmp_path) -> None:
    from homeward.engines.flowsim import load_scenario

    (tmp_path / "arrivals.csv").write_text("arrived_at\n2026-01-05 00:00\n2026-01-09 16:00\n")  # Mon, Fri
    data = _queue_scenario(1.0, 1.0, 1, horizon=14, warmup=0)
    data["arrivals"] = {"replay_csv": "arrivals.csv"}
    data["housing_officers"]["service"] = {"dist": "fixed", "value": 0.25}  # two hours of an 8-hour day
    data["housing_officers"]["working_hours"] = {"start_hour": 9, "end_hour": 17}
    import yaml

    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    batch = run(load_scenario(tmp_path / "s.yaml"), replications=1, seed=1)
    # Monday 00:00 → waits for 09:00, done 11:00 (11/24 days); Friday 16:00 → 1 h Friday + 1 h Monday: done
    # Monday 10:00, 2.75 days after arriving. LOS is 0, so the delay is the time to done.
    assert batch.values["delayed_bed_days_per_patient"][0] == pytest.approx((11 / 24 + 2.75) / 2)
    assert batch.values["wait_for_officer_days"][0] == pytest.approx((9 / 24 + 0) / 2)


def test_working_every_hour_of_every_day_is_the_same_as_no_working_hours() -> None:
    data = _queue_scenario(2.0, 1.0, 2, horizon=120, warmup=10)
    plain = run(parse_scenario(data), replications=5, seed=4)
    data["housing_officers"]["working_hours"] = {
        "start_hour": 0,
        "end_hour": 24,
        "days": [0, 1, 2, 3, 4, 5, 6],
    }
    always = run(parse_scenario(data), replications=5, seed=4)
    for key, values in plain.values.items():
        assert always.values[key] == pytest.approx(values, nan_ok=True), key


def test_with_finite_acute_beds_waiting_for_step_down_turns_more_patients_away() -> None:
    """Patients waiting in acute beds for a reablement bed hold those beds longer, so with a finite acute
    pool more arrivals find it full (the loss system is decided again with the waits)."""
    base = _queue_scenario(4.0, 1.0, 5, horizon=400, warmup=40) | {
        "beds": {"capacity": 12},
        "length_of_stay": {"dist": "exponential", "mean_days": 2.0},
        "housing_need": {"probability": 0.0},
    }
    with_step = base | {
        "step_down": {
            "probability": 0.5,
            "beds": 4,
            "length_of_stay": {"dist": "exponential", "mean_days": 2},
        }
    }
    a = summarise_batch(run(parse_scenario(base), replications=10, seed=9))["metrics"]
    b = summarise_batch(run(parse_scenario(with_step), replications=10, seed=9))["metrics"]
    assert b["turned_away_fraction"]["mean"] > a["turned_away_fraction"]["mean"]  # type: ignore[index]
    assert b["wait_for_step_down_days"]["mean"] > 0  # type: ignore[index]
