"""`homeward import events DIR` and `homeward prevention score|train`: tenancy triggers in the database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from homeward.cli import django_setup

import_app = typer.Typer(help="Import data from other systems.", no_args_is_help=True)
prevention_app = typer.Typer(
    help="Tenancy triggers: score tenancies and train the model.", no_args_is_help=True
)
_err = Console(stderr=True, soft_wrap=True)

OrganisationOption = Annotated[
    str, typer.Option("--organisation", "-o", help="The organisation whose data this is (its name)")
]


def _organisation(name: str) -> Any:
    from homeward.core.models import Organisation

    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        _err.print(f"[red]--organisation: no organisation called {name!r}[/red]")
        raise typer.Exit(2)
    return organisation


def _queue_import(org: Any, directory: Path, *, as_json: bool) -> None:
    from django.db import transaction

    from homeward.core.errors import ValidationFailed
    from homeward.jobs.services import start_job
    from homeward.prevention.importer import IMPORT_KIND, check_size

    try:
        if not directory.is_dir():
            raise ValidationFailed.single("directory", f"{directory} is not a directory")
        check_size(directory)
        with transaction.atomic():
            job = start_job(
                kind=IMPORT_KIND,
                organisation=org,
                params={"directory": str(directory.resolve())},
                label=f"Import housing events from {directory.name}",
            )
    except ValidationFailed as exc:
        for where, message in exc.errors.items():
            _err.print(f"[red]{where}: {message}[/red]")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps({"queued": True, "job": job.pk}))
    else:
        typer.echo(f"Queued job {job.pk}: follow it with `homeward jobs show {job.pk}` or on the Jobs page")


@import_app.command("events")
def import_events(
    directory: Annotated[
        Path, typer.Argument(help="Directory of extracts: tenancies.csv, contacts.parquet, …")
    ],
    organisation: OrganisationOption,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
    background: Annotated[
        bool, typer.Option("--background", help="Queue it as a job for `homeward worker` (see the Jobs page)")
    ] = False,
) -> None:
    """Validate every extract in DIRECTORY, then import them all, or nothing if any row is bad.

    Importing the same files again changes nothing. Column schemas: docs/risk.md.
    """
    django_setup()
    from homeward.core.errors import ValidationFailed
    from homeward.prevention.importer import import_directory

    org = _organisation(organisation)
    if background:
        _queue_import(org, directory, as_json=as_json)
        return
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=_err, disable=as_json
        ) as bar:
            task = bar.add_task("Importing", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                label = "Checked every row" if stage == "validated" else f"Importing {stage}"
                bar.update(task, description=label, completed=done, total=total)

            report = import_directory(org, directory, progress=progress)
    except ValidationFailed as exc:
        if as_json:
            typer.echo(json.dumps({"imported": False, "errors": exc.errors}))
        else:
            _err.print(f"[red]Nothing was imported: {len(exc.errors)} problem(s)[/red]")
            for where, message in exc.errors.items():
                _err.print(f"  {where}: {message}")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps({"imported": True, "counts": report.counts}))
        return
    for kind, counts in report.counts.items():
        typer.echo(
            f"{kind}: {counts['created']} new, {counts['updated']} changed, {counts['unchanged']} unchanged"
        )


@prevention_app.command("score")
def score(
    organisation: OrganisationOption,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Score as at this date (YYYY-MM-DD); default today")
    ] = "",
    model: Annotated[
        bool, typer.Option("--model", help="Use the learned model, not the trigger rules")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Score every live tenancy of ORGANISATION from its imported events and concerns; raise alerts."""
    django_setup()
    from homeward.core.errors import ValidationFailed
    from homeward.prevention.scoring import score_organisation

    org = _organisation(organisation)
    try:
        when = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        _err.print(f"[red]--as-of: expected a date YYYY-MM-DD, got {as_of!r}[/red]")
        raise typer.Exit(2) from None
    try:
        result = score_organisation(org, as_of=when, use_model=model)
    except ValidationFailed as exc:
        _err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    figures = {"tenancies": result.run.tenancies, "new_alerts": result.raised, "refreshed": result.refreshed}
    typer.echo(
        json.dumps(figures)
        if as_json
        else f"Scored {figures['tenancies']} tenancies: "
        f"{figures['new_alerts']} new alert(s), {figures['refreshed']} refreshed."
    )


@prevention_app.command("train")
def train(
    organisation: OrganisationOption,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Train the calibrated model on ORGANISATION's recorded outcomes (the outcomes extract)."""
    django_setup()
    from homeward.core.errors import ValidationFailed
    from homeward.prevention.scoring import train as train_model

    org = _organisation(organisation)
    try:
        stored = train_model(org)
    except ValidationFailed as exc:
        _err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    figures = {
        "tenancies": stored.tenancies,
        "positives": stored.positives,
        "as_of": stored.as_of.isoformat(),
    }
    typer.echo(
        json.dumps(figures)
        if as_json
        else f"Trained on {stored.tenancies} tenancies "
        f"({stored.positives} with an outcome), as of {stored.as_of}."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(prevention_app, name="prevention")
