"""Tenancy triggers: per-tenancy features from housing-system extracts, scored by editable rules
with points or by a calibrated learned model, every score with its top reasons in plain English.

Pure Python + Polars/NumPy/scikit-learn, no Django. Method, schemas and figures: docs/risk.md.

    from homeward.engines.risk import scan_extracts, compute_features, score_features, train_model

    extracts = scan_extracts(Path("extracts/"))          # validated files (see validate_directory)
    features = compute_features(extracts, as_of=date(2026, 9, 30))
    scores = score_features(features)                      # rule_score, rule_reasons, ...
"""

from homeward.engines.risk.evaluation import (
    FAIR_RANGE,
    PROTECTED_ATTRIBUTES,
    GroupFairness,
    MonthMetrics,
    fairness_report,
    outcome_labels,
    precision_at_k,
    rank,
    worklist_metrics,
)
from homeward.engines.risk.extracts import Extracts, scan_extracts
from homeward.engines.risk.features import FEATURES, compute_features, features_plan
from homeward.engines.risk.lexicon import LEXICON
from homeward.engines.risk.model import MODEL_INPUTS, RiskModel, predict, train_model
from homeward.engines.risk.pipeline import (
    latest_event_date,
    partition_bounds,
    score_features,
    score_partition,
    score_tenancies,
)
from homeward.engines.risk.rent import rent_weeks_from_transactions
from homeward.engines.risk.rules import (
    DEFAULT_RULES,
    DEFAULT_RULES_YAML,
    Rule,
    load_rules,
    parse_rules,
    score_rules,
)
from homeward.engines.risk.schema import SCHEMAS, Column, ColumnType, ExtractSchema
from homeward.engines.risk.signals import SIGNALS, Signal
from homeward.engines.risk.synth import SyntheticSet, generate
from homeward.engines.risk.validation import (
    ExtractError,
    Issue,
    ValidatedExtract,
    validate_directory,
    validate_extract,
)

__all__ = [
    "DEFAULT_RULES",
    "DEFAULT_RULES_YAML",
    "FAIR_RANGE",
    "FEATURES",
    "LEXICON",
    "MODEL_INPUTS",
    "PROTECTED_ATTRIBUTES",
    "SCHEMAS",
    "SIGNALS",
    "Column",
    "ColumnType",
    "ExtractError",
    "ExtractSchema",
    "Extracts",
    "GroupFairness",
    "MonthMetrics",
    "Issue",
    "RiskModel",
    "Rule",
    "Signal",
    "SyntheticSet",
    "ValidatedExtract",
    "compute_features",
    "fairness_report",
    "features_plan",
    "generate",
    "latest_event_date",
    "load_rules",
    "outcome_labels",
    "parse_rules",
    "partition_bounds",
    "precision_at_k",
    "predict",
    "rank",
    "rent_weeks_from_transactions",
    "scan_extracts",
    "score_features",
    "score_partition",
    "score_rules",
    "score_tenancies",
    "train_model",
    "validate_directory",
    "validate_extract",
    "worklist_metrics",
]
