"""The observation trend chart: a Vega-Lite spec built on the server (one small panel per measurement, each
with its own scale), drawn by web/_charts.html. The page shows the same figures as a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from homeward.carehomes.models import Observation

MEASURES = (
    ("pulse", "Pulse"),
    ("respiratory_rate", "Breaths a minute"),
    ("systolic", "Systolic BP"),
    ("oxygen_saturation", "SpO₂ %"),
    ("temperature", "Temp °C"),
    ("score", "Early-warning score"),
)


def observation_chart_spec(observations: Sequence[Observation]) -> dict[str, Any] | None:
    """Each measurement over time (oldest first), or None when there is nothing to draw."""
    rows = [
        {
            "taken": timezone.localtime(o.taken_at).strftime("%Y-%m-%dT%H:%M"),
            "measure": label,
            "value": float(value),
        }
        for o in observations
        for field, label in MEASURES
        if (value := getattr(o, field)) is not None
    ]
    if not rows:
        return None
    return {
        "data": {"values": rows},
        "facet": {
            "row": {"field": "measure", "type": "nominal", "title": None, "sort": [m for _, m in MEASURES]}
        },
        "resolve": {"scale": {"y": "independent"}},
        "spec": {
            "width": 240,
            "height": 60,
            "mark": {"type": "line", "point": True, "color": "#005eb8"},
            "encoding": {
                "x": {"field": "taken", "type": "temporal", "title": None},
                "y": {"field": "value", "type": "quantitative", "title": None, "scale": {"zero": False}},
                "tooltip": [
                    {"field": "taken", "type": "temporal", "format": "%d %b %H:%M"},
                    {"field": "measure", "type": "nominal"},
                    {"field": "value", "type": "quantitative"},
                ],
            },
        },
    }
