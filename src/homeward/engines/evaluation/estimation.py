"""Difference-in-differences and the event study on a matched panel, fitted by statsmodels OLS with
standard errors clustered by person.

The model (stacked DiD, Cengiz, Dube, Lindner & Zipperer 2019; Wing, Freedman & Hollingsworth 2024):

    y[u, t] = α[u] + λ[stack(u), t] + β · treated[u] · post[t] + ε[u, t]

with a fixed effect for every unit and for every start month × event month. Each start month is its own
sub-experiment whose treated are compared only with their own matched comparisons (never helped, or not
yet helped through the window), so an already-treated person is never a control, as naive two-way fixed
effects over staggered starts would make them (Goodman-Bacon 2021).

Speed step: the fixed effects are removed first (`panel.within`, exact for this balanced-within-stack
panel by Frisch–Waugh–Lovell) and statsmodels fits OLS on what is left, so the estimate and the
cluster-robust sandwich equal those of statsmodels' OLS with every dummy. The covariance is CRV1,
G/(G−1) · (N−1)/(N−K) times the sandwich, where K counts the regressors and the fixed effects that are
not nested in the clusters: unit effects are (a unit is one person), so they are not counted (Cameron &
Miller 2015, "A practitioner's guide to cluster-robust inference", section III.B; as Stata's xtreg, fe
and R's fixest by default); counting them would widen every interval by about sqrt(W/(W−1)) for W
months. Inference uses t with G − 1 degrees of freedom (G = people clustered on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy import stats

from homeward.engines.evaluation.design import FloatArray, IntArray
from homeward.engines.evaluation.panel import MatchedPanel, within, within_unit
from homeward.engines.evaluation.results import Estimate, EventStudy, EventStudyPoint

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class Fit:
    """Coefficients and the cluster-robust covariance with the full model's small-sample correction."""

    params: FloatArray
    cov: FloatArray
    clusters: int
    observations: int
    df_inference: int
    result: Any  # statsmodels' RegressionResultsWrapper (untyped)

    def se(self) -> FloatArray:
        out: FloatArray = np.sqrt(np.diag(self.cov))
        return out


def fit_absorbed(y: FloatArray, x: FloatArray, groups: IntArray, counted_effects: int) -> Fit:
    """OLS of `y` on `x` (both already demeaned), clustered by `groups`, with the CRV1 correction of
    a model that also holds `counted_effects` fixed-effect parameters not nested in the clusters."""
    # hasconst=False: the demeaned regressors have no constant (skips statsmodels' rank check);
    # QR rather than the pseudo-inverse: the same solution for a full-rank design, much faster when tall.
    model = sm.OLS(y, x, hasconst=False)
    result = model.fit(
        method="qr",
        cov_type="cluster",
        cov_kwds={"groups": groups, "use_correction": True, "df_correction": True},
        use_t=True,
    )
    n, k = x.shape
    # statsmodels corrects by (N−1)/(N−k) for the k columns it saw; K = k + counted_effects.
    scale = (n - k) / (n - k - counted_effects)
    cov = np.asarray(result.cov_params(), dtype=np.float64) * scale
    clusters = int(np.unique(groups).size)
    return Fit(
        params=np.asarray(result.params, dtype=np.float64),
        cov=cov,
        clusters=clusters,
        observations=n,
        df_inference=clusters - 1,
        result=result,
    )


def _estimate(fit: Fit, index: int, factor: float, per: str) -> Estimate:
    beta = float(fit.params[index])
    se = float(np.sqrt(fit.cov[index, index]))
    t_crit = float(stats.t.ppf(0.975, fit.df_inference))
    p = float(2 * stats.t.sf(abs(beta / se), fit.df_inference)) if se > 0 else float("nan")
    return Estimate(
        effect=beta * factor,
        se=se * factor,
        ci95=((beta - t_crit * se) * factor, (beta + t_crit * se) * factor),
        p_value=p,
        per=per,
        clusters=fit.clusters,
        observations=fit.observations,
    )


