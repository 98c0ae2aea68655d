"""Platform commands: `demo`, `serve`, `seed`, `audit verify|checkpoint`, `sar export`, `person add`.

Django is set up lazily inside each command, so `homeward --help` and the engine commands stay fast.
Exit codes: 0 done; 1 the audit chain is broken; 2 bad input or not allowed (the message says which).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from homeward.cli import django_setup

if TYPE_CHECKING:
    from homeward.demo import DemoSummary
    from homeward.governance.access import Actor

console = Console()
errors = Console(stderr=True)

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
sar_app = typer.Typer(help="Subject access requests (UK GDPR Art 15).", no_args_is_help=True)
person_app = typer.Typer(help="People (the subjects of care).", no_args_is_help=True)

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]
AsUser = Annotated[str, typer.Option("--as", help="Username of the member of staff acting.")]
OrganisationId = Annotated[
    int | None,
    typer.Option("--organisation", help="Organisation id, when the user has several.", min=1, max=2**63 - 1),
]


def _fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[bold red]Error:[/] {message}", highlight=False)
    return typer.Exit(code)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    )


def _seed(people: int, *, show_progress: bool = True) -> DemoSummary:
    from homeward.demo import seed_demo

    if not show_progress:
        return seed_demo(people=people)
    with _progress() as bar:
        task = bar.add_task("Seeding demo data", total=None)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        return seed_demo(people=people, progress=report)


def _print_logins() -> None:
    from homeward.core.roles import Role
    from homeward.demo import DEMO_LOGINS, DEMO_PASSWORD, SUPERUSER

    table = Table(title="Demo logins (synthetic data only)")
    for column in ("Username", "Role", "Organisation", "Password"):
        table.add_column(column)
    for login in DEMO_LOGINS:
        table.add_row(login.username, Role(login.role).label, login.organisation, DEMO_PASSWORD)
    table.add_row(SUPERUSER, "superuser (Django admin)", "—", DEMO_PASSWORD)
    console.print(table)
    console.print("[dim]`teamlead` has two memberships: switch organisation from the header.[/]")


def _runserver(host: str, port: int) -> None:
    from django.core.management import call_command

    console.print(f"Serving Homeward on [bold]http://{host}:{port}/[/] (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False)


def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    people: Annotated[int, typer.Option(min=1, help="People to create when seeding.")] = 500,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Migrate and seed, then stop.")] = False,
    no_worker: Annotated[
        bool, typer.Option("--no-worker", help="Do not start the background-jobs worker alongside.")
    ] = False,
) -> None:
    """Migrate, load demo data if the database is empty, print the demo logins, start the jobs worker and
    serve (the worker stops when the server does)."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    summary = _seed(people)
    console.print(summary.message)
    if not summary.refused:
        _print_logins()
    if not no_serve:
        from homeward.cli.jobs import worker_process

        with worker_process(enabled=not no_worker):
            _runserver(host, port)


