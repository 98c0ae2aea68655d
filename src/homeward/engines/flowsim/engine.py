"""Vectorised discharge-flow simulation: all replications at once as NumPy arrays.

Design: arrivals, stays, needs, service and clearance times are drawn for every
replication at once, shape (replications, max_patients). The FCFS c-server officer queue
and the bed loss system need state, so they are a loop over patients in time order that
is vectorised across replications (~4,400 patients a year: cheap). `run_batch` is pure
(scenario, seeds) -> arrays, so it maps over processes or a Dask cluster unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from homeward.engines.flowsim.scenario import Distribution, Scenario, WorkingHours

Floats = npt.NDArray[np.float64]

METRICS = (
    "wait_for_officer_days",
    "prob_wait_for_officer",
    "officer_utilisation",
    "delayed_bed_days_per_patient",
    "bed_occupancy_mean",
    "turned_away_fraction",
    "length_of_stay_days",
    "readmission_rate",
)


#: Added when the scenario has a `step_down` block.
STEP_DOWN_METRICS = ("wait_for_step_down_days", "prob_wait_for_step_down", "step_down_occupancy_mean")

DELAY_BINS = 30  # delayed bed-days histogram: whole days 0..29, then 30 or more


@dataclass(frozen=True)
class Batch:
    """Per-replication metric values, one array of shape (replications,) per metric, and per-replication
    series, shape (replications, length): `occupancy_by_day` (beds occupied at each midnight after the
    warm-up) and `delay_histogram` (patients by whole days from discharge-ready to discharge)."""

    seeds: tuple[int, ...]
    values: dict[str, Floats]
    series: dict[str, Floats] = field(default_factory=dict)


def sample(dist: Distribution, rng: np.random.Generator, shape: tuple[int, ...]) -> Floats:
    """Draw durations in days from a distribution block."""
    if dist.dist == "fixed":
        return np.full(shape, float(dist.value or 0.0))
    if dist.dist == "exponential":
        return rng.exponential(float(dist.mean_days or 0.0), shape)
    if dist.dist == "empirical":
        return rng.choice(np.asarray(dist.samples, dtype=float), size=shape)
    m, s = float(dist.mean_days or 0.0), float(dist.sd_days or 0.0)
    if dist.dist == "gamma":
        k = (m / s) ** 2
        return rng.gamma(k, m / k, shape)
    sigma2 = np.log1p((s / m) ** 2)  # lognormal with the given mean and sd
    return rng.lognormal(np.log(m) - sigma2 / 2, np.sqrt(sigma2), shape)


def _arrival_times(sc: Scenario, rng: np.random.Generator, reps: int) -> Floats:
    horizon = sc.horizon_days
    if sc.arrivals.times_days is not None:  # replayed history: the same arrivals in every replication
        t = np.sort(np.asarray(sc.arrivals.times_days, dtype=float))
        t = np.where(t < horizon, t, np.inf)
        return np.tile(t, (reps, 1))
    lam = float(sc.arrivals.rate_per_day or 0.0)
    profile = sc.arrivals.weekday_profile
    peak = lam * (max(profile) / (sum(profile) / 7) if profile else 1.0)
    n = int(peak * horizon + 6 * np.sqrt(peak * horizon) + 20)
    t = np.cumsum(rng.exponential(1.0 / peak, (reps, n)), axis=1)
    if profile:  # thinning (Lewis & Shedler 1979) to a weekday-varying rate
        rel = np.asarray(profile) / max(profile)
        keep = rng.random((reps, n)) < rel[np.floor(t).astype(int) % 7]
        t = np.where(keep, t, np.inf)
        t = np.sort(t, axis=1)
    return np.where(t < horizon, t, np.inf)


def run_batch(scenario: Scenario, seeds: list[int] | tuple[int, ...]) -> Batch:
    """Simulate one replication per seed; pure and deterministic in (scenario, seeds)."""
    reps = len(seeds)
    rngs = [np.random.default_rng(s) for s in seeds]
    rows = [_draw(scenario, rng) for rng in rngs]
    n = max(r["arrive"].size for r in rows)
    draws = {
        k: np.vstack(
            [np.pad(r[k], (0, n - r[k].size), constant_values=np.inf if k == "arrive" else 0) for r in rows]
        )
        for k in rows[0]
    }
    with np.errstate(invalid="ignore"):  # padded slots hold inf - inf; they are masked out
        values, series = _simulate(scenario, draws, reps)
    return Batch(tuple(int(s) for s in seeds), values, series)


def _draw(sc: Scenario, rng: np.random.Generator) -> dict[str, Floats]:
    t = _arrival_times(sc, rng, 1)[0]
    t = t[np.isfinite(t)]
    n = t.size
    out: dict[str, Floats] = {
        "arrive": t,
        "los": sample(sc.length_of_stay, rng, (n,)),
        "need": (rng.random(n) < sc.housing_need.probability).astype(float),
        "service": sample(sc.housing_officers.service, rng, (n,)),
        "blocked": np.zeros(n),
        "u_readmit": rng.random(n),
    }
    for b in sc.blockers:
        has = rng.random(n) < b.probability
        delay = sample(b.clearance, rng, (n,))
        out["blocked"] = np.maximum(out["blocked"], np.where(has, delay, 0.0))
    if sc.step_down is not None:  # drawn last, so every earlier draw is the same with or without it
        out["u_step"] = rng.random(n)
        out["step_los"] = sample(sc.step_down.length_of_stay, rng, (n,))
    return out


class Clock:
    """Calendar days <-> officers' working days. Without working hours both are the same."""

    def __init__(self, hours: WorkingHours | None) -> None:
        self.hours = hours
        if hours is not None:
            self.days = np.asarray(sorted(hours.days))
            self.per_week = len(self.days)
            self.cum = np.cumsum([0] + [1 if k in hours.days else 0 for k in range(7)])[
                :7
            ]  # before weekday k
            self.s, self.e = hours.start_hour / 24, hours.end_hour / 24

    def work(self, t: Floats) -> Floats:
        """Working days elapsed from time 0 to calendar time t."""
        if self.hours is None:
            return t
        finite = np.isfinite(t)
        tt = np.where(finite, t, 0.0)
        day = np.floor(tt)
        dow = (day % 7).astype(int)
        worked = np.isin(dow, self.days) * np.clip((tt - day - self.s) / (self.e - self.s), 0, 1)
        w = np.floor(day / 7) * self.per_week + self.cum[dow] + worked
        return np.where(finite, w, np.inf)

    def calendar(self, w: Floats) -> Floats:
        """The calendar time at which `w` working days have elapsed (the inverse of `work`)."""
        if self.hours is None:
            return w
        finite = np.isfinite(w)
        ww = np.where(finite, w, 0.0)
        weeks = np.floor(ww / self.per_week)
        r = ww - weeks * self.per_week
        j = np.minimum(np.floor(r).astype(int), self.per_week - 1)
        q = r - j
        t = weeks * 7 + self.days[j] + self.s + q * (self.e - self.s)
        return np.where(finite, t, np.inf)


