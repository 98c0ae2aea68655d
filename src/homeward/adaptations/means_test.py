"""The test of resources on an adaptations case, and the organisation's DFG tables it reads.

`engines.dfg` does the calculation. The organisation's administrator loads its tables file (format
`homeward-dfg-tables/1`, docs/adaptations.md) over the figures Homeward ships; Homeward never fills a missing
table in. A table the applicant's test needs and the organisation has not loaded is refused naming it
(`TablesMissing`), with how to load it; nothing is written. A disabled child or young person needs no table;
a passported applicant needs only `passporting_benefits`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from homeward.adaptations.codes import Tenure
from homeward.adaptations.models import DfgTablesFile, ResourcesTest
from homeward.adaptations.services import case_event, locked_case
from homeward.core.errors import ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.dfg import (
    TABLE_NAMES,
    Assessment,
    DfgInputError,
    Tables,
    TablesMissing,
    assess_contribution,
    parse_application,
    parse_tables,
    statutory_tables,
)
from homeward.engines.dfg.tables import _Version
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

MAX_FILE_BYTES = 200_000
#: Where the page sends an administrator to load the tables (and what it tells anyone else).
HOW_TO_LOAD = (
    "Your organisation's administrator loads it on Adaptations › DFG tables (/adaptations/tables/), as a "
    "homeward-dfg-tables/1 file quoting the instrument for each figure (format in docs/adaptations.md)."
)
TABLE_LABELS = {
    "personal_allowances": "Personal allowances",
    "premiums": "Premiums",
    "housing_allowance": "Housing allowance",
    "capital": "Capital (tariff income)",
    "loan_factors": "Loan-generating factors",
    "passporting_benefits": "Passporting benefits",
    "grant_maximum": "Grant maximum",
    "land_charge": "Land charge",
}


def _decode(text: str, is_yaml: bool) -> Any:
    return yaml.safe_load(text) if is_yaml else json.loads(text)


def organisation_tables(organisation_id: int) -> tuple[Tables, DfgTablesFile | None]:
    """The tables the organisation's tests use: its newest loaded file over the shipped figures."""
    loaded = DfgTablesFile.objects.filter(organisation_id=organisation_id).first()
    if loaded is None:
        return statutory_tables(), None
    return parse_tables(_decode(loaded.text, loaded.is_yaml), where=loaded.name), loaded


@dataclass(frozen=True)
class TableStatus:
    table: str
    label: str
    state: str  # "loaded", "shipped", "missing", "not_in_force"
    source: str
    valid_from: dt.date | None
    problem: str


def table_status(organisation_id: int, on: dt.date) -> tuple[list[TableStatus], DfgTablesFile | None]:
    """Each table the engine knows: in force on `on` from the organisation's file or Homeward's, or not."""
    tables, loaded = organisation_tables(organisation_id)
    shipped = statutory_tables()
    rows = []
    for name in TABLE_NAMES:
        try:
            version = tables.version(name, on, _Version)
        except TablesMissing as exc:
            state = "missing" if not getattr(tables.tables, name) else "not_in_force"
            rows.append(TableStatus(name, TABLE_LABELS[name], state, "", None, str(exc)))
            continue
        ours = version in (getattr(shipped.tables, name) or [])
        rows.append(
            TableStatus(
                name,
                TABLE_LABELS[name],
                "shipped" if ours else "loaded",
                version.source,
                version.valid_from,
                "",
            )
        )
    return rows, loaded


@transaction.atomic
def load_tables_file(*, actor: Actor, content: bytes, filename: str) -> DfgTablesFile:
    """Validate a tables file with the engine and make it the organisation's; a bad file writes nothing and
    the error names every bad field (`tables.loan_factors[0].values.tenant[1].up_to: …`)."""
    actor.require(Permission.MANAGE_ORGANISATION)
    if len(content) > MAX_FILE_BYTES:
        raise ValidationFailed.single("file", "The tables file must be 200 KB or smaller")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed.single("file", "The tables file must be UTF-8 text (JSON or YAML)") from None
    is_yaml = filename.lower().endswith((".yaml", ".yml"))
    try:
        raw = _decode(text, is_yaml)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "YAML" if is_yaml else "JSON"
        raise ValidationFailed.single("file", f"The file cannot be read as {kind}: {exc}"[:500]) from None
    try:
        tables = parse_tables(raw, where=filename[:100])
    except DfgInputError as exc:
        problems = "; ".join(str(issue) for issue in exc.issues[:10])
        more = f" (and {len(exc.issues) - 10} more)" if len(exc.issues) > 10 else ""
        raise ValidationFailed.single("file", f"The tables file is not usable: {problems}{more}") from None
    loaded = DfgTablesFile.objects.create(
        organisation_id=actor.organisation_id,
        name=str(raw["name"])[:200],
        text=text,
        is_yaml=is_yaml,
        illustrative=tables.illustrative,
        loaded_by=actor.user,
        loaded_at=timezone.now(),
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Load the DFG test of resources tables",
        obj=loaded,
        detail={"name": loaded.name, "illustrative": loaded.illustrative},
    )
    return loaded


