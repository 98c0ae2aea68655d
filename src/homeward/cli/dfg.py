"""`homeward dfg contribution FILE.json [--tables TABLES.json]`: the DFG test of resources (no Django)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from homeward.engines.dfg import (
    DfgInputError,
    GrantAboveMaximum,
    TablesMissing,
    decide,
    load_application,
    load_tables,
    statutory_tables,
)

dfg_app = typer.Typer(
    help="Disabled Facilities Grant: the test of resources and the grant (formats in docs/adaptations.md).",
    no_args_is_help=True,
)


def _fail(err: Console, title: str, exc: DfgInputError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {title}", highlight=False)
    for issue in exc.issues:
        err.print(f"  {issue}", highlight=False, markup=False)
    return typer.Exit(code=2)


@dfg_app.command("contribution")
def contribution(
    path: Annotated[Path, typer.Argument(help="Application file (JSON or YAML); see docs/adaptations.md.")],
    tables_path: Annotated[
        Path | None,
        typer.Option(
            "--tables", help="The organisation's tables (JSON or YAML), merged over the shipped ones."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Assess the applicant's contribution and, given the cost of the works, the grant; each step in words."""
    err = Console(stderr=True, soft_wrap=True)
    try:
        application = load_application(path)
    except DfgInputError as exc:
        raise _fail(err, f"{path} is not a valid application", exc) from None
    try:
        tables = load_tables(tables_path) if tables_path else statutory_tables()
    except DfgInputError as exc:
        raise _fail(err, f"{tables_path} is not a valid tables file", exc) from None
    try:
        decision = decide(application, tables)
    except TablesMissing as exc:
        hint = "" if tables_path else " (no --tables given: only the shipped statutory figures are loaded)"
        raise _fail(err, f"tables missing: {exc.table}{hint}", exc) from None
    except GrantAboveMaximum as exc:
        raise _fail(err, "the grant cannot be worked out", exc) from None
    except DfgInputError as exc:
        raise _fail(err, f"{path} does not fit the tables", exc) from None
    if as_json:
        out = decision.assessment.model_dump(mode="json")
        out["grant"] = None if decision.grant is None else decision.grant.model_dump(mode="json")
        out["steps"] = decision.steps
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    console = Console()
    for warning in decision.assessment.warnings:
        console.print(f"[bold yellow]warning:[/] {warning}", highlight=False)
    for i, step in enumerate(decision.steps, start=1):
        console.print(f"{i}. {step}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add `dfg` to the main `homeward` command."""
    app.add_typer(dfg_app, name="dfg")