def _simulate(sc: Scenario, d: dict[str, Floats], reps: int) -> tuple[dict[str, Floats], dict[str, Floats]]:
    arrive, los, need, service = d["arrive"], d["los"], d["need"] > 0, d["service"]
    ready = arrive + los
    at_referral = sc.housing_officers.start == "at_referral"
    c = sc.housing_officers.count
    cap = sc.beds.capacity
    n = arrive.shape[1]
    rows = np.arange(reps)
    admitted = np.isfinite(arrive)
    officer_free = np.zeros((reps, c))
    bed_free = np.zeros((reps, cap)) if cap else None
    wait = np.zeros_like(arrive)
    done = np.where(need, 0.0, ready)
    request = arrive if at_referral else ready
    # The officer queue runs on the officers' clock (working days when working hours are set).
    clock = Clock(sc.housing_officers.working_hours)
    request_w = clock.work(request)
    start_w = np.zeros_like(arrive)
    # Officer requests are served FCFS in request-time order; beds are taken in arrival
    # order. With start=at_referral both orders coincide, so one loop handles both.
    order = np.argsort(np.where(need & admitted, request, np.inf), axis=1, kind="stable")
    # Loss system: a bed's discharge time must be known on admission. With officers starting
    # at referral one arrival-order loop resolves both; with start at discharge-ready the
    # officer queue is resolved first over all arrivals, then beds (an approximation when
    # beds are limited: turned-away patients still used officer time; see docs/flowsim.md).
    if bed_free is not None and at_referral:
        for k in range(n):
            t = arrive[:, k]
            j = np.argmin(bed_free, axis=1)
            ok = (bed_free[rows, j] <= t) & np.isfinite(t)
            admitted[:, k] = ok
            m = ok & need[:, k]
            i = np.argmin(officer_free, axis=1)
            sw = np.maximum(request_w[:, k], officer_free[rows, i])
            fin = clock.calendar(sw + service[:, k])
            start_w[:, k] = sw
            wait[:, k] = np.where(m, clock.calendar(sw) - t, 0.0)
            officer_free[rows, i] = np.where(m, sw + service[:, k], officer_free[rows, i])
            dis = np.maximum(np.where(m, fin, ready[:, k]), ready[:, k] + d["blocked"][:, k])
            done[:, k] = np.where(m, fin, done[:, k])
            bed_free[rows, j] = np.where(ok, dis, bed_free[rows, j])
    else:
        for k in range(n):
            p = order[:, k]
            t = request[rows, p]
            m = need[rows, p] & admitted[rows, p]
            if not m.any():
                break
            i = np.argmin(officer_free, axis=1)
            sw = np.maximum(request_w[rows, p], officer_free[rows, i])
            fin_w = sw + service[rows, p]
            start_w[rows, p] = sw
            wait[rows, p] = np.where(m, clock.calendar(sw) - t, 0.0)
            done[rows, p] = np.where(m, clock.calendar(fin_w), done[rows, p])
            officer_free[rows, i] = np.where(m, fin_w, officer_free[rows, i])
    discharge = np.maximum(np.maximum(ready, done), ready + d["blocked"])
    if cap and not at_referral:  # the officer queue was resolved first: now the beds
        admitted = _loss_system(arrive, discharge, cap)
    step: dict[str, Floats] = {}
    if sc.step_down is not None:
        wants, step_wait, step_start = _step_down_queue(sc, d, discharge, admitted, reps)
        discharge = discharge + step_wait  # the wait for a reablement bed is spent in the acute bed
        if cap:
            # Acute beds are a loss system decided on admission; with the waits known, decide it again
            # (one pass: the step-down queue itself was formed from the first pass's admissions).
            admitted = _loss_system(arrive, discharge, cap)
        step = _step_down_metrics(sc, d, arrive, admitted & wants, step_wait, step_start)
    values = _summarise(sc, d, arrive, ready, discharge, done, admitted, need, wait, service, start_w, clock)
    return values | step, _series(sc, arrive, ready, discharge, admitted)


