"""Outcome analytics across organisations by the identity's pseudonymised key, never names.

Under an agreement in force naming the *analytics* purpose (and linkage), each linked identity gets a key:
HMAC-SHA256 of the identity's id under the installation's pseudonym secret (`settings.PSEUDONYM_KEY`), so an
analyst can count one person's events across the parties without seeing a name, a record id or an NHS
number, and cannot reverse or recompute it without the secret. The example outcome: Hospital to Home
readmissions of tenants, for those the housing team helped and those it did not. Figures of people from 1
to 4 are hidden (`SMALL_NUMBER`, the sitrep's rule for shared reports), and so are the per-key rows of a
group of fewer than 5 identities."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from homeward.core.errors import NotFound
from homeward.core.models import OrganisationKind, Tenancy
from homeward.core.roles import Permission
from homeward.discharge.models import DischargeCase
from homeward.governance.access import Actor, agreements_in_force
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, DataSharingAgreement, SharingPurpose
from homeward.linkage.models import PersonIdentity

SMALL_NUMBER = 5
SUPPRESSED = "*"
HELPED, NOT_HELPED = "helped", "not_helped"
GROUP_LABELS = {
    HELPED: "Tenants the housing team helped (Hospital to Home)",
    NOT_HELPED: "Tenants the housing team did not help",
}


def identity_key(identity: str, *, secret: str | None = None) -> str:
    """The pseudonymised key of a linkage identity (32 hex characters)."""
    key = (secret or settings.PSEUDONYM_KEY).encode()
    return hmac.new(key, f"linkage-identity:{identity}".encode(), hashlib.sha256).hexdigest()[:32]


def analytics_agreements(actor: Actor) -> list[DataSharingAgreement]:
    """Agreements in force, with the actor's organisation a party, naming analytics and linkage."""
    if not actor.can(Permission.VIEW_PSEUDONYMISED):
        return []
    found = agreements_in_force().filter(parties=actor.organisation_id).prefetch_related("parties")
    return [
        a
        for a in found.order_by("reference")
        if a.allows(SharingPurpose.ANALYTICS) and a.allows(SharingPurpose.LINKAGE)
    ]


def analytics_agreement(actor: Actor, agreement_id: int) -> DataSharingAgreement:
    """The agreement, if the actor may use it for analytics now; otherwise NotFound (404)."""
    for agreement in analytics_agreements(actor):
        if agreement.pk == agreement_id:
            return agreement
    raise NotFound("No agreement with that id allows analytics for your organisation")


def identity_keys(agreement: DataSharingAgreement) -> dict[int, str]:
    """Every linked record under the agreement → its identity's key (no access check: see selectors)."""
    rows = PersonIdentity.objects.filter(agreement=agreement).values_list("person_id", "identity")
    return {person_id: identity_key(identity) for person_id, identity in rows}


@dataclass(frozen=True)
class IdentityOutcome:
    key: str
    group: str  # HELPED or NOT_HELPED
    stays: int  # Hospital to Home cases of the identity's records
    readmissions: int  # of which readmissions (a case linked to an earlier one: discharge's rule)


@dataclass(frozen=True)
class OutcomeGroup:
    group: str
    label: str
    identities: int | None  # None: hidden (1 to 4)
    with_stay: int | None
    readmitted: int | None  # identities with at least one readmission
    readmissions: int | None
    rows_shown: bool  # whether the group's per-key rows are in the export


def _hidden(value: int) -> int | None:
    return None if 0 < value < SMALL_NUMBER else value


def tenant_readmissions(actor: Actor, agreement: DataSharingAgreement) -> list[IdentityOutcome]:
    """Per identity that includes a housing party's tenant: its Hospital to Home stays and readmissions,
    and whether the housing team helped (a case with a housing party as its housing organisation).
    Audited, with counts only."""
    housing = {p.pk for p in agreement.parties.all() if p.kind == OrganisationKind.HOUSING_PROVIDER}
    members: dict[str, set[int]] = defaultdict(set)
    for person_id, identity in PersonIdentity.objects.filter(agreement=agreement).values_list(
        "person_id", "identity"
    ):
        members[identity].add(person_id)
    everyone = {pid for ids in members.values() for pid in ids}
    tenants = set(
        Tenancy.objects.filter(person_id__in=everyone, person__organisation_id__in=housing).values_list(
            "person_id", flat=True
        )
    )
    cases: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for person_id, housing_id, previous in DischargeCase.objects.filter(person_id__in=everyone).values_list(
        "person_id", "housing_organisation_id", "previous_case_id"
    ):
        cases[person_id].append((housing_id, previous is not None))
    out: list[IdentityOutcome] = []
    for identity, ids in sorted(members.items()):
        if not ids & tenants:
            continue
        stays = [case for pid in ids for case in cases.get(pid, [])]
        helped = any(housing_id in housing for housing_id, _ in stays)
        out.append(
            IdentityOutcome(
                key=identity_key(identity),
                group=HELPED if helped else NOT_HELPED,
                stays=len(stays),
                readmissions=sum(1 for _, readmission in stays if readmission),
            )
        )
    out.sort(key=lambda o: (o.group, o.key))
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Pseudonymised outcome analytics: readmissions of tenants by identity key",
        obj=agreement,
        detail={"agreement": agreement.reference, "identities": len(out)},
    )
    return out


def summarise(outcomes: list[IdentityOutcome]) -> list[OutcomeGroup]:
    """Figures per group, with figures of 1 to 4 people hidden."""
    groups: list[OutcomeGroup] = []
    for group in (HELPED, NOT_HELPED):
        rows = [o for o in outcomes if o.group == group]
        readmitted = sum(1 for o in rows if o.readmissions)
        groups.append(
            OutcomeGroup(
                group=group,
                label=GROUP_LABELS[group],
                identities=_hidden(len(rows)),
                with_stay=_hidden(sum(1 for o in rows if o.stays)),
                readmitted=_hidden(readmitted),
                # Readmissions of fewer than 5 people could single them out, so they hide with them.
                readmissions=None if 0 < readmitted < SMALL_NUMBER else sum(o.readmissions for o in rows),
                rows_shown=len(rows) >= SMALL_NUMBER,
            )
        )
    return groups


def exportable_rows(outcomes: list[IdentityOutcome]) -> list[IdentityOutcome]:
    """The per-key rows for the CSV: only those of groups of 5 identities or more."""
    shown = {g.group for g in summarise(outcomes) if g.rows_shown}
    return [o for o in outcomes if o.group in shown]
