"""What person linkage holds about a person, for the subject access export: the possible and confirmed
links of their record (with the other party's name, not its record), their identity and alerts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from homeward.core.models import Person
from homeward.linkage.models import LinkPair, PersonIdentity, TenantInHospitalAlert


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    pairs = LinkPair.objects.filter(Q(left=person) | Q(right=person)).select_related(
        "left__organisation", "right__organisation", "agreement"
    )
    out: list[dict[str, Any]] = []
    for pair in pairs:
        other = pair.right if pair.left_id == person.pk else pair.left
        out.append(
            {
                "kind": "possible link of this record to another organisation's record",
                "agreement": pair.agreement.reference,
                "other_organisation": other.organisation.name,
                "status": pair.get_status_display(),
                "match_probability": round(pair.match_probability, 4),
                "found_at": pair.created_at,
                "decided_at": pair.decided_at,
            }
        )
    for identity in PersonIdentity.objects.filter(person=person).select_related("agreement"):
        out.append(
            {
                "kind": "person identity",
                "agreement": identity.agreement.reference,
                "identity": identity.identity,
            }
        )
    for alert in TenantInHospitalAlert.objects.filter(tenant=person):
        out.append(
            {
                "kind": "tenant-in-hospital alert",
                "hospital": alert.hospital_name,
                "admitted_on": alert.admitted_on,
                "raised_at": alert.raised_at,
                "status": alert.get_status_display(),
            }
        )
    return out