def gunicorn_command(host: str, port: int, workers: int, threads: int, timeout: int) -> list[str]:
    """The gunicorn command `serve --production` runs (docs/deploy.md shows it for a systemd unit)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "homeward.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--timeout={timeout}",
        "--access-logfile=-",
        "--error-logfile=-",
    ]


def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    production: Annotated[
        bool,
        typer.Option(
            "--production", help="Serve with gunicorn (N worker processes), not Django's dev server."
        ),
    ] = False,
    workers: Annotated[int, typer.Option(min=1, max=64, help="gunicorn worker processes.")] = max(
        2, min(8, 2 * (os.cpu_count() or 1) + 1)
    ),
    threads: Annotated[int, typer.Option(min=1, max=32, help="Threads per gunicorn worker.")] = 2,
    timeout: Annotated[
        int, typer.Option(min=5, max=600, help="Seconds before a stuck worker is restarted.")
    ] = 60,
) -> None:
    """Serve Homeward (no migration, no seeding). `--production` runs gunicorn; put it behind a TLS proxy
    with HOMEWARD_HTTPS=1 (docs/deploy.md)."""
    django_setup()
    if not production:
        _runserver(host, port)
        return
    from django.conf import settings
    from django.core.management import call_command

    call_command("check", deploy=True, fail_level="ERROR")
    if not settings.HTTPS:
        errors.print(
            "[yellow]HOMEWARD_HTTPS is not set:[/] no HSTS, no secure cookies; set it when behind TLS.",
            highlight=False,
        )
    command = gunicorn_command(host, port, workers, threads, timeout)
    console.print(f"Serving Homeward with gunicorn on [bold]http://{host}:{port}/[/] ({workers} workers)")
    os.execv(sys.executable, command)  # noqa: S606  (becomes gunicorn; the arguments are ours, not input)


def seed(
    demo: Annotated[bool, typer.Option("--demo", help="Load the synthetic demo data set.")] = False,
    people: Annotated[int, typer.Option(min=1, help="How many people to create.")] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable summary.")] = False,
) -> None:
    """Load data. Today: `--demo` (synthetic organisations, staff, homes and people; idempotent)."""
    if not demo:
        raise _fail("say what to seed: `homeward seed --demo`")
    django_setup()
    summary = _seed(people, show_progress=not as_json)
    if as_json:
        from homeward.demo import table_counts

        out = {k: v for k, v in summary.__dict__.items() if k != "logins"}
        out["logins"] = sorted({login.username for login in summary.logins})
        out["tables"] = table_counts()
        typer.echo(json.dumps(out, indent=2))
        if summary.refused:
            raise typer.Exit(2)
        return
    if summary.refused:
        raise _fail(summary.message)
    console.print(summary.message)
    if summary.created:
        console.print(
            f"{summary.organisations} organisations, {summary.users} users, {summary.people} people, "
            f"{summary.properties} homes, {summary.tenancies} tenancies, "
            f"{summary.shared_with_housing} cases shared with the housing provider, "
            f"{summary.consents} consent records."
        )
        _print_logins()


def _checkpoint_json(checkpoint: Any | None) -> dict[str, Any] | None:
    if checkpoint is None:
        return None
    return {
        "file": checkpoint.name,
        "sequence": checkpoint.sequence,
        "hash": checkpoint.hash,
        "created_at": checkpoint.created_at,
    }


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False,
) -> None:
    """Check every audit row's keyed hash and link, and the chain against the signed checkpoints; exit 1
    naming the first problem."""
    django_setup()
    from homeward.governance.audit import verify_chain
    from homeward.governance.models import AuditEvent

    total = AuditEvent.objects.count()
    if as_json or total < 5000:
        report = verify_chain()
    else:
        with _progress() as bar:
            task = bar.add_task("Verifying audit chain", total=total)
            report = verify_chain(progress=lambda n: bar.advance(task, n))
    problem = report.problem
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "intact": report.is_intact,
                    "checked": report.checked,
                    "checkpoint": _checkpoint_json(report.checkpoint),
                    "problem": None
                    if problem is None
                    else {
                        "event_id": problem.event_id,
                        "sequence": problem.sequence,
                        "message": problem.message,
                        "summary": str(problem),
                    },
                },
                indent=2,
            )
        )
    elif problem is None:
        console.print(f"[green]Audit chain intact:[/] {report.checked:,} events checked.")
        if report.checkpoint is None:
            console.print(
                "[yellow]No signed checkpoint yet[/]: deleting the newest rows together with the chain head "
                "cannot be detected until one is written (`homeward audit checkpoint`)."
            )
        else:
            cp = report.checkpoint
            console.print(
                f"Matches the latest signed checkpoint {cp.name} ({cp.sequence:,} events, {cp.created_at}).",
                highlight=False,
            )
    else:
        errors.print(
            f"[bold red]Audit chain broken[/] at {problem} ({report.checked:,} events before it are intact).",
            highlight=False,
        )
    if problem is not None:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    accept_unkeyed: Annotated[
        bool,
        typer.Option(
            "--accept-unkeyed",
            help="Once, after upgrading: vouch for rows written before the chain was keyed (plain SHA-256).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable result.")] = False,
) -> None:
    """Verify the chain, then write a signed checkpoint of its head to HOMEWARD_AUDIT_CHECKPOINT_DIR.

    Run it on a schedule (cron or a systemd timer, docs/deploy.md); exit 1, writing nothing, if the chain
    is already broken.
    """
    django_setup()
    from homeward.governance.audit import write_checkpoint

    path, report = write_checkpoint(accept_unkeyed=accept_unkeyed)
    if path is None:
        errors.print(
            f"[bold red]Audit chain broken[/] at {report.problem}: no checkpoint written.", highlight=False
        )
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps({"file": str(path), "sequence": report.checked, "hash": report.last_hash}))
        return
    console.print(f"Signed checkpoint of {report.checked:,} audit events written to {path}.", highlight=False)


@audit_app.command("public-key")
def audit_public_key() -> None:
    """Print the checkpoint verify key (PEM), for HOMEWARD_AUDIT_VERIFY_KEY_FILE on another machine."""
    django_setup()
    from homeward.governance.checkpoints import public_key_pem

    typer.echo(public_key_pem(), nl=False)


def _actor(username: str, organisation_id: int | None, *, roles: list[str], wanting: str) -> Actor:
    """The user's membership to act through: the first with one of `roles`, in the organisation if given."""
    from homeward.core.models import Membership, User
    from homeward.governance.access import Actor

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise _fail(f"no active user called '{username}'")
    memberships = Membership.objects.select_related("organisation").filter(user=user, is_active=True)
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    memberships = memberships.filter(role__in=roles)
    chosen = memberships.order_by("pk").first()
    if chosen is None:
        where = f" in organisation {organisation_id}" if organisation_id is not None else ""
        raise _fail(f"{username} has no {wanting} membership{where}, so cannot do this")
    return Actor(user=user, membership=chosen)


