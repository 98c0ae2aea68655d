"""Discharge-flow simulation engine: vectorised, seeded, validated against queueing theory."""

from homeward.engines.flowsim.engine import METRICS, Batch, run_batch, sample
from homeward.engines.flowsim.runner import concat, run
from homeward.engines.flowsim.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from homeward.engines.flowsim.stats import compare, summarise, summarise_batch

__all__ = [
    "METRICS",
    "Batch",
    "Scenario",
    "ScenarioError",
    "compare",
    "concat",
    "load_scenario",
    "parse_scenario",
    "run",
    "run_batch",
    "sample",
    "summarise",
    "summarise_batch",
]