def per_year(fit: Fit, index: int = 0) -> Estimate:
    return _estimate(fit, index, MONTHS_PER_YEAR, "person per year")


def per_month(fit: Fit, index: int = 0) -> Estimate:
    return _estimate(fit, index, 1.0, "person per month")


def _groups(panel: MatchedPanel) -> IntArray:
    return np.repeat(panel.person, panel.width)


def fit_did(panel: MatchedPanel) -> Fit:
    """β of treated × post with unit and stack × month fixed effects, clustered by person."""
    if not panel.treated.any() or panel.treated.all():
        raise ValueError("the matched panel needs treated and comparison units")
    did = (panel.treated[:, None] & (panel.post[None, :] == 1)).astype(np.float64)
    y = within(panel.y, panel).ravel()
    x = within(did, panel).reshape(-1, 1)
    return fit_absorbed(y, x, _groups(panel), panel.counted_effects())


def fit_event_study(panel: MatchedPanel) -> tuple[Fit, list[int]]:
    """Treated × event-month coefficients (event month −1 the reference) with the same fixed effects.

    Each regressor is the product of a unit term (treated) and a month term, so its within transform is
    (treated − stack's treated share) × (indicator − 1/width): built directly, without a pass per column.
    """
    width = panel.width
    months = [j for j in range(width) if j != panel.pre - 1]
    first, counts = panel.stack_bounds()
    share = np.add.reduceat(panel.treated.astype(np.float64), first) / counts
    a: FloatArray = panel.treated - np.repeat(share, counts)
    b = (np.eye(width) - 1.0 / width)[:, months]
    x = (a[:, None, None] * b[None, :, :]).reshape(-1, len(months))
    y = within(panel.y, panel).ravel()
    return fit_absorbed(y, x, _groups(panel), panel.counted_effects()), [j - panel.pre for j in months]


def event_study(panel: MatchedPanel) -> EventStudy:
    """Month-by-month effects and the joint pre-trend test (Wald F on every pre-period coefficient
    except the reference; statsmodels' f_test with the cluster-robust covariance)."""
    fit, months = fit_event_study(panel)
    t_crit = float(stats.t.ppf(0.975, fit.df_inference))
    se = fit.se()
    points = []
    for i, month in enumerate(months):
        beta = float(fit.params[i])
        points.append(
            EventStudyPoint(
                month=month, effect=beta, se=float(se[i]), ci95=(beta - t_crit * se[i], beta + t_crit * se[i])
            )
        )
    points.insert(
        panel.pre - 1, EventStudyPoint(month=-1, effect=0.0, se=0.0, ci95=(0.0, 0.0), reference=True)
    )
    pre = [i for i, m in enumerate(months) if m < -1]
    if not pre:
        return EventStudy(points=points, pre_trend_f=None, pre_trend_df=None, pre_trend_p=None)
    restriction = np.zeros((len(pre), len(months)))
    restriction[np.arange(len(pre)), pre] = 1.0
    test = fit.result.f_test(restriction, cov_p=fit.cov)
    return EventStudy(
        points=points,
        pre_trend_f=float(np.squeeze(test.fvalue)),
        pre_trend_df=(int(test.df_num), int(test.df_denom)),
        pre_trend_p=float(test.pvalue),
    )


def fit_before_after(panel: MatchedPanel) -> Fit:
    """Treated only: post minus pre within person (person fixed effects, no comparison, no month
    effects), clustered by person. What a before/after evaluation would report."""
    treated = panel.y[panel.treated]
    post = np.broadcast_to(panel.post.astype(np.float64), treated.shape)
    y = within_unit(treated).ravel()
    x = within_unit(np.ascontiguousarray(post)).reshape(-1, 1)
    groups = np.repeat(panel.person[panel.treated], panel.width)
    return fit_absorbed(y, x, groups, 0)  # person effects are nested in the person clusters
