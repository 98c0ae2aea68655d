"""`homeward simulate SCENARIO`: run the discharge-flow simulator (no Django needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from homeward.engines.flowsim import (
    Batch,
    Scenario,
    ScenarioError,
    compare,
    load_scenario,
    run,
    summarise_batch,
)


def _load(path: Path) -> Scenario:
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        typer.echo(f"Invalid scenario {path}:\n{exc}", err=True)
        raise typer.Exit(2) from None


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.4g}"


def register(app: typer.Typer) -> None:
    """Add the `simulate` command to the main app."""

    @app.command()
    def simulate(
        scenario: Annotated[Path, typer.Argument(help="Scenario YAML or JSON file")],
        replications: Annotated[int, typer.Option(min=2, help="Number of replications")] = 100,
        seed: Annotated[int, typer.Option(help="Master random seed")] = 1,
        compare_with: Annotated[
            Path | None, typer.Option("--compare", help="Second scenario; same seeds (paired)")
        ] = None,
        workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    ) -> None:
        """Simulate discharge flow; report metrics with 95% confidence intervals."""
        base = _load(scenario)
        other = _load(compare_with) if compare_with else None
        batches: list[Batch] = []
        jobs = [base] + ([other] if other else [])
        if as_json:
            batches = [run(s, replications=replications, seed=seed, workers=workers) for s in jobs]
        else:
            with Progress(console=Console(stderr=True)) as bar:
                task = bar.add_task("Simulating", total=replications * len(jobs))
                for s in jobs:
                    batches.append(
                        run(
                            s,
                            replications=replications,
                            seed=seed,
                            workers=workers,
                            progress=lambda k: bar.advance(task, k),
                        )
                    )
        result: dict[str, Any] = summarise_batch(batches[0])
        if other:
            result["compare"] = {
                "scenario": summarise_batch(batches[1])["metrics"],
                "difference": compare(batches[0], batches[1]),
            }
        if as_json:
            typer.echo(json.dumps(result))
            return
        table = Table(title=f"{scenario.name}: {replications} replications, seed {seed}")
        for col in ("metric", "mean", "95% CI", "p50", "p95") + (("difference (95% CI)",) if other else ()):
            table.add_column(col)
        for name, m in result["metrics"].items():
            row = [
                name,
                _fmt(m["mean"]),
                f"{_fmt(m['ci95'][0])} – {_fmt(m['ci95'][1])}",
                _fmt(m["p50"]),
                _fmt(m["p95"]),
            ]
            if other:
                d = result["compare"]["difference"][name]
                row.append(f"{_fmt(d['mean'])} ({_fmt(d['ci95'][0])} – {_fmt(d['ci95'][1])})")
            table.add_row(*row)
        Console().print(table)