_INCOME = re.compile(r"^income\[(\d+)\]\.(\w+)")
_FIELDS = {
    "household.personal_allowance": "personal_allowance",
    "household.dependants": "dependants",
    "household.premiums": "premiums",
    "household": "personal_allowance",
    "capital.amount": "capital_amount",
    "capital.rule": "capital_rule",
    "benefits": "benefits",
    "disabled_occupant": "child_benefit_payable",
    "assessment_date": "assessment_date",
}


def _field(path: str, rows: list[int]) -> str:
    """An engine path (`income[0].weekly_amount`) as the form field it came from (`income_2_weekly_amount`:
    blank rows are skipped, so the engine's index is mapped back to the row typed in)."""
    match = _INCOME.match(path)
    if match:
        index = int(match.group(1))
        row = rows[index] if index < len(rows) else index
        return f"income_{row}_{match.group(2)}"
    base = re.sub(r"\[\d+\]", "", path)
    return _FIELDS.get(base, _FIELDS.get(base.split(".")[0], "application"))


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _issue_text(message: str) -> str:
    return message[:1].upper() + message[1:]


@transaction.atomic
def run_test(
    *,
    actor: Actor,
    case_id: int,
    assessment_date: dt.date | None = None,
    benefits: list[str] | None = None,
    personal_allowance: str = "",
    dependants: list[str] | None = None,
    premiums: list[str] | None = None,
    income: list[dict[str, Any]] | None = None,
    income_rows: list[int] | None = None,
    capital_amount: Decimal | None = None,
    capital_rule: str = "standard",
    child_benefit_payable: bool = False,
) -> ResourcesTest:
    """Run the test of resources on the case's applicant (the disabled occupant) with the organisation's
    tables in force on `assessment_date` (default: the valid application, else today), and record it."""
    case = locked_case(actor, case_id)
    day = assessment_date or case.application_valid_on or timezone.localdate()
    if day > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationFailed.single("assessment_date", "Assessment date must be within a year from today")
    born = case.person.date_of_birth
    raw: dict[str, Any] = {
        "assessment_date": day.isoformat(),
        "tenure": "owner_occupier" if case.tenure == Tenure.OWNER_OCCUPIER else "tenant",
        "disabled_occupant": {
            "age": max(0, min(_age_on(born, day), 130)),
            "child_benefit_payable": child_benefit_payable,
        },
        "benefits": list(benefits or []),
        "income": [
            {key: str(value) if isinstance(value, Decimal) else value for key, value in line.items()}
            for line in income or []
        ],
    }
    if personal_allowance:
        raw["household"] = {
            "personal_allowance": personal_allowance,
            "dependants": list(dependants or []),
            "premiums": list(premiums or []),
        }
    if capital_amount is not None:
        raw["capital"] = {"amount": str(capital_amount), "rule": capital_rule or "standard"}
    rows = income_rows or list(range(len(raw["income"])))
    tables, loaded = organisation_tables(actor.organisation_id)
    try:
        application = parse_application(raw)
        assessment: Assessment = assess_contribution(application, tables)
    except TablesMissing as exc:
        raise ValidationFailed.single(
            "tables",
            f"The test of resources cannot run for this applicant: {exc.issues[0].message}. {HOW_TO_LOAD}",
        ) from None
    except DfgInputError as exc:
        errors: dict[str, str] = {}
        for issue in exc.issues:
            errors.setdefault(_field(issue.path, rows), _issue_text(issue.message))
        raise ValidationFailed(errors) from None
    test = ResourcesTest.objects.create(
        case=case,
        organisation_id=actor.organisation_id,
        assessed_by=actor.user,
        assessed_at=timezone.now(),
        assessment_date=day,
        basis=assessment.basis,
        means_tested=assessment.means_tested,
        contribution=assessment.contribution,
        application=raw,
        steps="\n".join(assessment.steps)[:8000],
        warnings="\n".join(assessment.warnings)[:2000],
        tables_used=[
            {"table": use.table, "source": use.source, "valid_from": use.valid_from.isoformat()}
            for use in assessment.tables_used
        ]
        + ([{"table": "file", "source": loaded.name, "valid_from": ""}] if loaded else []),
    )
    case_event(
        case,
        actor,
        "Test of resources",
        f"Contribution £{assessment.contribution:,.2f} ({BASIS_LABELS[assessment.basis]})",
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Run the DFG test of resources",
        obj=test,
        person_id=case.person_id,
        detail={"basis": assessment.basis, "contribution": str(assessment.contribution)},
    )
    return test


BASIS_LABELS = {
    "child_or_young_person": "a disabled child or young person: not means tested",
    "passported": "passported by a means-tested benefit",
    "test_of_resources": "the full test of resources",
}


def latest_test(case_id: int) -> ResourcesTest | None:
    """The case's newest test (the caller has already read the case through the access layer)."""
    return ResourcesTest.objects.filter(case_id=case_id).first()
