"""A straightforward SimPy implementation of the flowsim model (benchmark reference only).

Same model as homeward.engines.flowsim for unlimited beds: Poisson arrivals, LOS, housing
need worked FCFS by `count` officers from discharge-ready (or referral), blockers cleared in
parallel from discharge-ready; discharge when all are done.
"""

from __future__ import annotations

import numpy as np
import simpy

from homeward.engines.flowsim import Scenario, sample


def run_one(sc: Scenario, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed + 10_000_019)
    env = simpy.Environment()
    officers = simpy.Resource(env, capacity=sc.housing_officers.count)
    w0, h = sc.warmup_days, sc.horizon_days
    waits: list[float] = []
    delays: list[float] = []
    stays: list[float] = []
    occ = {"area": 0.0, "n": 0, "t": w0}
    busy = [0.0]

    def draw(d):  # one sample
        return float(sample(d, rng, (1,))[0])

    def bump(k: int) -> None:
        t = min(max(env.now, w0), h)
        if env.now >= w0:
            occ["area"] += occ["n"] * (t - occ["t"])
            occ["t"] = t
        occ["n"] += k

    def housing(t_req: float, out: dict[str, float]):
        with officers.request() as req:
            yield req
            out["wait"] = env.now - t_req
            s = draw(sc.housing_officers.service)
            start = env.now
            yield env.timeout(s)
            busy[0] += max(0.0, min(env.now, h) - max(start, w0))

    def patient():
        t0 = env.now
        bump(1)
        need = rng.random() < sc.housing_need.probability
        los = draw(sc.length_of_stay)
        blocked = 0.0
        for b in sc.blockers:
            has = rng.random() < b.probability
            d = draw(b.clearance)
            if has:
                blocked = max(blocked, d)
        out: dict[str, float] = {}
        proc = None
        if need and sc.housing_officers.start == "at_referral":
            proc = env.process(housing(env.now, out))
        yield env.timeout(los)
        ready = env.now
        if need and proc is None:
            proc = env.process(housing(env.now, out))
        events = [env.timeout(blocked)] + ([proc] if proc is not None else [])
        yield simpy.AllOf(env, events)
        bump(-1)
        if t0 >= w0:
            if need:
                waits.append(out["wait"])
            delays.append(env.now - ready)
            stays.append(env.now - t0)

    def arrivals():
        while True:
            yield env.timeout(rng.exponential(1 / sc.arrivals.rate_per_day))
            if env.now >= h:
                return
            env.process(patient())

    env.process(arrivals())
    env.run()  # arrivals stop at the horizon; everyone admitted is followed to discharge
    occ["area"] += occ["n"] * (h - occ["t"]) if occ["t"] < h else 0.0
    return {
        "wait_for_officer_days": float(np.mean(waits)),
        "prob_wait_for_officer": float(np.mean(np.asarray(waits) > 0)),
        "officer_utilisation": busy[0] / ((h - w0) * sc.housing_officers.count),
        "delayed_bed_days_per_patient": float(np.mean(delays)),
        "bed_occupancy_mean": occ["area"] / (h - w0),
        "length_of_stay_days": float(np.mean(stays)),
    }
