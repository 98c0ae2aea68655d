"""`homeward cba MODEL`: appraise a cost–benefit model file (no Django needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.table import Table

from homeward.engines.cba import (
    Appraisal,
    ModelError,
    MonteCarloResult,
    Sensitivity,
    appraise,
    load_model,
    sensitivity,
    simulate,
)


def _money(x: float | None) -> str:
    if x is None:
        return "—"
    return f"-£{-x:,.2f}" if x < 0 else f"£{x:,.2f}"


def _ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:,.2f}"


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _share(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def _read_grade_table(path: Path) -> dict[int, float]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read grade table {path}: {exc}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{path} must map confidence grades (1–6) to optimism-bias fractions")
    table = {}
    for grade, value in raw.items():
        try:
            g, v = int(grade), float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{path}: grade {grade!r}: need a grade 1–6 and a fraction 0–1") from None
        if not 1 <= g <= 6 or not 0 <= v <= 1:
            raise ValueError(f"{path}: grade {grade}: need a grade 1–6 and a fraction 0–1 (got {value})")
        table[g] = v
    return table


def _print_summary(
    console: Console, model_path: Path, a: Appraisal, mc: MonteCarloResult | None, s: Sensitivity
) -> None:
    title = a.name or model_path.name
    head = Table(
        title=f"{title} — £ at {a.price_year} prices, {a.years} years, discounted at {a.discount_rate:.1%}"
    )
    head.add_column("Measure")
    head.add_column("Value", justify="right")
    if mc:
        for col in ("P5", "P50", "P95"):
            head.add_column(col, justify="right")

    def line(label: str, value: str, key: str, fmt: Any = _money) -> None:
        cells = [label, value]
        if mc:
            p = mc.outputs.get(key)
            cells += [fmt(p.p5), fmt(p.p50), fmt(p.p95)] if p else ["", "", ""]
        head.add_row(*cells)

    line("Present value of costs", _money(a.pv_costs), "pv_costs")
    for kind in ("fiscal", "economic", "social"):
        line(f"Present value of {kind} benefits", _money(getattr(a.pv_benefits, kind)), f"pv_benefits.{kind}")
    line("Public value (all benefits)", _money(a.public_value), "public_value")
    line("Net present value", _money(a.npv), "npv")
    line("Financial ROI (fiscal ÷ costs)", _ratio(a.financial_roi), "financial_roi", _ratio)
    line("Economic ROI ((fiscal + economic) ÷ costs)", _ratio(a.economic_roi), "economic_roi", _ratio)
    line("Social ROI (public value ÷ costs)", _ratio(a.social_roi), "social_roi", _ratio)
    payback = "never within the horizon" if a.payback_year is None else f"year {a.payback_year}"
    line("Payback (fiscal)", payback, "payback_year", lambda x: "never" if x is None else f"year {x:.0f}")
    line("Cashable share of benefits", _share(a.cashable_share), "cashable_share", _share)
    console.print(head)
    if mc:
        console.print(
            f"Monte Carlo: {mc.draws:,} draws (seed {mc.seed}); "
            f"P(NPV > 0) = {mc.probability_npv_positive:.1%}; "
            f"P(pays back within horizon) = {mc.probability_payback:.1%}"
        )

    agencies = Table(title="Who pays and who benefits (present values)")
    agencies.add_column("Agency")
    agencies.add_column("Costs", justify="right")
    agencies.add_column("Benefits", justify="right")
    for name in sorted(set(a.pv_costs_by_agency) | set(a.pv_benefits_by_agency)):
        agencies.add_row(
            name, _money(a.pv_costs_by_agency.get(name, 0.0)), _money(a.pv_benefits_by_agency.get(name, 0.0))
        )
    console.print(agencies)

    years = Table(title="Year by year (undiscounted, then present values)")
    for col in ("Year", "Costs", "Fiscal", "Economic", "Social", "Discount factor", "Cumulative NPV"):
        years.add_column(col, justify="right")
    for r in a.year_by_year:
        years.add_row(
            str(r.year),
            _money(r.costs),
            _money(r.benefits_fiscal),
            _money(r.benefits_economic),
            _money(r.benefits_social),
            f"{r.discount_factor:.4f}",
            _money(r.cumulative_npv),
        )
    console.print(years)

    bars = Table(title=f"Tornado: NPV with each input ±{s.tornado.change:.0%} (largest swings)")
    for col in ("Input", "Low", "High", "NPV low", "NPV high"):
        bars.add_column(col, justify="left" if col == "Input" else "right")
    for b in s.tornado.bars[:10]:
        bars.add_row(b.label, _num(b.low_value), _num(b.high_value), _money(b.npv_low), _money(b.npv_high))
    console.print(bars)

    sw = Table(title="Switching values (input value at which NPV = 0, all else central)")
    for col in ("Input", "Central", "Switching value", "Change"):
        sw.add_column(col, justify="left" if col == "Input" else "right")
    for v in s.switching_values:
        if v.switching_value is None:
            sw.add_row(v.label, _num(v.base_value), "none", v.note or "")
        else:
            change = "" if v.change_from_base is None else f"{v.change_from_base:+.0%}"
            sw.add_row(v.label, _num(v.base_value), _num(v.switching_value), change)
    console.print(sw)


def cba(
    model: Annotated[Path, typer.Argument(help="Model file (YAML or JSON); see docs/cba.md.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    draws: Annotated[
        int, typer.Option("--draws", min=0, help="Monte Carlo draws (0 = point estimate only).")
    ] = 0,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed for --draws.")] = None,
    change: Annotated[
        float, typer.Option("--change", min=0.0, max=1.0, help="Tornado swing as a fraction.")
    ] = 0.2,
    grade_table: Annotated[
        Path | None,
        typer.Option("--grade-table", help="YAML/JSON mapping confidence grade (1–6) to optimism bias."),
    ] = None,
) -> None:
    """Appraise a cost–benefit model: present values, ROIs, payback, year by year, sensitivity."""
    err = Console(stderr=True, soft_wrap=True)  # never break a key path across lines
    try:
        table = _read_grade_table(grade_table) if grade_table else None
        loaded = load_model(model)
        result = appraise(loaded, table)
        sens = sensitivity(loaded, change, table)
        mc = simulate(loaded, draws, seed, table) if draws else None
    except ModelError as exc:
        err.print(f"[bold red]error:[/] {model} is not a valid cost–benefit model", highlight=False)
        for issue in exc.issues:
            err.print(f"  {issue}", highlight=False, markup=False)
        raise typer.Exit(code=2) from None
    except ValueError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(code=2) from None
    if as_json:
        out: dict[str, Any] = result.model_dump(mode="json")
        out["sensitivity"] = sens.model_dump(mode="json")
        if mc is not None:
            out["monte_carlo"] = mc.model_dump(mode="json")
        typer.echo(json.dumps(out, indent=2))
    else:
        _print_summary(Console(), model, result, mc, sens)


def register(app: typer.Typer) -> None:
    """Add `cba` to the main `homeward` command."""
    app.command("cba")(cba)
