"""The KPI page's parts: each KPI's headline in words, a small chart of its months, and its table on demand.

Counts only, as the KPI providers give them (`casework.kpis`); the headline's change and interval are
`casework.headlines`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import altair as alt

from homeward.casework.headlines import Headline, headline, per_month
from homeward.casework.kpis import KPI, months_back, providers


@dataclass(frozen=True)
class Card:
    kpi: KPI
    headline: Headline
    chart: str  # the id suffix of its chart (#chart-<key>) and its section (#kpi-<key>): the KPI's key

    @property
    def charted(self) -> bool:
        """Whether any month has a figure to draw (an empty chart says nothing)."""
        return any(p.value is not None for p in self.kpi.points)


def kpi_sections(actor: Any, today: dt.date) -> list[tuple[str, list[KPI]]]:
    """Every registered provider's KPIs for the last 12 months, by provider title."""
    months = months_back(today)
    return [(title, provider(actor, months)) for _, (title, provider) in sorted(providers().items())]


def cards(sections: list[tuple[str, list[KPI]]], today: dt.date) -> list[tuple[str, list[Card]]]:
    return [(title, [Card(kpi, headline(kpi, today), kpi.key) for kpi in kpis]) for title, kpis in sections]


def _chart(kpi: KPI) -> dict[str, Any]:
    """The months as a line with its 95% band, and the baseline (per month for a count) as a dashed rule."""
    scale = 100.0 if kpi.unit == "share" else 1.0
    rows = [
        {"month": p.month, "value": p.value * scale, "low": p.low * scale, "high": p.high * scale}
        for p in kpi.points
        if p.value is not None and p.low is not None and p.high is not None
    ]
    title = {"share": "%", "days": "Days", "count": "Number"}.get(kpi.unit, "")
    x = alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-45))
    base = alt.Chart(alt.Data(values=rows))
    band = base.mark_area(color="#005eb8", opacity=0.2).encode(
        x=x, y=alt.Y("low:Q", title=title), y2="high:Q"
    )
    line = base.mark_line(color="#005eb8", point=True).encode(
        x=x, y="value:Q", tooltip=["month:O", "value:Q", "low:Q", "high:Q"]
    )
    layers: list[Any] = [band, line]
    baseline = kpi.baseline
    if baseline is not None and kpi.unit == "count":
        baseline = per_month(baseline)
    if baseline is not None and baseline.value is not None:
        rule = alt.Chart(alt.Data(values=[{"baseline": baseline.value * scale}]))
        layers.append(rule.mark_rule(color="#4c6272", strokeDash=[4, 4]).encode(y="baseline:Q"))
    return alt.layer(*layers).properties(width="container", height=140).to_dict()


def chart_specs(sections: list[tuple[str, list[Card]]]) -> dict[str, dict[str, Any]]:
    return {card.chart: _chart(card.kpi) for _, section in sections for card in section if card.charted}
