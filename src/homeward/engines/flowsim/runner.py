"""Run replications in seed chunks, in-process or across worker processes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from homeward.engines.flowsim.engine import Batch, run_batch
from homeward.engines.flowsim.scenario import Scenario


def seeds_for(seed: int, replications: int) -> list[int]:
    """Independent per-replication seeds derived from one master seed (SeedSequence)."""
    children = np.random.SeedSequence(seed).generate_state(replications, dtype=np.uint32)
    return [int(s) for s in children]


def concat(batches: list[Batch]) -> Batch:
    """Join batches in order."""
    keys = batches[0].values.keys()
    return Batch(
        tuple(s for b in batches for s in b.seeds),
        {k: np.concatenate([b.values[k] for b in batches]) for k in keys},
        {k: np.concatenate([b.series[k] for b in batches]) for k in batches[0].series},
    )


def run(
    scenario: Scenario,
    *,
    replications: int,
    seed: int,
    workers: int = 1,
    chunk: int = 50,
    progress: Callable[[int], None] | None = None,
) -> Batch:
    """Simulate `replications` runs; same seed gives identical output whatever `workers` is."""
    seeds = seeds_for(seed, replications)
    chunks = [seeds[i : i + chunk] for i in range(0, len(seeds), chunk)]
    out: list[Batch] = []
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            for b in pool.map(run_batch, [scenario] * len(chunks), chunks):
                out.append(b)
                if progress:
                    progress(len(b.seeds))
    else:
        for c in chunks:
            out.append(run_batch(scenario, c))
            if progress:
                progress(len(c))
    return concat(out)
