"""Person linkage on Splink 5: which records held by different organisations are the same person.

Pure Python (Splink on DuckDB by default, Spark for scale), no Django. Method, fields, figures and
the CSV format: docs/linkage.md.

    from homeward.engines.linkage import combine_sources, link_records, update_identities

    records = combine_sources({"housing": tenants, "hospital": patients})   # raw Polars frames
    run = link_records(records)                 # clean, train (unsupervised), score, decide
    run.pairs                                   # every scored pair: weight, probability, decision
    run.model.save(Path("agreement-7.json"))    # versioned model JSON, per agreement

    linker = IncrementalLinker(run.model, records)   # one new record → its candidates, scored
    linker.score(LinkageRecord("hospital", "RX1", given_name="Bill", ...))

    PairExplainer(run.model, run.frequencies).explain(left, right).without_values().vega_lite()

    update_identities(previous_state, records=keys, links=confirmed_links)   # stable person ids
"""

from homeward.engines.linkage.backend import Backend, DuckDBBackend, SparkBackend
from homeward.engines.linkage.batch import PAIR_COLUMNS, LinkageRun, link_records, predict_pairs
from homeward.engines.linkage.cleaning import CLEAN_COLUMNS, clean_records
from homeward.engines.linkage.comparisons import COMPARISON_OF_FIELD, COMPARISONS, ComparisonSpec
from homeward.engines.linkage.decisions import (
    DEFAULT_THRESHOLDS,
    Decision,
    ThresholdEffect,
    Thresholds,
    decide,
    threshold_effect,
)
from homeward.engines.linkage.evaluation import Evaluation, evaluate, truth_between, truth_from_clusters
from homeward.engines.linkage.explain import FieldContribution, PairExplainer, PairExplanation, explain_pair
from homeward.engines.linkage.fields import (
    FIELD_LABELS,
    RECORD_ID,
    SOURCE,
    STANDARD_FIELDS,
    LinkageRecord,
    RecordKey,
    combine_sources,
    records_frame,
)
from homeward.engines.linkage.identities import (
    IdentityEvent,
    IdentityState,
    IdentityUpdate,
    RetiredIdentity,
    connected_components,
    update_identities,
)
from homeward.engines.linkage.incremental import CandidateIndex, IncrementalLinker
from homeward.engines.linkage.model import (
    MODEL_FORMAT,
    LevelParameters,
    LinkageModel,
    ModelError,
    TrainingSummary,
)
from homeward.engines.linkage.rules import LinkType, build_settings
from homeward.engines.linkage.scoring import PairScorer, TermFrequencies
from homeward.engines.linkage.synth import ErrorRates, SyntheticLinkage, generate_uk
from homeward.engines.linkage.training import DEFAULT_OPTIONS, TrainingOptions, train_model
from homeward.engines.linkage.validation import RecordError, RecordIssue, read_records_csv, validate_records

__all__ = [
    "CLEAN_COLUMNS",
    "COMPARISONS",
    "COMPARISON_OF_FIELD",
    "DEFAULT_OPTIONS",
    "DEFAULT_THRESHOLDS",
    "FIELD_LABELS",
    "MODEL_FORMAT",
    "PAIR_COLUMNS",
    "RECORD_ID",
    "SOURCE",
    "STANDARD_FIELDS",
    "Backend",
    "CandidateIndex",
    "ComparisonSpec",
    "Decision",
    "DuckDBBackend",
    "ErrorRates",
    "Evaluation",
    "FieldContribution",
    "IdentityEvent",
    "IdentityState",
    "IdentityUpdate",
    "IncrementalLinker",
    "LevelParameters",
    "LinkType",
    "LinkageModel",
    "LinkageRecord",
    "LinkageRun",
    "ModelError",
    "PairExplainer",
    "PairExplanation",
    "PairScorer",
    "RecordError",
    "RecordIssue",
    "RecordKey",
    "RetiredIdentity",
    "SparkBackend",
    "SyntheticLinkage",
    "TermFrequencies",
    "ThresholdEffect",
    "Thresholds",
    "TrainingOptions",
    "TrainingSummary",
    "build_settings",
    "clean_records",
    "combine_sources",
    "connected_components",
    "decide",
    "evaluate",
    "explain_pair",
    "generate_uk",
    "link_records",
    "predict_pairs",
    "read_records_csv",
    "records_frame",
    "threshold_effect",
    "train_model",
    "truth_between",
    "truth_from_clusters",
    "update_identities",
    "validate_records",
]
