"""`homeward discharge ...`: scheduled jobs for Hospital to Home."""

from __future__ import annotations

import json

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


def register(app: typer.Typer) -> None:
    app.add_typer(discharge_app, name="discharge")