def _loss_system(arrive: Floats, discharge: Floats, cap: int) -> npt.NDArray[np.bool_]:
    """Who is admitted to `cap` beds when an arrival that finds every bed full is turned away, each
    admitted patient holding a bed from arrival to `discharge` (known on admission)."""
    reps, n = arrive.shape
    rows = np.arange(reps)
    bed_free = np.zeros((reps, cap))
    admitted = np.zeros(arrive.shape, dtype=bool)
    for k in range(n):
        t = arrive[:, k]
        j = np.argmin(bed_free, axis=1)
        ok = (bed_free[rows, j] <= t) & np.isfinite(t)
        admitted[:, k] = ok
        bed_free[rows, j] = np.where(ok, discharge[:, k], bed_free[rows, j])
    return admitted


def _step_down_queue(
    sc: Scenario, d: dict[str, Floats], leave: Floats, admitted: npt.NDArray[np.bool_], reps: int
) -> tuple[npt.NDArray[np.bool_], Floats, Floats]:
    """The FCFS queue for the finite pool of step-down beds: patients who need one ask for it when they
    could otherwise leave hospital (`leave`). Returns who wanted one, each wait and each start."""
    assert sc.step_down is not None
    wants = (d["u_step"] < sc.step_down.probability) & admitted & np.isfinite(leave)
    order = np.argsort(np.where(wants, leave, np.inf), axis=1, kind="stable")
    rows = np.arange(reps)
    free = np.zeros((reps, sc.step_down.beds))
    wait = np.zeros_like(leave)
    start = np.full_like(leave, np.inf)
    for k in range(leave.shape[1]):
        p = order[:, k]
        m = wants[rows, p]
        if not m.any():
            break
        t = leave[rows, p]
        i = np.argmin(free, axis=1)
        s = np.maximum(t, free[rows, i])
        wait[rows, p] = np.where(m, s - t, 0.0)
        start[rows, p] = np.where(m, s, np.inf)
        free[rows, i] = np.where(m, s + d["step_los"][rows, p], free[rows, i])
    return wants, wait, start


