"""The fixed-effects speed step changes nothing: estimates and standard errors equal a direct statsmodels
fit with every dummy (and linearmodels' PanelOLS) to 1e-8.

Both libraries give the raw clustered sandwich; the small-sample factor is the engine's documented CRV1,
G/(G−1)·(N−1)/(N−K) with K = regressors + the stack × month effects (the unit effects are nested in the
person clusters and not counted), computed here from the panel's own shape."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from evaluation_cases import planted, spec_with

from homeward.engines.evaluation import (
    build_panel,
    fit_before_after,
    fit_did,
    fit_event_study,
    load_spec,
    match,
    prepare,
    treated_panel,
)

TOLERANCE = 1e-8


@pytest.fixture(scope="module")
def panel():
    data = planted(seed=21, people=500, treated=50, months=20, pre_months=5, post_months=5)
    spec = spec_with(data, matching={"replacement": True, "ratio": 2})  # reused controls: clusters ≠ units
    design = prepare(load_spec(spec), data.data())
    return build_panel(design, match(design))


def _frame(panel) -> pd.DataFrame:
    long = panel.long()
    return pd.DataFrame({c: long.get_column(c).to_numpy() for c in long.columns})


def _lsdv(frame: pd.DataFrame, regressors: pd.DataFrame):
    """OLS with a dummy for every unit and every stack × month except each stack's first month
    (a full-rank design), clustered by person: what the engine must reproduce."""
    units = pd.get_dummies(frame["unit"], prefix="unit", dtype=float)
    cells = pd.get_dummies(frame["cell"], prefix="cell", dtype=float)
    first = frame.loc[frame["event_month"] == frame["event_month"].min(), "cell"].unique()
    cells = cells.drop(columns=[f"cell_{c}" for c in first])
    x = pd.concat([regressors, units, cells], axis=1).to_numpy()
    assert np.linalg.matrix_rank(x) == x.shape[1]
    return sm.OLS(frame["y"].to_numpy(), x).fit(
        cov_type="cluster",
        cov_kwds={"groups": frame["person"].to_numpy(), "use_correction": False},
        use_t=True,
    )


def _crv1(frame: pd.DataFrame, regressors: int) -> float:
    n, g = len(frame), frame["person"].nunique()
    stacks, width = frame["stack"].nunique(), frame["event_month"].nunique()
    k = regressors + stacks * (width - 1)
    return g / (g - 1) * (n - 1) / (n - k)


@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt")
def test_did_equals_statsmodels_with_every_dummy(panel):
    frame = _frame(panel)
    full = _lsdv(frame, frame[["did"]])
    fit = fit_did(panel)
    assert fit.params[0] == pytest.approx(full.params[0], rel=TOLERANCE, abs=TOLERANCE)
    assert np.sqrt(fit.cov[0, 0]) == pytest.approx(full.bse[0] * np.sqrt(_crv1(frame, 1)), rel=TOLERANCE)
    assert fit.df_inference == int(full.df_resid_inference)


@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt")
def test_event_study_equals_statsmodels_with_every_dummy(panel):
    frame = _frame(panel)
    fit, months = fit_event_study(panel)
    leads_lags = pd.DataFrame(
        {m: ((frame["event_month"] == m) & (frame["treated"] == 1)).astype(float) for m in months}
    )
    full = _lsdv(frame, leads_lags)
    k = len(months)
    np.testing.assert_allclose(fit.params, full.params[:k], rtol=TOLERANCE, atol=TOLERANCE)
    factor = _crv1(frame, k)
    np.testing.assert_allclose(fit.se(), full.bse[:k] * np.sqrt(factor), rtol=TOLERANCE)
    pre = [i for i, m in enumerate(months) if m < -1]
    restriction = np.zeros((len(pre), full.params.size))
    restriction[np.arange(len(pre)), pre] = 1
    ours = np.zeros((len(pre), k))
    ours[np.arange(len(pre)), pre] = 1
    assert float(fit.result.f_test(ours, cov_p=fit.cov).pvalue) == pytest.approx(
        float(full.f_test(restriction, cov_p=np.asarray(full.cov_params()) * factor).pvalue), rel=1e-7
    )


def test_before_after_equals_statsmodels_with_person_dummies():
    data = planted(seed=22, people=300, treated=40, months=20, pre_months=5, post_months=5)
    design = prepare(load_spec(data.spec), data.data())
    panel = treated_panel(design)
    frame = _frame(panel)
    units = pd.get_dummies(frame["unit"], prefix="unit", dtype=float)
    x = pd.concat([frame[["post"]].astype(float), units], axis=1).to_numpy()
    full = sm.OLS(frame["y"].to_numpy(), x).fit(
        cov_type="cluster",
        cov_kwds={"groups": frame["person"].to_numpy(), "use_correction": False},
        use_t=True,
    )
    fit = fit_before_after(panel)
    n, g = len(frame), frame["person"].nunique()
    factor = g / (g - 1) * (n - 1) / (n - 1)  # K = 1: the person effects are nested in the clusters
    assert fit.params[0] == pytest.approx(full.params[0], rel=TOLERANCE)
    assert np.sqrt(fit.cov[0, 0]) == pytest.approx(full.bse[0] * np.sqrt(factor), rel=TOLERANCE)


def test_did_equals_linearmodels_panelols_with_entity_and_time_effects(panel):
    from linearmodels import PanelOLS

    flat = _frame(panel)
    frame = flat.set_index(["unit", "cell"])
    model = PanelOLS(frame["y"], frame[["did"]], entity_effects=True, time_effects=True)
    # Raw sandwich (no small-sample scaling), then the engine's CRV1 factor G/(G−1)·(N−1)/(N−K).
    raw = model.fit(
        cov_type="clustered", clusters=frame["person"], debiased=False, auto_df=False, count_effects=False
    )
    fit = fit_did(panel)
    factor = _crv1(flat, 1)
    assert fit.params[0] == pytest.approx(raw.params["did"], rel=TOLERANCE)
    assert np.sqrt(fit.cov[0, 0]) == pytest.approx(raw.std_errors["did"] * np.sqrt(factor), rel=TOLERANCE)
