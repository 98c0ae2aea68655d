"""FHIR R4 views of referrals: Patient, ServiceRequest (what was asked) and Task (the work and its status).

Built with fhir.resources' R4B models (R4-compatible; the package has no plain R4 module). Task.status
follows the Gravity Project SDOH Clinical Care referral guide. A Patient shows only what the viewer may see
(see governance.fields), so a receiver gets only the fields a referral shared.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task
from fhir.resources.R4B.valueset import ValueSet

from homeward.core.models import Person
from homeward.referrals.codes import COMPLETED_OUTCOMES, FAILED_OUTCOMES, Outcome, ReferralStatus
from homeward.referrals.models import Referral

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
OUTCOME_SYSTEM = "https://homeward.nhs.example/fhir/CodeSystem/referral-outcome"
OUTCOME_VALUE_SET = "https://homeward.nhs.example/fhir/ValueSet/referral-outcome"
OUTCOME_ID = "referral-outcome"  # the id of both the CodeSystem and the ValueSet served at /fhir/R4/
SERVICE_KIND_SYSTEM = "https://homeward.nhs.example/fhir/CodeSystem/service-kind"

# ServiceRequest.status from the Task's: the request stays active while the work goes on.
REQUEST_STATUS = {
    ReferralStatus.DRAFT: "draft",
    ReferralStatus.REQUESTED: "active",
    ReferralStatus.ACCEPTED: "active",
    ReferralStatus.IN_PROGRESS: "active",
    ReferralStatus.ON_HOLD: "on-hold",
    ReferralStatus.COMPLETED: "completed",
    ReferralStatus.FAILED: "completed",
    ReferralStatus.REJECTED: "revoked",
    ReferralStatus.CANCELLED: "revoked",
    ReferralStatus.ENTERED_IN_ERROR: "entered-in-error",
}


def _when(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def patient(person: Person, groups: frozenset[str] | None) -> Patient:
    """The person as a FHIR Patient, with only the groups of fields the viewer may see (None: all)."""

    def shows(group: str) -> bool:
        return groups is None or group in groups

    data: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person.pk),
        "name": [{"use": "official", "family": person.family_name, "given": [person.given_name]}],
    }
    if person.nhs_number and shows("nhs_number"):
        data["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": person.nhs_number}]
    if shows("date_of_birth"):
        data["birthDate"] = person.date_of_birth.isoformat()
    if shows("contact"):
        telecom = [{"system": "phone", "value": person.phone}] if person.phone else []
        telecom += [{"system": "email", "value": person.email}] if person.email else []
        if telecom:
            data["telecom"] = telecom
    if shows("address") and (person.address_line_1 or person.postcode):
        lines = [line for line in (person.address_line_1, person.address_line_2) if line]
        address = {"use": "home", "line": lines, "city": person.town, "postalCode": person.postcode}
        data["address"] = [{k: v for k, v in address.items() if v}]  # FHIR strings may not be empty
    if shows("language") and person.preferred_language:
        data["communication"] = [{"language": {"text": person.preferred_language}, "preferred": True}]
    return Patient.model_validate(data)


def _org(org: Any) -> dict[str, Any]:
    reference: dict[str, Any] = {"display": org.name}
    if org.ods_code:
        reference["identifier"] = {
            "system": "https://fhir.nhs.uk/Id/ods-organization-code",
            "value": org.ods_code,
        }
    return reference


def _meta(referral: Referral, version: int | None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "lastUpdated": _when(referral.closed_at or referral.answered_at or referral.requested_at)
    }
    if version is not None:
        meta["versionId"] = str(version)
    return meta


def service_request(referral: Referral, version: int | None = None) -> ServiceRequest:
    """The referral's request; `version` (its number of recorded events) becomes meta.versionId."""
    what = referral.service.name if referral.service else referral.get_service_kind_display()
    return ServiceRequest.model_validate(
        {
            "resourceType": "ServiceRequest",
            "id": str(referral.pk),
            "meta": _meta(referral, version),
            "identifier": [{"system": "https://homeward.nhs.example/referral", "value": referral.reference}],
            "status": REQUEST_STATUS[ReferralStatus(referral.status)],
            "intent": "order",
            "priority": "urgent" if referral.urgency == "urgent" else "routine",
            "code": {
                "coding": [{"system": SERVICE_KIND_SYSTEM, "code": referral.service_kind}],
                "text": what,
            },
            "subject": {"reference": f"Patient/{referral.person_id}"},
            "authoredOn": _when(referral.requested_at),
            "requester": _org(referral.from_organisation),
            "performer": [_org(referral.to_organisation)],
            "reasonCode": [{"text": referral.reason}],
        }
    )