def _step_down_metrics(
    sc: Scenario,
    d: dict[str, Floats],
    arrive: Floats,
    wants: npt.NDArray[np.bool_],
    wait: Floats,
    start: Floats,
) -> dict[str, Floats]:
    """Mean wait and the share who waited (patients who arrived after the warm-up and needed a bed), and
    the time-average number of step-down beds occupied over [warm-up, horizon]."""
    w0, h = sc.warmup_days, sc.horizon_days
    counted = wants & np.isfinite(arrive) & (arrive >= w0)
    end = start + d["step_los"]
    used = np.clip(np.minimum(end, h) - np.maximum(start, w0), 0, None)
    return {
        "wait_for_step_down_days": _mean(wait, counted),
        "prob_wait_for_step_down": _mean((wait > 0).astype(float), counted),
        "step_down_occupancy_mean": np.where(wants, used, 0.0).sum(axis=1) / (h - w0),
    }


def _series(
    sc: Scenario, arrive: Floats, ready: Floats, discharge: Floats, admitted: npt.NDArray[np.bool_]
) -> dict[str, Floats]:
    """Midnight census after the warm-up, and the delayed bed-days histogram, per replication."""
    days = np.arange(np.ceil(sc.warmup_days), np.floor(sc.horizon_days)) + 0.0
    inside = admitted & np.isfinite(arrive)
    ins = np.sort(np.where(inside, arrive, np.inf), axis=1)
    outs = np.sort(np.where(inside, discharge, np.inf), axis=1)
    census = np.vstack(
        [
            np.searchsorted(a, days, side="right") - np.searchsorted(o, days, side="right")
            for a, o in zip(ins, outs, strict=True)
        ]
    ).astype(float)
    counted = inside & (arrive >= sc.warmup_days)
    delay = np.minimum(np.floor(np.where(counted, discharge - ready, -1)), DELAY_BINS)
    histogram = np.stack([(delay == b).sum(axis=1) for b in range(DELAY_BINS + 1)], axis=1).astype(float)
    return {"occupancy_by_day": census, "delay_histogram": histogram}


def _mean(x: Floats, mask: npt.NDArray[np.bool_]) -> Floats:
    cnt = mask.sum(axis=1)
    return np.where(cnt > 0, np.where(mask, x, 0.0).sum(axis=1) / np.maximum(cnt, 1), np.nan)


def _summarise(
    sc: Scenario,
    d: dict[str, Floats],
    arrive: Floats,
    ready: Floats,
    discharge: Floats,
    done: Floats,
    admitted: npt.NDArray[np.bool_],
    need: npt.NDArray[np.bool_],
    wait: Floats,
    service: Floats,
    start_w: Floats,
    clock: Clock,
) -> dict[str, Floats]:
    w0, h = sc.warmup_days, sc.horizon_days
    span = h - w0
    came = np.isfinite(arrive) & (arrive >= w0)
    counted = came & admitted
    needy = counted & need
    # Time-average occupancy over [warm-up, horizon]: overlap of each stay with the window.
    stay = np.clip(np.minimum(discharge, h) - np.maximum(arrive, w0), 0, None)
    occupancy = np.where(admitted & np.isfinite(arrive), stay, 0.0).sum(axis=1) / span
    # Utilisation on the officers' clock: busy working time over the working time available.
    window = clock.work(np.asarray([w0, h], dtype=float))
    busy = np.clip(np.minimum(start_w + service, window[1]) - np.maximum(start_w, window[0]), 0, None)
    busy = np.where(admitted & need & np.isfinite(arrive), busy, 0.0).sum(axis=1)
    r = sc.readmission
    met = done <= ready  # housing need met by the time the patient is discharge-ready
    p_re = np.where(
        need, np.where(met, r.probability_need_met, r.probability_need_unmet), r.probability_need_met
    )
    readmit = d["u_readmit"] < p_re
    return {
        "wait_for_officer_days": _mean(wait, needy),
        "prob_wait_for_officer": _mean((wait > 0).astype(float), needy),
        "officer_utilisation": busy / ((window[1] - window[0]) * sc.housing_officers.count),
        "delayed_bed_days_per_patient": _mean(discharge - ready, counted),
        "bed_occupancy_mean": occupancy,
        "turned_away_fraction": _mean((~admitted).astype(float), came),
        "length_of_stay_days": _mean(discharge - arrive, counted),
        "readmission_rate": _mean(readmit.astype(float), counted),
    }
