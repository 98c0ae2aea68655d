"""FHIR R4 views of referrals: Patient, ServiceRequest (what was asked) and Task (the work and its status).

Built with fhir.resources' R4B models (R4-compatible; the package has no plain R4 module). Task.status
follows the Gravity Project SDOH Clinical Care referral guide. A Patient shows only what the viewer may see
(see governance.fields), so a receiver gets only the fields a referral shared.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from homeward.core.models import Person
from homeward.referrals.codes import ReferralStatus
from homeward.referrals.models import Referral

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
OUTCOME_SYSTEM = "https://homeward.nhs.example/fhir/CodeSystem/referral-outcome"
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


def service_request(referral: Referral) -> ServiceRequest:
    what = referral.service.name if referral.service else referral.get_service_kind_display()
    return ServiceRequest.model_validate(
        {
            "resourceType": "ServiceRequest",
            "id": str(referral.pk),
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


def task(referral: Referral) -> Task:
    data: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.pk),
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


def searchset(resources: list[Any], total: int) -> Bundle:
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": total,
            "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources],
        }
    )


def operation_outcome(severity: str, code: str, diagnostics: str, expression: str = "") -> OperationOutcome:
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": [issue]})


def outcome_from(task_data: Task) -> tuple[str, str]:
    """(outcome code, note) from a partner's Task.output, if it carries one."""
    for output in task_data.output or []:
        concept = output.valueCodeableConcept
        if concept is not None:
            for coding in concept.coding or []:
                if coding.code:
                    return str(coding.code), str(concept.text or "")
    return "", ""
