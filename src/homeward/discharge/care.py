"""Care-home and care-provider discharge: trusted assessments, care-side blockers, discharge to assess.

A trusted assessor (usually on the ward) assesses the patient once, on the care provider's behalf; the
provider accepts that assessment instead of sending its own assessor, or declines with a reason. The care
provider then takes part in the case: it sees it, and raises its own blockers (a bed, medication from
pharmacy, a constipation management plan, transport) with owners and due dates like any other blocker.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.core.models import Organisation, OrganisationKind
from homeward.discharge.codes import CaseStatus
from homeward.discharge.models import REQUIRED_DOMAINS, AssessmentDomain, DischargeCase, TrustedAssessment
from homeward.discharge.selectors import OPEN_STATUSES
from homeward.discharge.services import bring_in_care_provider, case_event, locked_case
from homeward.discharge.services import decide_assessment as decide_assessment  # kept here for its callers
from homeward.governance.access import Actor, has_active_agreement
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction


@transaction.atomic
def submit_trusted_assessment(
    *,
    actor: Actor,
    case_id: int,
    care_provider_id: int,
    assessed_on: dt.date,
    domains: dict[str, str],
    risks: str = "",
) -> TrustedAssessment:
    case = locked_case(actor, case_id)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    provider = Organisation.objects.filter(pk=care_provider_id).first()
    if provider is None:
        errors["care_provider_id"] = "No organisation with that id"
    elif provider.kind != OrganisationKind.CARE_PROVIDER:
        errors["care_provider_id"] = f"{provider.name} is not a care provider"
    elif not has_active_agreement(case.organisation_id, provider.pk):
        errors["care_provider_id"] = (
            f"There is no data-sharing agreement in force between {case.organisation.name} "
            f"and {provider.name}"
        )
    if assessed_on > today:
        errors["assessed_on"] = "Assessment date cannot be in the future"
    elif assessed_on < case.admitted_on:
        errors["assessed_on"] = "Assessment date cannot be before the admission date"
    for key, text in domains.items():
        if key not in AssessmentDomain.values:
            errors[f"domains.{key}"] = "Unknown assessment domain"
        elif len(text) > 1000:
            errors[f"domains.{key}"] = "Must be 1000 characters or fewer"
    for key in REQUIRED_DOMAINS:
        if not domains.get(key, "").strip():
            errors[f"domains.{key}"] = f"Describe {AssessmentDomain(key).label.lower()}"
    if len(risks) > 2000:
        errors["risks"] = "Risks must be 2000 characters or fewer"
    if case.status not in OPEN_STATUSES:
        errors["case"] = f"A case that is {case.get_status_display().lower()} cannot be assessed"
    if errors:
        raise ValidationFailed(errors)
    assert provider is not None
    assessment = TrustedAssessment.objects.create(
        case=case,
        care_provider=provider,
        assessor=actor.user,
        assessor_organisation_id=actor.organisation_id,
        assessed_on=assessed_on,
        domains={k: v.strip() for k, v in domains.items() if v.strip()},
        risks=risks.strip(),
    )
    bring_in_care_provider(
        case=case, provider_id=provider.pk, reason="Trusted assessment for care on discharge"
    )
    case_event(case, actor, f"Trusted assessment sent to {provider.name}", risks.strip())
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Send a trusted assessment to a care provider",
        obj=assessment,
        person_id=case.person_id,
        detail={"care_provider_id": provider.pk},
    )
    return assessment


@transaction.atomic
def set_discharge_to_assess(*, actor: Actor, case_id: int, on: bool) -> DischargeCase:
    """Discharge to assess: the patient goes home (or to a bed) and is assessed there, not on the ward."""
    case = locked_case(actor, case_id)
    if case.status not in (*OPEN_STATUSES, CaseStatus.DISCHARGED):
        raise ValidationFailed.single("case", f"A case that is {case.get_status_display().lower()} is closed")
    if case.discharge_to_assess != on:
        case.discharge_to_assess = on
        case.save(update_fields=["discharge_to_assess"])
        case_event(case, actor, "Discharge to assess" + (" agreed" if on else " withdrawn"))
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            purpose="Set discharge to assess",
            obj=case,
            person_id=case.person_id,
            detail={"discharge_to_assess": on},
        )
    return case