@sar_app.command("export")
def sar_export(
    person_id: Annotated[int, typer.Argument(help="The person's id in Homeward.", min=1, max=2**63 - 1)],
    username: AsUser,
    organisation: OrganisationId = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write JSON here (default: stdout).")] = None,
) -> None:
    """Export everything held on one person as JSON, as an IG officer. The export is audited."""
    django_setup()
    from django.core.serializers.json import DjangoJSONEncoder

    from homeward.core.errors import DomainError
    from homeward.core.roles import Role
    from homeward.governance.subject_access import export_subject_access

    actor = _actor(username, organisation, roles=[Role.IG_OFFICER], wanting="information governance officer")
    try:
        document = export_subject_access(actor=actor, person_id=person_id)
    except DomainError:
        raise _fail(f"no person with id {person_id} that {actor.organisation} can see") from None
    text = json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    errors.print(f"Subject access export for person {person_id} written to {out} (audited).")


@person_app.command("add")
def person_add(
    username: AsUser,
    given_name: Annotated[str, typer.Option(help="Given (first) name.")],
    family_name: Annotated[str, typer.Option(help="Family name (surname).")],
    dob: Annotated[str, typer.Option("--dob", help="Date of birth, YYYY-MM-DD.")],
    nhs_number: Annotated[str, typer.Option(help="NHS number (10 digits, Modulus 11).")] = "",
    organisation: OrganisationId = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable result.")] = False,
) -> None:
    """Register a person held by the user's organisation (validated and audited like the web form)."""
    try:
        date_of_birth = dt.date.fromisoformat(dob)
    except ValueError:
        raise _fail(f"date_of_birth: '{dob}' is not a date; use YYYY-MM-DD, like 1950-03-31") from None
    django_setup()
    from homeward.core.errors import DomainError, ValidationFailed
    from homeward.core.roles import ROLE_PERMISSIONS, Permission
    from homeward.people.services import register_person

    able = [role for role, allowed in ROLE_PERMISSIONS.items() if Permission.EDIT_PERSON in allowed]
    actor = _actor(username, organisation, roles=able, wanting="caseworker, team lead or clinician")
    fields: dict[str, Any] = {
        "given_name": given_name,
        "family_name": family_name,
        "date_of_birth": date_of_birth,
    }
    if nhs_number:
        fields["nhs_number"] = nhs_number
    try:
        person = register_person(actor=actor, **fields)
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            errors.print(f"[bold red]Error:[/] {field}: {message}", highlight=False)
        raise typer.Exit(2) from None
    except DomainError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps({"id": person.pk, "organisation": actor.organisation.name}))
    else:
        console.print(f"Registered {person.full_name} (id {person.pk}) for {actor.organisation}.")


def register(app: typer.Typer) -> None:
    """Add the platform commands to the main `homeward` command."""
    app.command("demo")(demo)
    app.command("serve")(serve)
    app.command("seed")(seed)
    app.add_typer(audit_app, name="audit")
    app.add_typer(sar_app, name="sar")
    app.add_typer(person_app, name="person")
