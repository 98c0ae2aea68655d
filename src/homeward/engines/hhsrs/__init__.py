"""The Housing Health and Safety Rating System (HHSRS): the 29 hazards in their four groups, the score of an
assessed hazard with its working in words, a vectorised scorer for a whole stock, and Awaab's Law clocks.

Pure Python + Polars, no Django. Codes, scoring rules and sources: docs/adaptations.md.

    from homeward.engines.hhsrs import HazardAssessment, score_hazard, score_stock, category_1_hazards

    result = score_hazard(HazardAssessment(hazard="falls_stairs", likelihood=100, spread=(0, 10, 30, 60)))
    result.score, result.band, result.category, result.explanation   # 196.0, Band.F, 2, "Falling on stairs …"
    scored = score_stock(frame)          # Polars frame: hazard, likelihood, class_i … class_iv → + score/band
    category_1_hazards(scored)           # every Category 1 hazard, highest score first
"""

from homeward.engines.hhsrs.hazards import HAZARD_CODES, HAZARDS, Hazard, HazardGroup
from homeward.engines.hhsrs.schema import (
    MAX_HAZARDS_PER_FILE,
    HhsrsInputError,
    Issue,
    load_assessments,
    parse_assessments,
)
from homeward.engines.hhsrs.scoring import (
    BAND_FLOORS,
    BAND_RANGES,
    CATEGORY_1_BANDS,
    CLASS_WEIGHTS,
    MAX_LIKELIHOOD,
    Band,
    HazardAssessment,
    HazardScore,
    band_for,
    category_for,
    rate,
    score_hazard,
)
from homeward.engines.hhsrs.stock import (
    CLASS_COLUMNS,
    STOCK_COLUMNS,
    category_1_hazards,
    score_stock,
    validate_stock,
)

__all__ = [
    "BAND_FLOORS",
    "BAND_RANGES",
    "CATEGORY_1_BANDS",
    "CLASS_COLUMNS",
    "CLASS_WEIGHTS",
    "HAZARDS",
    "HAZARD_CODES",
    "MAX_HAZARDS_PER_FILE",
    "MAX_LIKELIHOOD",
    "STOCK_COLUMNS",
    "Band",
    "Hazard",
    "HazardAssessment",
    "HazardGroup",
    "HazardScore",
    "HhsrsInputError",
    "Issue",
    "band_for",
    "category_1_hazards",
    "category_for",
    "load_assessments",
    "parse_assessments",
    "rate",
    "score_hazard",
    "score_stock",
    "validate_stock",
]
