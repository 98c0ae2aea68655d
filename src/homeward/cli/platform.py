"""Platform commands: `demo`, `serve`, `seed`, `audit verify`, `sar export`, `person add`.

Django is set up lazily inside each command, so `homeward --help` and the engine commands stay fast.
Exit codes: 0 done; 1 the audit chain is broken; 2 bad input or not allowed (the message says which).
"""

from __future__ import annotations

import datetime as dt
import json
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
) -> None:
    """Migrate, load demo data if the database is empty, print the demo logins and serve."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    summary = _seed(people)
    console.print(summary.message)
    if not summary.refused:
        _print_logins()
    if not no_serve:
        _runserver(host, port)


def serve(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve Homeward (no migration, no seeding)."""
    django_setup()
    _runserver(host, port)


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


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False,
) -> None:
    """Check every audit row's hash and link; exit 1 naming the first bad row."""
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
    else:
        errors.print(
            f"[bold red]Audit chain broken[/] at {problem} ({report.checked:,} events before it are intact).",
            highlight=False,
        )
    if problem is not None:
        raise typer.Exit(1)


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
