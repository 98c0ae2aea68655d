"""Scoring one hazard as the HHSRS Operating Guidance does, with the working in words.

score = (10,000 × I + 1,000 × II + 300 × III + 10 × IV) / L, where I–IV are the spread of harm over the four
Classes of harm as whole percentages summing to 100 and the likelihood of a harmful occurrence is "1 in L".
The score falls in one of ten bands, A (≥ 5,000) to J (≤ 9); bands A–C are Category 1 hazards, all others
Category 2 (Housing Act 2004 s.2(1)). Source: `data/SOURCE.md`. No rounding rule is cited there, so none is
applied: the band is chosen from the exact score, each band starting at its lower bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from homeward.engines.hhsrs.hazards import HAZARDS, HazardGroup

#: Weights of the four Classes of harm (Class I is the most extreme).
CLASS_WEIGHTS: tuple[int, int, int, int] = (10_000, 1_000, 300, 10)
#: A likelihood is "1 in L" with 1 ≤ L ≤ this (1 in a million is already far below any published scale point).
MAX_LIKELIHOOD = 1_000_000


class Band(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"
    H = "H"
    I = "I"  # noqa: E741 - the band's published name
    J = "J"


#: Each band and the lowest score in it, highest band first.
BAND_FLOORS: tuple[tuple[Band, int], ...] = (
    (Band.A, 5_000),
    (Band.B, 2_000),
    (Band.C, 1_000),
    (Band.D, 500),
    (Band.E, 200),
    (Band.F, 100),
    (Band.G, 50),
    (Band.H, 20),
    (Band.I, 10),
    (Band.J, 0),
)
BAND_RANGES: dict[Band, str] = {
    Band.A: "5,000 or more",
    Band.B: "2,000–4,999",
    Band.C: "1,000–1,999",
    Band.D: "500–999",
    Band.E: "200–499",
    Band.F: "100–199",
    Band.G: "50–99",
    Band.H: "20–49",
    Band.I: "10–19",
    Band.J: "9 or less",
}
CATEGORY_1_BANDS: frozenset[Band] = frozenset({Band.A, Band.B, Band.C})


def band_for(score: float) -> Band:
    """The band a score falls in (lower bounds inclusive: 5,000 is A, 4,999.5 is B)."""
    for band, floor in BAND_FLOORS:
        if score >= floor:
            return band
    return Band.J


def category_for(band: Band) -> int:
    """1 for bands A–C, otherwise 2."""
    return 1 if band in CATEGORY_1_BANDS else 2


def weighted_harm(spread: Sequence[int]) -> int:
    """10,000 × I + 1,000 × II + 300 × III + 10 × IV (an integer for whole percentages)."""
    return sum(w * p for w, p in zip(CLASS_WEIGHTS, spread, strict=True))


def rate(likelihood: float, spread: Sequence[int]) -> tuple[float, Band, int]:
    """Score, band and category of an already validated likelihood and spread (no checks: see
    `HazardAssessment`). The vectorised scorer does the same arithmetic, so both agree exactly."""
    score = weighted_harm(spread) / likelihood
    band = band_for(score)
    return score, band, category_for(band)


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("hhsrs", message)


Percentage = Annotated[int, Field(strict=True)]


class HazardAssessment(BaseModel):
    """One assessed hazard: which hazard, the likelihood "1 in L" and the spread of harm (Classes I–IV)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hazard: str = Field(max_length=64)
    likelihood: Annotated[float, Field(strict=True, allow_inf_nan=False)]
    spread: tuple[Percentage, Percentage, Percentage, Percentage]

    @field_validator("hazard")
    @classmethod
    def _known_hazard(cls, code: str) -> str:
        if code not in HAZARDS:
            raise _fail(f"unknown hazard code {code!r} (the 29 codes are listed in docs/adaptations.md)")
        return code

    @field_validator("likelihood")
    @classmethod
    def _plausible_likelihood(cls, value: float) -> float:
        if value <= 0:
            raise _fail(f"must be more than 0: a likelihood is '1 in L' (got {value:g})")
        if value < 1:
            raise _fail(f"must be at least 1: '1 in {value:g}' is more than certain")
        if value > MAX_LIKELIHOOD:
            raise _fail(f"must be at most {MAX_LIKELIHOOD:,} (got {value:g})")
        return value

    @field_validator("spread", mode="before")
    @classmethod
    def _four_whole_percentages(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple) or len(value) != 4:
            raise _fail("must list four percentages, for Classes I, II, III and IV")
        for share in value:
            if isinstance(share, bool) or not isinstance(share, int | float):
                raise _fail(f"each percentage must be a whole number (got {share!r})")
            if isinstance(share, float) and not share.is_integer():
                raise _fail(f"each percentage must be a whole number (got {share:g})")
            if not 0 <= share <= 100:
                raise _fail(f"each percentage must be between 0 and 100 (got {share:g})")
        total = sum(value)
        if total != 100:
            raise _fail(f"must sum to 100 (got {total:g})")
        return tuple(int(share) for share in value)


class HazardScore(BaseModel):
    """The result for one hazard, with the working in words."""

    model_config = ConfigDict(frozen=True)

    hazard: str
    name: str
    group: HazardGroup
    likelihood: float
    spread: tuple[int, int, int, int]
    score: float
    band: Band
    category: int
    explanation: str


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def explain(assessment: HazardAssessment, score: float, band: Band, category: int) -> str:
    """The calculation in words, as a surveyor would write it on the rating form."""
    hazard = HAZARDS[assessment.hazard]
    i, ii, iii, iv = assessment.spread
    l_text = _number(assessment.likelihood)
    harm = weighted_harm(assessment.spread)
    exact = "" if math.isclose(score, round(score, 2)) else " (to 2 decimal places)"
    verdict = "Category 1 (bands A–C)" if category == 1 else "Category 2 (bands D–J; Category 1 is A–C)"
    return (
        f"{hazard.name} (hazard {hazard.number}, {hazard.group.value}): likelihood 1 in {l_text}; "
        f"spread of harm Class I {i}%, Class II {ii}%, Class III {iii}%, Class IV {iv}%. "
        f"Score = (10,000 × {i} + 1,000 × {ii} + 300 × {iii} + 10 × {iv}) ÷ {l_text} "
        f"= {harm:,} ÷ {l_text} = {score:,.2f}{exact}. "
        f"That is band {band.value} ({BAND_RANGES[band]}), so {verdict}."
    )


def score_hazard(assessment: HazardAssessment) -> HazardScore:
    """Score one validated hazard and explain the result in words."""
    score, band, category = rate(assessment.likelihood, assessment.spread)
    hazard = HAZARDS[assessment.hazard]
    return HazardScore(
        hazard=hazard.code,
        name=hazard.name,
        group=hazard.group,
        likelihood=assessment.likelihood,
        spread=assessment.spread,
        score=score,
        band=band,
        category=category,
        explanation=explain(assessment, score, band, category),
    )
