"""The learned mode: logistic regression on transformed features, calibrated by isotonic regression.

Trained on outcomes recorded after a past `as_of` (tenancy failure, hospital admission, safeguarding
referral). Calibration is fitted on out-of-fold scores so probabilities are honest. Reasons are the
signals whose inputs push the tenancy's log-odds up most against the average tenancy.
The fitted model is plain numbers (JSON), applied with NumPy: no pickles, cheap to ship to workers.
Protected attributes (age band, disability, ethnicity) are never inputs: only `MODEL_INPUTS` are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from pydantic import BaseModel
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from homeward.engines.risk.lexicon import LEXICON
from homeward.engines.risk.rules import TOP_REASONS
from homeward.engines.risk.signals import SIGNALS

REASON_MIN_LOGIT = 0.1  # an input must add at least this much log-odds to be given as a reason


@dataclass(frozen=True)
class ModelInput:
    name: str
    expr: pl.Expr
    signal: str | None  # the signal it explains; None for context that is never a reason


def _log1p(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Float64).log1p()


MODEL_INPUTS: tuple[ModelInput, ...] = (
    ModelInput("log_contacts_30d", _log1p("contacts_30d"), "contact_surge"),
    ModelInput("log_contact_rate_ratio", pl.col("contact_rate_ratio").log1p(), "contact_surge"),
    ModelInput("log_repair_contacts_30d", _log1p("repair_contacts_30d"), "contact_surge"),
    ModelInput("log_repeat_contacts", _log1p("repeat_contacts_48h_90d"), "repeat_contacts"),
    ModelInput("log_out_of_hours", _log1p("out_of_hours_90d"), "out_of_hours"),
    ModelInput(
        "quiet_after_usual_contact",
        (pl.col("contacts_90d") == 0).cast(pl.Float64) * pl.col("prior_contacts_per_month").log1p(),
        "gone_quiet",
    ),
    ModelInput("log_contacts_365d", _log1p("contacts_365d"), None),
    ModelInput("log_tenancy_years", (pl.col("tenancy_days") / 365.0).log1p(), None),
    ModelInput("log_no_access_90d", _log1p("no_access_90d"), "no_access"),
    ModelInput("log_no_access_365d", _log1p("no_access_365d"), "no_access"),
    ModelInput("log_damp_mould", _log1p("damp_mould_365d"), "damp_mould"),
    ModelInput(
        "clean_years_broken",
        (pl.col("weeks_in_arrears_90d") > 0).cast(pl.Float64) * pl.col("clean_days_before_arrears") / 365.0,
        "first_arrears",
    ),
    ModelInput("log_weeks_in_arrears", _log1p("weeks_in_arrears_90d"), "arrears"),
    ModelInput("log_arrears_hundreds", (pl.col("arrears_balance") / 100.0).log1p(), "arrears"),
    ModelInput(
        "arrears_change_hundreds", (pl.col("arrears_change_28d") / 100.0).clip(-10, 10), "rising_arrears"
    ),
    ModelInput("log_asb", _log1p("asb_90d"), "asb"),
    ModelInput("log_concerns", _log1p("concerns_90d"), "concern"),
    ModelInput("log_safeguarding", _log1p("safeguarding_concerns_90d"), "safeguarding_concern"),
    *(ModelInput(f"log_note_{s}", _log1p(f"note_{s}_90d"), f"note_{s}") for s in LEXICON),
)
REASON_SIGNALS: tuple[str, ...] = tuple(dict.fromkeys(i.signal for i in MODEL_INPUTS if i.signal))


class RiskModel(BaseModel):
    """A fitted, calibrated model as plain numbers."""

    inputs: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    calibration_x: list[float]  # isotonic map from log-odds to probability (piecewise linear)
    calibration_y: list[float]
    trained_on: int
    positives: int

    def save(self, path: Path) -> None:
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> RiskModel:
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))


def model_matrix(features: pl.DataFrame) -> np.ndarray:
    """The model's input matrix (rows in the order of `features`)."""
    return features.select(i.expr.alias(i.name) for i in MODEL_INPUTS).to_numpy().astype(np.float64)


def train_model(features: pl.DataFrame, labels: np.ndarray, *, seed: int = 0) -> RiskModel:
    """Fit logistic regression + isotonic calibration on out-of-fold log-odds (5 folds)."""
    x, y = model_matrix(features), np.asarray(labels, dtype=np.int64)
    if y.min() == y.max():
        raise ValueError("training needs both tenancies with and without an outcome")
    pipe = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    oof = np.asarray(cross_val_predict(pipe, x, y, cv=folds, method="decision_function"), dtype=np.float64)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(oof, y)
    pipe.fit(x, y)
    scaler, lr = pipe[0], pipe[1]
    scale = np.where(scaler.scale_ == 0, 1.0, scaler.scale_)
    return RiskModel(
        inputs=[i.name for i in MODEL_INPUTS],
        mean=[float(v) for v in scaler.mean_],
        scale=[float(v) for v in scale],
        coef=[float(v) for v in lr.coef_[0]],
        intercept=float(lr.intercept_[0]),
        calibration_x=[float(v) for v in iso.X_thresholds_],
        calibration_y=[float(v) for v in iso.y_thresholds_],
        trained_on=int(y.size),
        positives=int(y.sum()),
    )


def predict(model: RiskModel, features: pl.DataFrame) -> pl.DataFrame:
    """`tenancy_ref`, calibrated `probability`, raw `log_odds` and `model_reasons` (top signals)."""
    if model.inputs != [i.name for i in MODEL_INPUTS]:
        raise ValueError("model was trained with different inputs; retrain it")
    z = (model_matrix(features) - np.asarray(model.mean)) / np.asarray(model.scale)
    contrib = z * np.asarray(model.coef)
    log_odds = contrib.sum(axis=1) + model.intercept
    prob = np.interp(log_odds, model.calibration_x, model.calibration_y)
    # Sum contributions per signal; a signal is a reason only if present and pushing the risk up.
    member = np.zeros((len(MODEL_INPUTS), len(REASON_SIGNALS)))
    for j, inp in enumerate(MODEL_INPUTS):
        if inp.signal:
            member[j, REASON_SIGNALS.index(inp.signal)] = 1.0
    by_signal = contrib @ member
    present = features.select(SIGNALS[s].present.alias(s) for s in REASON_SIGNALS).to_numpy()
    by_signal = np.where(present & (by_signal >= REASON_MIN_LOGIT), by_signal, -np.inf)
    top = np.argsort(-by_signal, axis=1, kind="stable")[:, :TOP_REASONS]
    top_valid = np.take_along_axis(by_signal, top, axis=1) > -np.inf
    top = np.where(top_valid, top, -1)
    phrases = features.select(
        "tenancy_ref",
        *(SIGNALS[s].phrase.alias(f"_p{k}") for k, s in enumerate(REASON_SIGNALS)),
    ).with_columns(pl.Series(f"_r{r}", top[:, r]) for r in range(TOP_REASONS))

    def pick(r: int) -> pl.Expr:
        expr: pl.Expr = pl.lit(None, dtype=pl.String)
        for k in reversed(range(len(REASON_SIGNALS))):
            expr = pl.when(pl.col(f"_r{r}") == k).then(pl.col(f"_p{k}")).otherwise(expr)
        return expr

    return phrases.select(
        "tenancy_ref",
        pl.Series("probability", prob),
        pl.Series("log_odds", log_odds),
        pl.concat_list(pick(r) for r in range(TOP_REASONS)).list.drop_nulls().alias("model_reasons"),
    )
