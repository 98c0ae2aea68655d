"""The `homeward` command line (typer + rich).

Each command group lives in its own module and is registered here. Commands that need
Django call `homeward.cli.django_setup()` first; engine commands (simulate, cba, risk, evaluate)
never import Django, so they start fast and run anywhere.
"""

from __future__ import annotations

import os

import typer

app = typer.Typer(
    name="homeward",
    help="Homeward: joins up health and housing. Run `homeward COMMAND --help` for details.",
    no_args_is_help=True,
    add_completion=False,
)


def django_setup() -> None:
    """Configure Django for commands that touch the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()


def _register() -> None:
    from homeward.cli import platform

    platform.register(app)
    for name in (
        "discharge",
        "prevention",
        "simulate",
        "cba",
        "risk",
        "hhsrs",
        "dfg",
        "evaluate",
        "linkage",
        "jobs",
    ):
        try:
            module = __import__(f"homeward.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:  # pragma: no cover - only while a module is being built
            if exc.name != f"homeward.cli.{name}":
                raise
            continue
        module.register(app)


def main() -> None:
    _register()
    app()
