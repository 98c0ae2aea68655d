"""`homeward evaluate SPEC.yaml --data DIR`: measured impact by matched difference-in-differences
(no Django needed). The spec and data formats are in docs/evaluation.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from homeward.engines.evaluation import EvaluationError, EvaluationResult, evaluate, load_spec, read_data

_err = Console(stderr=True, soft_wrap=True)


def _fail(error: EvaluationError, what: str) -> typer.Exit:
    _err.print(f"[bold red]error:[/] {what}; nothing was run", highlight=False)
    for issue in error.issues:
        _err.print(f"  {issue}", highlight=False, markup=False)
    return typer.Exit(code=2)


def _num(x: float) -> str:
    return f"{x:+.3f}" if abs(x) < 1000 else f"{x:+,.0f}"


def _p(p: float | None) -> str:
    return "—" if p is None else ("< 0.001" if p < 0.001 else f"{p:.3f}")


def _print(console: Console, r: EvaluationResult) -> None:
    e = r.estimate
    console.print(f"[bold]{r.intervention}[/]: effect on {r.outcome_label}, {r.period[0]} to {r.period[1]}")
    head = Table(title=f"Effect per {e.per} ({r.design}; SMS level {r.sms_level})")
    for col in ("Estimate", "95% CI", "SE", "p", "Treated", "Matched", "Pre-trend p"):
        head.add_column(col, justify="right")
    m = r.matching
    head.add_row(
        _num(e.effect),
        f"{_num(e.ci95[0])} to {_num(e.ci95[1])}",
        f"{e.se:.3f}",
        _p(e.p_value),
        str(m.treated if m else sum(r.cohorts.values())),
        str(m.matched if m else "—"),
        _p(r.event_study.pre_trend_p if r.event_study else None),
    )
    console.print(head)
    n = r.naive_before_after
    console.print(
        f"Naive before/after of the treated: {_num(n.effect)} ({_num(n.ci95[0])} to {_num(n.ci95[1])})"
    )
    if m:
        console.print(
            f"Matching: {m.method}, exact on {', '.join(['start month', *m.exact])}, caliper {m.caliper}, "
            f"{'with' if m.replacement else 'without'} replacement, ratio 1:{m.ratio}; {m.matched:,} of "
            f"{m.treated:,} matched, {m.unmatched:,} unmatched; pool {m.pool:,}"
        )
    if r.balance:
        balance = Table(title="Balance (standardised mean differences; * above 0.1)")
        balance.add_column("Variable")
        balance.add_column("Before", justify="right")
        balance.add_column("After", justify="right")
        for row in r.balance:
            balance.add_row(
                row.variable,
                f"{row.smd_before:+.3f}{' *' if row.flagged_before else ''}",
                f"{row.smd_after:+.3f}{' *' if row.flagged_after else ''}",
            )
        console.print(balance)
    if r.event_study:
        events = Table(title="Event study (per person per month; month −1 is the reference)")
        for col in ("Month", "Effect", "95% CI"):
            events.add_column(col, justify="right")
        for pt in r.event_study.points:
            events.add_row(str(pt.month), _num(pt.effect), f"{_num(pt.ci95[0])} to {_num(pt.ci95[1])}")
        console.print(events)
    if r.robustness:
        robust = Table(title=f"Robustness (per {e.per})")
        for col in ("Run", "Estimate", "95% CI", "p", "Matched"):
            robust.add_column(col, justify="right" if col != "Run" else "left")
        for run in r.robustness:
            if run.estimate is None:
                robust.add_row(run.name, "—", run.note, "", str(run.matched))
                continue
            est = run.estimate
            robust.add_row(
                run.name,
                _num(est.effect),
                f"{_num(est.ci95[0])} to {_num(est.ci95[1])}",
                _p(est.p_value),
                str(run.matched),
            )
        console.print(robust)
    console.print(f"[bold]SMS level {r.sms_level}[/]: {r.sms_reason}", highlight=False)
    console.print("[bold]Caveats[/]")
    for caveat in r.caveats:
        console.print(f"  • {caveat}", highlight=False)


def evaluate_command(
    spec_path: Annotated[
        Path, typer.Argument(metavar="SPEC.yaml", help="The evaluation spec (YAML or JSON).")
    ],
    data: Annotated[
        Path, typer.Option("--data", help="Directory with activity.(csv|parquet), people.(csv|parquet).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the full result (JSON) here.")] = None,
    robustness: Annotated[
        bool, typer.Option("--robustness/--no-robustness", help="Run the robustness analyses.")
    ] = True,
) -> None:
    """Estimate a service's effect on an outcome: matched comparison, difference-in-differences, event
    study, robustness runs, SMS level and caveats."""
    try:
        spec = load_spec(spec_path)
    except EvaluationError as exc:
        raise _fail(exc, f"the spec {spec_path} was rejected") from None
    try:
        dataset = read_data(data)
    except EvaluationError as exc:
        raise _fail(exc, f"the data in {data} were rejected") from None
    try:
        result = evaluate(spec, dataset, robustness=robustness and spec.robustness.enabled)
    except EvaluationError as exc:
        raise _fail(exc, "the evaluation cannot be run") from None
    if out is not None:
        out.write_text(json.dumps(result.model_dump(mode="json"), indent=2), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result.summary()))
        return
    _print(Console(), result)


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
