"""JSON API for the simulator: queue a What if? run as a background job (follow it at /api/v1/jobs/{id})."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from homeward.api.context import actor_of
from homeward.governance.routes import no_personal_data
from homeward.jobs.api import JobOut
from homeward.jobs.models import Job
from homeward.outcomes import simulation

router = Router(tags=["simulation"])


class SimulationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120)
    scenario: dict[str, Any] = Field(description="A scenario in the simulator's schema (docs/flowsim.md)")
    replications: int = Field(default=200, ge=1, le=1_000_000)
    seed: int = Field(default=1, ge=0, lt=2**32)


@router.post(
    "/simulations",
    response={202: JobOut},
    summary="Queue a simulation run (refused, naming the field, when over a limit: docs/limits.md)",
)
@no_personal_data("simulation inputs: counts and durations only")
def start_simulation(request: HttpRequest, payload: SimulationIn) -> Status[Job]:
    job = simulation.start_simulation(actor=actor_of(request), **payload.model_dump())
    return Status(202, job)
