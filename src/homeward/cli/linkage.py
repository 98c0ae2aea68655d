"""`homeward linkage …`: person linkage.

`linkage files` links two CSV files with the engine alone (no Django, no database); `linkage run
--agreement ID` runs the app's linkage under an agreement (Django is set up inside the command only, so
`linkage files` starts without it).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

linkage_app = typer.Typer(help="Person linkage across organisations (Splink).", no_args_is_help=True)
_err = Console(stderr=True, soft_wrap=True)

LEFT, RIGHT = "left", "right"
PAIR_FILE_COLUMNS = ("left_record_id", "right_record_id", "match_probability", "match_weight", "decision")


def _fail(message: str) -> typer.Exit:
    _err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code=2)


def _pairs_file(pairs: pl.DataFrame) -> pl.DataFrame:
    """Scored pairs as the file's columns, left file's record first."""
    flipped = pl.col("source_l") == RIGHT
    return pairs.select(
        pl.when(flipped).then(pl.col("record_id_r")).otherwise(pl.col("record_id_l")).alias("left_record_id"),
        pl.when(flipped)
        .then(pl.col("record_id_l"))
        .otherwise(pl.col("record_id_r"))
        .alias("right_record_id"),
        pl.col("match_probability"),
        pl.col("match_weight"),
        pl.col("decision").cast(pl.String),
    ).sort(["match_weight", "left_record_id", "right_record_id"], descending=[True, False, False])


@linkage_app.command("files")
def files(
    left: Annotated[Path, typer.Argument(help="CSV of records: record_id plus any standard fields.")],
    right: Annotated[Path, typer.Argument(help="CSV of records from the other organisation.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write every scored pair (CSV).")],
    model_path: Annotated[
        Path | None, typer.Option("--model", help="Use this saved model instead of training on the files.")
    ] = None,
    save_model: Annotated[
        Path | None, typer.Option("--save-model", help="Save the trained model (JSON).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine-readable summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="Show Splink's training messages.")] = False,
) -> None:
    """Link LEFT and RIGHT: train a model on them (unsupervised), score every candidate pair and
    decide each one (linked, review or dropped at the default thresholds). See docs/linkage.md."""
    from homeward.engines.linkage import LinkageModel, ModelError, RecordError, combine_sources, link_records
    from homeward.engines.linkage.validation import read_records_csv

    started = time.perf_counter()
    logging.getLogger("splink").setLevel(logging.INFO if verbose else logging.ERROR)
    if left.resolve() == right.resolve():
        raise _fail("LEFT and RIGHT are the same file")
    if out.resolve() in (left.resolve(), right.resolve()):
        raise _fail(f"--out {out} would overwrite an input file")
    if not out.parent.is_dir():
        raise _fail(f"--out: directory {out.parent} does not exist")
    model = None
    if model_path is not None:
        try:
            model = LinkageModel.load(model_path)
        except (OSError, ModelError) as exc:
            raise _fail(f"--model {model_path}: {exc}") from None
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=_err, disable=as_json
    ) as progress:
        task = progress.add_task("Reading files", total=None)
        try:
            frames = {LEFT: read_records_csv(left), RIGHT: read_records_csv(right)}
        except RecordError as exc:
            raise _fail(str(exc)) from None
        progress.update(task, description="Training and scoring" if model is None else "Scoring")
        try:
            run = link_records(combine_sources(frames), model=model)
        except ValueError as exc:  # e.g. the two files share no field that can be compared
            raise _fail(str(exc)) from None
        progress.update(task, description=f"Writing {out}")
        table = _pairs_file(run.pairs)
        tmp = out.with_name(f".{out.name}.tmp")
        try:
            table.write_csv(tmp)
            tmp.replace(out)
            if save_model is not None:
                run.model.save(save_model)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _fail(str(exc)) from None
    counts = dict(table.group_by("decision").len().iter_rows())
    summary = {
        "pairs": table.height,
        "linked": int(counts.get("linked", 0)),
        "review": int(counts.get("review", 0)),
        "seconds": round(time.perf_counter() - started, 3),
    }
    if as_json:
        typer.echo(json.dumps(summary))
        return
    Console().print(
        f"{summary['pairs']:,} pairs scored: {summary['linked']:,} linked, {summary['review']:,} for review "
        f"→ {out} ({summary['seconds']:.1f} s)",
        highlight=False,
    )


@linkage_app.command("run")
def run(
    agreement: Annotated[
        int, typer.Option("--agreement", min=1, help="Id of a sharing agreement naming linkage")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary")] = False,
) -> None:
    """Link the parties' records under AGREEMENT now (only the fields it lists); store pairs, identities
    and alerts. Audited as the system. See docs/linkage.md."""
    from homeward.cli import django_setup

    django_setup()
    from homeward.core.errors import NotFound, ValidationFailed
    from homeward.linkage.runs import link_agreement

    logging.getLogger("splink").setLevel(logging.ERROR)

    started = time.perf_counter()
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=_err,
            transient=True,
        ) as bar:
            task = bar.add_task("Starting", total=None)
            stored = link_agreement(
                agreement_id=agreement,
                actor=None,
                progress=lambda message: bar.update(task, description=message),
            )
    except NotFound:
        raise _fail(f"--agreement: no agreement with id {agreement}") from None
    except ValidationFailed as exc:
        raise _fail("; ".join(f"--{k}: {v}" for k, v in exc.errors.items())) from None
    summary = {
        "run": stored.pk,
        "records": stored.records_by_organisation,
        "pairs": stored.pairs_scored,
        "linked": stored.linked,
        "review": stored.review,
        "dropped": stored.dropped,
        "seconds": round(time.perf_counter() - started, 3),
    }
    if as_json:
        typer.echo(json.dumps(summary))
        return
    Console().print(
        f"Run {stored.pk}: {stored.pairs_scored:,} pairs scored, {stored.linked:,} linked, "
        f"{stored.review:,} for review, {stored.dropped:,} dropped ({summary['seconds']:.1f} s)",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add `linkage` to the main `homeward` command."""
    app.add_typer(linkage_app, name="linkage")
