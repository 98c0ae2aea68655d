"""A care-home resident admitted to hospital continues as one journey in Hospital to Home.

The home records the admission (clinical.record_transfer), which joins the hospital's open case for the
person if there is one. Otherwise the hospital, which sees the resident once the transfer names it, opens the
case from the resident's page: this calls Hospital to Home's own referral service (the trust holds the case,
its housing team takes part, as for any referral) and then brings the care home's provider into the case.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from homeward.carehomes.models import HospitalTransfer
from homeward.carehomes.selectors import visible_residents
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.discharge.codes import Setting
from homeward.discharge.models import DischargeCase
from homeward.discharge.services import bring_in_care_provider, case_event, refer_patient
from homeward.governance.access import Actor
from homeward.governance.models import ConsentStatus, LawfulBasis


def admissions_to(actor: Actor) -> list[HospitalTransfer]:
    """Admissions of residents the actor can see, to the actor's own trust, not yet linked to a case."""
    return list(
        HospitalTransfer.objects.filter(
            resident__in=visible_residents(actor),
            hospital_organisation_id=actor.organisation_id,
            admitted=True,
            discharge_case_id__isnull=True,
        ).select_related("resident__person", "resident__home")[:100]
    )


@transaction.atomic
def open_hospital_case(
    *,
    actor: Actor,
    transfer_id: int,
    hospital_id: int,
    housing_organisation_id: int,
    referral_reason: str,
    ward_id: int | None = None,
    pathway: str = "",
    consent_status: str = ConsentStatus.GIVEN,
    lawful_basis: str = LawfulBasis.CONSENT,
) -> DischargeCase:
    """The admitting trust opens the Hospital to Home case for a resident's admission, with the care home
    taking part; the admission date is the day the resident left the home."""
    actor.require(Permission.EDIT_PERSON)
    transfer = (
        HospitalTransfer.objects.select_for_update()
        .select_related("resident__home")
        .filter(pk=transfer_id, resident__in=visible_residents(actor))
        .first()
    )
    if transfer is None or transfer.hospital_organisation_id != actor.organisation_id:
        raise NotFound("No admission to your trust with that id")
    if not transfer.admitted:
        raise ValidationFailed.single("transfer_id", "The resident was not admitted on that transfer")
    if transfer.discharge_case_id is not None:
        raise ValidationFailed.single(
            "transfer_id", f"This admission already continues in H2H-{transfer.discharge_case_id:06d}"
        )
    case = refer_patient(
        actor=actor,
        person_id=transfer.resident.person_id,
        housing_organisation_id=housing_organisation_id,
        hospital_id=hospital_id,
        ward_id=ward_id,
        admitted_on=timezone.localtime(transfer.left_at).date(),
        referral_reason=referral_reason,
        setting=Setting.WARD,
        pathway=pathway,
        consent_status=consent_status,
        lawful_basis=lawful_basis,
    )
    transfer.discharge_case_id = case.pk
    transfer.save(update_fields=["discharge_case_id"])
    home = transfer.resident.home
    bring_in_care_provider(
        case=case,
        provider_id=home.organisation_id,
        reason=f"Care home the patient was admitted from ({home.name})",
    )
    case_event(case, actor, f"Admitted from {home.name}", "The care home takes part in this case")
    return case
