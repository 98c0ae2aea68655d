"""`homeward risk …`: synthetic extracts, model training and tenancy-trigger scoring (no Django needed)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from homeward.engines.risk import (
    ExtractError,
    Extracts,
    RiskModel,
    compute_features,
    fairness_report,
    generate,
    latest_event_date,
    load_rules,
    outcome_labels,
    precision_at_k,
    rank,
    scan_extracts,
    score_features,
    train_model,
    validate_directory,
    validate_extract,
)
from homeward.engines.risk.schema import find_extract
from homeward.engines.risk.synth import as_of_of

risk_app = typer.Typer(
    help="Tenancy triggers: synthetic extracts, training and scoring.", no_args_is_help=True
)
_err = Console(stderr=True, soft_wrap=True)


def _progress(quiet: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=_err,
        disable=quiet,
        transient=False,
    )


def _fail(message: str) -> typer.Exit:
    _err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=2)


def _load(directory: Path, validate: bool) -> Extracts:
    if not directory.is_dir():
        raise _fail(f"{directory} is not a directory")
    try:
        if validate:
            accepted = validate_directory(directory)
            return Extracts.from_frames(**{k: v.frame for k, v in accepted.items() if k != "outcomes"})
        return scan_extracts(directory)
    except ExtractError as exc:
        _err.print(f"[bold red]error:[/] extracts in {directory} were rejected", highlight=False)
        for issue in exc.issues[:50]:
            _err.print(f"  {issue}", highlight=False, markup=False)
        raise typer.Exit(code=2) from None
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None


def _as_of(directory: Path, given: str | None) -> date:
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise _fail(f"--as-of {given!r} is not a date YYYY-MM-DD") from None
    return as_of_of(directory) or latest_event_date(directory)


@risk_app.command("synth")
def synth(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the extracts to.")],
    tenancies: Annotated[int, typer.Option("--tenancies", min=1, help="Number of tenancies.")] = 5_000,
    events: Annotated[int, typer.Option("--events", min=0, help="Approximate number of events.")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 8,
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Write synthetic extracts with planted patterns (planted.parquet holds the ground truth)."""
    if fmt not in ("parquet", "csv"):
        raise _fail("--format must be parquet or csv")
    with _progress(as_json) as progress:
        task = progress.add_task("Generating extracts", total=2)
        data = generate(tenancies, events, seed=seed)
        progress.update(task, advance=1, description=f"Writing {fmt} to {out}")
        data.write(out, fmt=fmt)
        progress.update(task, advance=1, description="Done")
    rows = {k: v.height for k, v in data.tables.items()}
    planted = dict(data.planted.group_by("pattern").len().sort("pattern").iter_rows())
    if as_json:
        typer.echo(
            json.dumps({"out": str(out), "as_of": data.as_of.isoformat(), "rows": rows, "planted": planted})
        )
        return
    table = Table(title=f"Synthetic extracts in {out} (as of {data.as_of})")
    table.add_column("File")
    table.add_column("Rows", justify="right")
    for name, n in rows.items():
        table.add_row(name, f"{n:,}")
    Console().print(table)
    Console().print("Planted: " + ", ".join(f"{k} {v:,}" for k, v in planted.items()))


@risk_app.command("train")
def train(
    directory: Annotated[Path, typer.Argument(help="Extracts including outcomes.(csv|parquet).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (JSON).")] = Path(
        "risk-model.json"
    ),
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Features as of this date; outcomes after it.")
    ] = None,
    horizon: Annotated[
        int, typer.Option("--horizon", min=1, help="Days after as-of an outcome counts.")
    ] = 180,
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Validate files first.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Fit the calibrated learned model on outcomes recorded after `as_of`."""
    when = _as_of(directory, as_of)
    with _progress(as_json) as progress:
        task = progress.add_task("Reading extracts", total=3)
        extracts = _load(directory, validate)
        outcomes_path = next(
            (p for p in (directory / "outcomes.parquet", directory / "outcomes.csv") if p.exists()), None
        )
        if outcomes_path is None:
            raise _fail(f"no outcomes.parquet or outcomes.csv in {directory}")
        try:
            frame = validate_extract("outcomes", outcomes_path).frame
        except ExtractError as exc:
            raise _fail(str(exc)) from None
        progress.update(task, advance=1, description="Computing features")
        features = compute_features(extracts, as_of=when)
        labels = outcome_labels(features["tenancy_ref"], frame, as_of=when, horizon_days=horizon)
        progress.update(task, advance=1, description="Fitting model")
        try:
            model = train_model(features, labels)
        except ValueError as exc:
            raise _fail(str(exc)) from None
        model.save(out)
        progress.update(task, advance=1, description="Done")
    summary = {
        "out": str(out),
        "as_of": when.isoformat(),
        "tenancies": model.trained_on,
        "positives": model.positives,
    }
    typer.echo(
        json.dumps(summary)
        if as_json
        else f"Model written to {out} ({model.positives:,} outcomes among {model.trained_on:,} tenancies)"
    )


@risk_app.command("score")
def score(
    directory: Annotated[Path, typer.Argument(help="Directory of extracts (see docs/risk.md).")],
    out: Annotated[Path, typer.Option("--out", help="Scores file (Parquet).")] = Path("scores.parquet"),
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Score as of this date (default: latest event).")
    ] = None,
    rules: Annotated[
        Path | None, typer.Option("--rules", help="Trigger rules YAML (default: built-in).")
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Learned model JSON from `risk train`.")
    ] = None,
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Validate files first.")] = True,
    top: Annotated[int, typer.Option("--top", min=0, help="How many top tenancies to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Score every live tenancy: rule points and, with --model, calibrated probability; each with reasons."""
    try:
        rule_set = load_rules(rules)
        fitted = RiskModel.load(model) if model else None
    except (OSError, ValueError) as exc:
        raise _fail(str(exc)) from None
    when = _as_of(directory, as_of)
    with _progress(as_json) as progress:
        task = progress.add_task("Reading extracts", total=4)
        extracts = _load(directory, validate)
        progress.update(task, advance=1, description="Computing features")
        features = compute_features(extracts, as_of=when)
        progress.update(
            task, advance=1, description="Scoring" + (" (rules + model)" if fitted else " (rules)")
        )
        scores = score_features(features, rules=rule_set, model=fitted)
        progress.update(task, advance=1, description=f"Writing {out}")
        scores.write_parquet(out)
        progress.update(task, advance=1, description="Done")
    by = ["probability", "rule_score", "tenancy_ref"] if fitted else ["rule_score", "tenancy_ref"]
    ranked = scores.sort(by, descending=[True] * (len(by) - 1) + [False]).head(top)
    if as_json:
        result: dict[str, Any] = {
            "out": str(out),
            "as_of": when.isoformat(),
            "tenancies": scores.height,
            "mode": "rules+model" if fitted else "rules",
            "top": ranked.to_dicts(),
        }
        typer.echo(json.dumps(result, default=str))
        return
    table = Table(title=f"Top {ranked.height} of {scores.height:,} tenancies as of {when} → {out}")
    table.add_column("Tenancy")
    table.add_column("Points", justify="right")
    if fitted:
        table.add_column("Risk", justify="right")
    table.add_column("Reasons")
    for row in ranked.iter_rows(named=True):
        reasons = row["model_reasons"] if fitted else row["rule_reasons"]
        cells = [row["tenancy_ref"], str(row["rule_score"])]
        if fitted:
            cells.append(f"{row['probability']:.0%}")
        table.add_row(*cells, "; ".join(reasons or []))
    Console().print(table)


