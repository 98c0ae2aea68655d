"""The demo's measured impact: an ICB analyst's pseudonymised A&E extract with a planted true effect, and
the evaluation that recovers it.

The extract is synthetic (the engine's `generate`, seeded from this app's own `random.Random(seed + 22)`
so no other app's demo data change): 600 people over 36 months, about 80 of them helped by Hospital to
Home, whose A&E attendances fall by a known 0.1 a month (1.2 a year) more than comparable people's. Keys
are keyed pseudonyms (HMAC with the installation's pseudonym key), never a demo person's id or name.
"""

from __future__ import annotations

import hashlib
import hmac
import random

import polars as pl
from django.conf import settings

from homeward.engines.evaluation import generate
from homeward.evaluation import services
from homeward.evaluation.models import Evaluation
from homeward.governance.access import Actor

#: The planted truth: A&E attendances per person per month (per year: × 12).
PLANTED_EFFECT = -0.1
RATIONALE = (
    "Patients of the same hospitals with the same kind of need and sex who were not referred to Hospital "
    "to Home because the service had no capacity in their month."
)


def _pseudonym(key: str) -> str:
    secret = settings.PSEUDONYM_KEY.encode()
    return hmac.new(secret, f"demo-extract:{key}".encode(), hashlib.sha256).hexdigest()[:32]


def seed_evaluation(*, analyst: Actor, rng: random.Random) -> Evaluation:
    planted = generate(people=600, treated=80, months=36, effect=PLANTED_EFFECT, seed=rng.getrandbits(32))
    rename = pl.col("key").map_elements(_pseudonym, return_dtype=pl.String)
    extract = services.import_checked_extract(
        actor=analyst,
        name="ICB secondary-uses extract: A&E attendances (synthetic demo)",
        activity=planted.activity.with_columns(rename),
        people=planted.people.with_columns(rename),
    )
    spec = {
        **planted.spec,
        "intervention": "Helped by Hospital to Home",
        "comparison": {"rationale": RATIONALE},
        "robustness": {"enabled": True},
    }
    return services.run_now(actor=analyst, extract=extract, spec=spec)