def task(referral: Referral, version: int | None = None) -> Task:
    data: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": _meta(referral, version),
        "status": referral.status,
        "intent": "order",
        "focus": {"reference": f"ServiceRequest/{referral.pk}"},
        "for": {"reference": f"Patient/{referral.person_id}"},
        "authoredOn": _when(referral.requested_at),
        "lastModified": _when(referral.closed_at or referral.answered_at or referral.requested_at),
        "requester": _org(referral.from_organisation),
        "owner": _org(referral.to_organisation),
    }
    if referral.status_reason.strip():
        data["statusReason"] = {"text": referral.status_reason}
    if referral.outcome:
        data["output"] = [
            {
                "type": {"text": "Outcome"},
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": OUTCOME_SYSTEM,
                            "code": referral.outcome,
                            "display": referral.get_outcome_display(),
                        }
                    ],
                    "text": referral.outcome_note or referral.get_outcome_display(),
                },
            }
        ]
    return Task.model_validate(data)


def searchset(
    resources: list[Any],
    total: int | None,
    links: dict[str, str] | None = None,
    warnings: OperationOutcome | None = None,
) -> Bundle:
    """A searchset Bundle: `total` is every match (not just this page); links are self/first/next/previous;
    `warnings` (parameters that were ignored) rides along as an entry with search.mode "outcome"."""
    entries: list[dict[str, Any]] = [{"resource": r, "search": {"mode": "match"}} for r in resources]
    if warnings is not None:
        entries.append({"resource": warnings, "search": {"mode": "outcome"}})
    data: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "total": total}
    if links:
        data["link"] = [{"relation": relation, "url": url} for relation, url in links.items()]
    if entries:
        data["entry"] = entries
    return Bundle.model_validate(data)


def operation_outcome(
    severity: str, code: str, diagnostics: str, expression: str = "", *more: dict[str, Any]
) -> OperationOutcome:
    """An OperationOutcome with one issue (and any `more` issue dicts); `expression` is FHIRPath."""
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": [issue, *more]})


def warnings(messages: list[str]) -> OperationOutcome | None:
    """Parameters the server did not use, as warnings (FHIR's lenient handling of search parameters)."""
    if not messages:
        return None
    issues = [{"severity": "warning", "code": "not-supported", "diagnostics": m} for m in messages]
    return OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": issues})


def outcome_from(task_data: Task) -> tuple[str, str]:
    """(outcome code, note) from a partner's Task.output, if it carries one."""
    for output in task_data.output or []:
        concept = output.valueCodeableConcept
        if concept is not None:
            for coding in concept.coding or []:
                if coding.code:
                    return str(coding.code), str(concept.text or "")
    return "", ""


# Terminology and conformance ------------------------------------------------------------------------


def _outcome_statuses(code: str) -> list[str]:
    fits = [("completed", COMPLETED_OUTCOMES), ("failed", FAILED_OUTCOMES)]
    return [status for status, outcomes in fits if code in outcomes]


def outcome_code_system() -> CodeSystem:
    """The outcome codes a partner sends in Task.output when it completes or fails a Task; each concept's
    `task-status` property says which Task.status it fits."""
    return CodeSystem.model_validate(
        {
            "resourceType": "CodeSystem",
            "id": OUTCOME_ID,
            "url": OUTCOME_SYSTEM,
            "name": "HomewardReferralOutcome",
            "title": "Homeward referral outcome",
            "status": "active",
            "content": "complete",
            "caseSensitive": True,
            "valueSet": OUTCOME_VALUE_SET,
            "description": "What came of a referral: send one in Task.output[].valueCodeableConcept when "
            "moving a Task to completed or failed.",
            "property": [
                {
                    "code": "task-status",
                    "description": "The Task.status this outcome may be sent with",
                    "type": "code",
                }
            ],
            "concept": [
                {
                    "code": code,
                    "display": str(label),
                    "property": [{"code": "task-status", "valueCode": s} for s in _outcome_statuses(code)],
                }
                for code, label in Outcome.choices
            ],
        }
    )


