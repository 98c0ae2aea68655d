"""The KPI page's parts: each KPI's headline in words, a small chart of its months, and its table on demand.

Counts only, as the KPI providers give them (`casework.kpis`); the headline's change and interval are
`casework.headlines`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from homeward.casework.headlines import (
    Headline,
    baseline_period,
    change_interval,
    headline,
    shown_baseline,
)
from homeward.casework.kpis import KPI, Point, months_back, providers


@dataclass(frozen=True)
class Card:
    kpi: KPI
    headline: Headline
    chart: str  # the id suffix of its chart (#chart-<key>) and its section (#kpi-<key>): the KPI's key

    @property
    def baseline(self) -> Point | None:
        """The baseline as the headline and the chart show it (a count per month)."""
        return shown_baseline(self.kpi)

    @property
    def baseline_period(self) -> str:
        return baseline_period(self.kpi)

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
    """The months as a line with its 95% band, and the baseline (per month for a count) as a dashed rule.

    A Vega-Lite spec written out as a dict: Altair takes ~50 ms a chart to build the same, and the page
    has one per KPI."""
    scale = 100.0 if kpi.unit == "share" else 1.0
    rows = [
        {"month": p.month, "value": p.value * scale, "low": p.low * scale, "high": p.high * scale}
        for p in kpi.points
        if p.value is not None and p.low is not None and p.high is not None
    ]
    title = {"share": "%", "days": "Days", "count": "Number"}.get(kpi.unit, "")
    x = {"field": "month", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "area", "color": "#005eb8", "opacity": 0.2},
            "encoding": {
                "x": x,
                "y": {"field": "low", "type": "quantitative", "title": title},
                "y2": {"field": "high"},
            },
        },
        {
            "mark": {"type": "line", "color": "#005eb8", "point": True},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative"},
                "tooltip": [
                    {"field": "month", "type": "ordinal"},  # then value, low and high to one decimal
                    *(
                        {"field": f, "type": "quantitative", "format": ".1f"}
                        for f in ("value", "low", "high")
                    ),
                ],
            },
        },
    ]
    baseline = shown_baseline(kpi)
    if baseline is not None and baseline.value is not None:
        layers.append(
            {
                "data": {"values": [{"baseline": baseline.value * scale}]},
                "mark": {"type": "rule", "color": "#4c6272", "strokeDash": [4, 4]},
                "encoding": {"y": {"field": "baseline", "type": "quantitative"}},
            }
        )
    return {
        "data": {"values": rows},
        "width": "container",
        "height": 140,
        "layer": layers,
    }


def chart_specs(sections: list[tuple[str, list[Card]]]) -> dict[str, dict[str, Any]]:
    return {card.chart: _chart(card.kpi) for _, section in sections for card in section if card.charted}


CSV_HEADER = ["service", "kpi", "unit", "row", "months", "value", "ci95_low", "ci95_high", "n", "verdict"]


def csv_rows(sections: list[tuple[str, list[KPI]]], today: dt.date) -> list[list[Any]]:
    """The KPI page as rows, each meaning what the page says: one per month as in its table; the baseline
    as the headline, the chart and the table show it (a count per month, over the months named); and the
    headline's change (the last full month against the baseline, its 95% interval and verdict).
    Shares are fractions (0.078 for 7.8%); n is the number behind the figure (for a count's baseline, the
    three months' total)."""
    rows: list[list[Any]] = []
    for title, kpis in sections:
        for kpi in kpis:
            for p in kpi.points:
                rows.append([title, kpi.label, kpi.unit, "month", p.month, p.value, p.low, p.high, p.n, ""])
            base = shown_baseline(kpi)
            if base is not None:
                period = baseline_period(kpi)
                rows.append(
                    [
                        title,
                        kpi.label,
                        kpi.unit,
                        "baseline",
                        period,
                        base.value,
                        base.low,
                        base.high,
                        base.n,
                        "",
                    ]
                )
            head = headline(kpi, today)
            now = next((p for p in kpi.points if p.month == _last_full(today)), None)
            change = change_interval(now, base) if now is not None and base is not None else None
            d, low, high = change if change is not None else (None, None, None)
            months = f"{_last_full(today)} against the baseline"
            rows.append([title, kpi.label, kpi.unit, "change", months, d, low, high, "", head.verdict])
    return rows


def _last_full(today: dt.date) -> str:
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
