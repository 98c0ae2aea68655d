"""`homeward hhsrs score FILE.json`: score assessed hazards with the HHSRS formula (no Django needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from homeward.engines.hhsrs import HhsrsInputError, load_assessments, score_hazard

hhsrs_app = typer.Typer(
    help="Housing Health and Safety Rating System: score hazards (codes in docs/adaptations.md).",
    no_args_is_help=True,
)


@hhsrs_app.command("score")
def score(
    path: Annotated[
        Path, typer.Argument(help='JSON file: {"hazards": [{"hazard", "likelihood", "spread"}]}.')
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Add each hazard's working in words.")] = False,
) -> None:
    """Score each hazard: (10,000 × I + 1,000 × II + 300 × III + 10 × IV) / L, its band and category."""
    err = Console(stderr=True, soft_wrap=True)
    try:
        assessments = load_assessments(path)
    except HhsrsInputError as exc:
        err.print(f"[bold red]error:[/] {path} is not a valid hazard file", highlight=False)
        for issue in exc.issues:
            err.print(f"  {issue}", highlight=False, markup=False)
        raise typer.Exit(code=2) from None
    results = [score_hazard(a) for a in assessments]
    category_1 = sum(1 for r in results if r.category == 1)
    if as_json:
        rows = []
        for r in results:
            row: dict[str, object] = {
                "hazard": r.hazard,
                "score": r.score,
                "band": r.band.value,
                "category": r.category,
            }
            if explain:
                row["explanation"] = r.explanation
            rows.append(row)
        typer.echo(json.dumps({"hazards": rows, "category_1": category_1}, indent=2, ensure_ascii=False))
        return
    console = Console()
    table = Table(title=f"HHSRS scores: {len(results)} hazards, {category_1} Category 1")
    for column in ("Hazard", "Likelihood", "Spread I/II/III/IV %", "Score", "Band", "Category"):
        table.add_column(column, justify="left" if column == "Hazard" else "right")
    for r in results:
        table.add_row(
            r.name,
            f"1 in {r.likelihood:,g}",
            " / ".join(str(p) for p in r.spread),
            f"{r.score:,.2f}",
            r.band.value,
            str(r.category),
        )
    console.print(table)
    if explain:
        for r in results:
            console.print(r.explanation, highlight=False)


def register(app: typer.Typer) -> None:
    """Add `hhsrs` to the main `homeward` command."""
    app.add_typer(hhsrs_app, name="hhsrs")
