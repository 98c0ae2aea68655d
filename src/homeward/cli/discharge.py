"""`homeward discharge ...`: scheduled jobs for Hospital to Home."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from homeward.cli import django_setup

discharge_app = typer.Typer(help="Hospital to Home jobs.", no_args_is_help=True)


@discharge_app.command("escalate")
def escalate(as_json: bool = typer.Option(False, "--json", help="Machine-readable output")) -> None:
    """Escalate unresolved blockers past their due date (run daily, e.g. from cron at 07:00)."""
    django_setup()
    from homeward.discharge.services import escalate_overdue_blockers

    escalated = escalate_overdue_blockers()
    if as_json:
        typer.echo(json.dumps({"escalated": [b.pk for b in escalated]}))
    else:
        typer.echo(f"Escalated {len(escalated)} overdue blocker(s).")


@discharge_app.command("sitrep")
def sitrep(
    organisation: int = typer.Option(..., "--organisation", help="The trust's organisation id", min=1),
    week: str = typer.Option(..., "--week", help="First day of the week, YYYY-MM-DD (a Monday)"),
    out: Path = typer.Option(..., "--out", help="Workbook to write (.xlsx), or .csv for Table 5 only"),
    collection: str = typer.Option("acute", "--collection", help="acute or community"),
    shared: bool = typer.Option(False, "--shared", help="Hide small numbers, for sharing outside the trust"),
    as_json: bool = typer.Option(False, "--json", help="Also print the figures as JSON"),
) -> None:
    """The weekly discharge situation report for a trust, from the case history (docs/hospital-to-home.md).

    Bad input (a week not on the collection's start day, an unknown organisation) exits with status 2 and
    writes nothing."""
    django_setup()
    from homeward.core.errors import ValidationFailed
    from homeward.discharge.sitrep import sitrep_csv, sitrep_xlsx, trust_sitrep

    try:
        day = dt.date.fromisoformat(week)
    except ValueError:
        typer.echo(f"week: '{week}' is not a date (YYYY-MM-DD)", err=True)
        raise typer.Exit(2) from None
    if out.suffix.lower() not in (".xlsx", ".csv"):
        typer.echo("out: the file must end in .xlsx or .csv", err=True)
        raise typer.Exit(2)
    try:
        report = trust_sitrep(organisation_id=organisation, week=day, collection=collection, shared=shared)
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            typer.echo(f"{field}: {message}", err=True)
        raise typer.Exit(2) from None
    if out.suffix.lower() == ".csv":
        out.write_text(sitrep_csv(report), encoding="utf-8")
    else:
        out.write_bytes(sitrep_xlsx(report))
    if as_json:
        figures = report.as_json()
        typer.echo(
            json.dumps(
                {key: figures[key] for key in ("week", "reasons", "los_14_plus", "los_21_plus")}
                | {
                    k: v
                    for k, v in figures.items()
                    if k not in ("week", "reasons", "los_14_plus", "los_21_plus")
                }
            )
        )
    else:
        typer.echo(
            f"{report.organisation.name}, week starting {report.week}: {report.los_14_plus} a day delayed "
            f"with a stay of 14 days or over, {report.los_21_plus} of 21 days or over. Written to {out}."
        )


@discharge_app.command("load-reasons")
def load_reasons(
    directory: Path = typer.Argument(..., help="A list directory: list.json, reasons.csv, mapping.csv"),
) -> None:
    """Load a new NHS delay-reason list with its mapping (refused if a blocker category is unmapped)."""
    django_setup()
    from homeward.core.errors import ValidationFailed
    from homeward.discharge.delay_reasons import load_reason_list

    try:
        reason_list, new = load_reason_list(path=directory)
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            typer.echo(f"{field}: {message}", err=True)
        raise typer.Exit(2) from None
    state = "Loaded" if new else "Already loaded"
    typer.echo(f"{state}: {reason_list.key} ({reason_list.collection}, from {reason_list.in_use_from})")


@discharge_app.command("backfill-delayed-days")
def backfill(as_json: bool = typer.Option(False, "--json", help="Machine-readable output")) -> None:
    """Store delayed days by NHS delay reason for every discharged case (after upgrading, or after loading
    a list that came into use in the past); safe to run again."""
    django_setup()
    from homeward.discharge.delayed_days import backfill_delayed_days

    done = backfill_delayed_days()
    typer.echo(
        json.dumps({"cases": done}) if as_json else f"Delayed days stored for {done} discharged case(s)."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(discharge_app, name="discharge")