@risk_app.command("evaluate")
def evaluate(
    directory: Annotated[Path, typer.Argument(help="Extracts including outcomes.(csv|parquet).")],
    model: Annotated[
        Path | None, typer.Option("--model", help="Learned model JSON from `risk train`.")
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Alerts per period: precision at k.")] = 100,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Score as of this date; outcomes after it.")
    ] = None,
    horizon: Annotated[
        int, typer.Option("--horizon", min=1, help="Days after as-of an outcome counts.")
    ] = 180,
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Validate files first.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Precision at k of rules (and model) against recorded outcomes, and fairness of the top-k alerts."""
    when = _as_of(directory, as_of)
    try:
        fitted = RiskModel.load(model) if model else None
        outcomes_path = find_extract(directory, "outcomes")
        if outcomes_path is None:
            raise ValueError(f"no outcomes.parquet or outcomes.csv in {directory}")
        outcomes = validate_extract("outcomes", outcomes_path).frame
    except (OSError, ValueError) as exc:
        raise _fail(str(exc)) from None
    with _progress(as_json) as progress:
        task = progress.add_task("Reading extracts", total=3)
        extracts = _load(directory, validate)
        tenancies = extracts.tenancies.collect()
        progress.update(task, advance=1, description="Computing features")
        features = compute_features(extracts, as_of=when)
        progress.update(task, advance=1, description="Scoring")
        scores = score_features(features, model=fitted)
        progress.update(task, advance=1, description="Done")
    labels = pl.DataFrame(
        {
            "tenancy_ref": features["tenancy_ref"],
            "label": outcome_labels(features["tenancy_ref"], outcomes, as_of=when, horizon_days=horizon),
        }
    )
    result: dict[str, Any] = {
        "as_of": when.isoformat(),
        "k": k,
        "tenancies": features.height,
        "base_rate": float(labels["label"].sum()) / max(1, labels.height),
        "precision_rules": precision_at_k(scores, labels, k, score_col="rule_score"),
    }
    col = "rule_score"
    if fitted:
        result["precision_model"] = precision_at_k(
            scores, labels, k, score_col="probability", tiebreak="rule_score"
        )
        col = "probability"
    top = rank(scores, col).head(k)["tenancy_ref"]
    alerted = labels.with_columns(pl.col("tenancy_ref").is_in(top.implode()).alias("alert"))
    fairness = fairness_report(alerted, tenancies)
    result["fairness"] = [f.model_dump() for f in fairness]
    if as_json:
        typer.echo(json.dumps(result))
        return
    console = Console()
    line = f"Precision at {k} (base rate {result['base_rate']:.1%}): rules {result['precision_rules']:.2f}"
    if fitted:
        line += f", learned model {result['precision_model']:.2f}"
    console.print(line)
    table = Table(
        title=f"Fairness of the top {k} alerts (ratios vs the largest group; flag outside 0.8–1.25)"
    )
    for name in (
        "Attribute",
        "Group",
        "Tenancies",
        "Alerts",
        "Alert rate",
        "Ratio",
        "Precision",
        "Ratio",
        "",
    ):
        table.add_column(name, justify="left" if name in ("Attribute", "Group", "") else "right")

    def fmt(x: float | None, pattern: str) -> str:
        return "—" if x is None else format(x, pattern)

    for f in fairness:
        table.add_row(
            f.attribute,
            f.group + (" (reference)" if f.is_reference else ""),
            f"{f.tenancies:,}",
            f"{f.alerts:,}",
            fmt(f.alert_rate, ".2%"),
            fmt(f.alert_rate_ratio, ".2f"),
            fmt(f.precision, ".2f"),
            fmt(f.precision_ratio, ".2f"),
            "[bold red]outside 0.8–1.25[/]" if f.is_flagged else "",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `risk` to the main `homeward` command."""
    app.add_typer(risk_app, name="risk")
