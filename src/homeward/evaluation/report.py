"""The evaluation report, shaped as UK public-sector evaluation reports are: the question; the design and
why; who was compared with whom; balance; the result with its CI and the event-study chart; robustness;
limitations; the SMS level. One context feeds the HTML page and the PDF (WeasyPrint); the event-study
chart is a Vega-Lite spec (Altair), drawn by vega-embed on the page and to SVG (vl-convert) in the PDF.
Pseudonymised keys of unmatched people are counted, never listed."""

from __future__ import annotations

import re
from typing import Any

import altair as alt
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from homeward.engines.evaluation import SMD_FLAG
from homeward.evaluation.interventions import INTERVENTIONS
from homeward.evaluation.models import Evaluation

NHS_BLUE, NHS_GREY = "#005eb8", "#768692"
POOLS = {
    False: "people with the same kind of need who were never helped",
    True: "people never helped, and people helped only after the post-period ended",
}


def event_study_chart(result: dict[str, Any]) -> dict[str, Any] | None:
    """Effect per person per month by month from the start, with 95% intervals; month −1 is 0."""
    study = result.get("event_study")
    if not study:
        return None
    rows = [
        {"month": p["month"], "effect": p["effect"], "low": p["ci95"][0], "high": p["ci95"][1]}
        for p in study["points"]
    ]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("month:Q", title="Months from the start (0 = start month)")
    )
    band = base.mark_errorbar(color=NHS_GREY).encode(
        y=alt.Y("low:Q", title=f"Effect per person per month ({result['outcome_label']})"), y2="high:Q"
    )
    points = base.mark_point(filled=True, color=NHS_BLUE).encode(
        y="effect:Q",
        tooltip=[
            alt.Tooltip("month:Q"),
            alt.Tooltip("effect:Q", format=".3f"),
            alt.Tooltip("low:Q", format=".3f"),
            alt.Tooltip("high:Q", format=".3f"),
        ],
    )
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color="#212b32").encode(y="y:Q")
    start = alt.Chart(alt.Data(values=[{"x": -0.5}])).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    chart = (band + points + zero + start).properties(width="container", height=260)
    spec: dict[str, Any] = chart.to_dict()
    return spec


def _svg(spec: dict[str, Any], title: str) -> SafeString:
    import vl_convert as vlc

    fixed = {**spec, "width": 520}
    svg = vlc.vegalite_to_svg(fixed)
    size = re.search(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"', svg)
    if size:
        svg = svg.replace("<svg ", f'<svg viewBox="0 0 {size.group(1)} {size.group(2)}" ', 1)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)
    return mark_safe(svg)  # noqa: S308 - drawn by vl-convert from the engine's numbers, no user markup


def data_source(evaluation: Evaluation) -> str:
    if evaluation.extract_id and evaluation.extract is not None:
        return f"the imported activity extract '{evaluation.extract.name}'"
    found = INTERVENTIONS.get(evaluation.intervention)
    start = f" {found.description}" if found else ""
    return f"Homeward's own records, pseudonymised.{start}"


def context(evaluation: Evaluation) -> dict[str, Any]:
    result = evaluation.result or {}
    spec = evaluation.spec
    matching = result.get("matching") or {}
    study = result.get("event_study") or {}
    chart = event_study_chart(result) if result else None
    return {
        "evaluation": evaluation,
        "r": result,
        "spec": spec,
        "source": data_source(evaluation),
        "pool": POOLS[bool(spec.get("comparison", {}).get("later_treated"))],
        "rationale": spec.get("comparison", {}).get("rationale", ""),
        "matching": matching,
        "balance": result.get("balance", []),
        "smd_flag": SMD_FLAG,
        "points": study.get("points", []),
        "study": study,
        "robustness": result.get("robustness", []),
        "specs": {"event-study": chart} if chart else {},
        "cohorts": sorted((result.get("cohorts") or {}).items()),
    }


def pdf(evaluation: Evaluation, base_url: str) -> bytes:
    from weasyprint import HTML

    ctx = context(evaluation)
    chart = ctx["specs"].get("event-study")
    ctx["chart_svg"] = _svg(chart, "Event study: effect by month from the start") if chart else None
    html = render_to_string("evaluation/report_print.html", ctx)
    out: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return out