def outcome_value_set() -> ValueSet:
    return ValueSet.model_validate(
        {
            "resourceType": "ValueSet",
            "id": OUTCOME_ID,
            "url": OUTCOME_VALUE_SET,
            "name": "HomewardReferralOutcome",
            "title": "Homeward referral outcome",
            "status": "active",
            "description": "Every code of the Homeward referral outcome CodeSystem.",
            "compose": {"include": [{"system": OUTCOME_SYSTEM}]},
        }
    )


# (search parameter name, FHIR type, what it does) for each searchable resource.
SEARCH_PARAMS: dict[str, list[tuple[str, str, str]]] = {
    "Patient": [("identifier", "token", f"{NHS_NUMBER_SYSTEM}|<NHS number> (required)")],
    "ServiceRequest": [
        ("status", "token", "One or more ServiceRequest.status codes, comma-separated"),
        ("patient", "reference", "Patient/<id>"),
    ],
    "Task": [
        ("status", "token", "One or more Task.status codes, comma-separated"),
        ("patient", "reference", "Patient/<id> (Task.for)"),
    ],
}
RESULT_PARAMS = [
    ("_count", "number", "Entries a page, 0 to 100 (0: only the total, as _summary=count)"),
    ("_offset", "number", "Matches to skip; the Bundle's next/previous links set it"),
    ("_summary", "token", "Only 'count' is supported"),
]


def capability_statement(base_url: str, software_version: str, date: str) -> CapabilityStatement:
    """What /fhir/R4/ serves: read and search of Patient, ServiceRequest and Task; update of Task (status,
    statusReason and output only, with If-Match); read of the outcome CodeSystem and ValueSet."""

    def params(resource: str) -> list[dict[str, Any]]:
        return [
            {"name": name, "type": kind, "documentation": doc}
            for name, kind, doc in [*SEARCH_PARAMS[resource], *RESULT_PARAMS]
        ]

    def searchable(resource: str, interactions: list[str], documentation: str) -> dict[str, Any]:
        return {
            "type": resource,
            "documentation": documentation,
            "interaction": [{"code": code} for code in interactions],
            "versioning": "versioned" if resource != "Patient" else "no-version",
            "readHistory": False,
            "updateCreate": False,
            "conditionalUpdate": False,
            "searchParam": params(resource),
        }

    task_doc = (
        "A referral's work and status (Gravity SDOH referral Task states). Update with PUT Task/<id> "
        '(or POST Task), changing only status, statusReason and output; send If-Match: W/"<versionId>" '
        "to refuse a stale update (412). Outcome codes for output[].valueCodeableConcept when completing "
        f"or failing: ValueSet {OUTCOME_VALUE_SET} (ValueSet/{OUTCOME_ID}), "
        f"CodeSystem {OUTCOME_SYSTEM} (CodeSystem/{OUTCOME_ID})."
    )
    resources = [
        searchable("Patient", ["read", "search-type"], "The person, with only the fields shared with you"),
        searchable("ServiceRequest", ["read", "search-type"], "What a referral asked for"),
        searchable("Task", ["read", "update", "search-type"], task_doc),
        {
            "type": "CodeSystem",
            "documentation": f"CodeSystem/{OUTCOME_ID}: the Task completion and failure outcome codes",
            "interaction": [{"code": "read"}],
        },
        {
            "type": "ValueSet",
            "documentation": f"ValueSet/{OUTCOME_ID}: the Task completion and failure outcome codes",
            "interaction": [{"code": "read"}],
        },
    ]
    return CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "id": "homeward",
            "url": f"{base_url}/metadata",
            "name": "HomewardFhirR4",
            "title": "Homeward FHIR R4 referrals API",
            "status": "active",
            "date": date,
            "publisher": "Homeward",
            "kind": "instance",
            "software": {"name": "Homeward", "version": software_version},
            "implementation": {"description": "Homeward referrals", "url": base_url},
            "fhirVersion": "4.0.1",
            "format": ["json", "application/fhir+json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": "Errors are OperationOutcome resources. Unknown search parameters are "
                    "reported as warnings in the Bundle; 'Prefer: handling=strict' refuses them.",
                    "security": {
                        "cors": False,
                        "service": [{"text": "Bearer token"}],
                        "description": "Send 'Authorization: Bearer <token>', the token from "
                        "POST /api/v1/auth/token. metadata, CodeSystem and ValueSet need none.",
                    },
                    "resource": resources,
                }
            ],
        }
    )
