"""Writes of the linkage app: reviewers' decisions (and undoing them), thresholds, alerts.

Each is one transaction, audited; a refusal writes nothing. Runs are in `runs` (a background job)."""

from __future__ import annotations

from functools import partial

from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Membership, OrganisationKind, Tenancy
from homeward.core.roles import Role
from homeward.discharge.codes import CaseStatus
from homeward.discharge.models import DischargeCase
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, DataSharingAgreement, SharingPurpose
from homeward.linkage import identities
from homeward.linkage.codes import DECISION_STATUS, AlertStatus, PairStatus, ReviewDecision
from homeward.linkage.models import (
    LinkageSettings,
    LinkPair,
    PairDecision,
    PersonIdentity,
    TenantInHospitalAlert,
)
from homeward.linkage.policy import check_can_run, linkage_agreement
from homeward.linkage.selectors import visible_alerts, visible_pairs

NOTE_MAX = 2000
#: A hospital stay that is still going: the patient has not left hospital.
IN_HOSPITAL = (CaseStatus.REFERRED, CaseStatus.SCREENING, CaseStatus.ACTIVE, CaseStatus.READY)


def _pair_for_update(actor: Actor, pair_id: int) -> LinkPair:
    """The pair, locked, if the actor may review it (a role that may not review gets NotFound too)."""
    pair = visible_pairs(actor).select_for_update().filter(pk=pair_id).first()
    if pair is None:
        raise NotFound("No pair with that id")
    return pair


@transaction.atomic
def decide_pair(*, actor: Actor, pair_id: int, decision: str, note: str = "") -> LinkPair:
    """A reviewer says whether two records are the same person (link / not the same / unsure)."""
    pair = _pair_for_update(actor, pair_id)
    errors: dict[str, str] = {}
    if decision not in ReviewDecision.values:
        errors["decision"] = "Choose whether these are the same person"
    if len(note) > NOTE_MAX:
        errors["note"] = f"Note must be {NOTE_MAX:,} characters or fewer"
    if decision == ReviewDecision.NOT_SAME and pair.status == PairStatus.REJECTED:
        errors["decision"] = "This pair is already recorded as not the same person"
    if pair.status == PairStatus.RETIRED:
        errors["decision"] = "The model no longer finds this pair: there is nothing to decide"
    if decision == ReviewDecision.UNSURE and not note.strip():
        errors["note"] = "Say what you are unsure about, for the next reviewer"
    if errors:
        raise ValidationFailed(errors)
    target = DECISION_STATUS[ReviewDecision(decision)]
    now = timezone.now()
    PairDecision.objects.create(
        pair=pair,
        from_status=pair.status,
        to_status=target,
        note=note.strip(),
        decided_by=actor.user,
        organisation_id=actor.organisation_id,
        decided_at=now,
    )
    pair.status = target
    pair.decided_by = actor.user
    pair.decided_organisation_id = actor.organisation_id
    pair.decided_at = now
    pair.note = note.strip()
    pair.save(update_fields=["status", "decided_by", "decided_organisation", "decided_at", "note"])
    _after_change(actor, pair, f"Decide a possible person link: {ReviewDecision(decision).label.lower()}")
    return pair


@transaction.atomic
def undo_decision(*, actor: Actor, pair_id: int) -> LinkPair:
    """Undo the pair's latest decision: the pair returns to where it was (and its identities with it)."""
    pair = _pair_for_update(actor, pair_id)
    last = pair.decisions.filter(undone_at__isnull=True).first()
    if last is None:
        raise ValidationFailed.single("decision", "No decision on this pair to undo")
    now = timezone.now()
    last.undone_at = now
    last.save(update_fields=["undone_at"])
    earlier = pair.decisions.filter(undone_at__isnull=True).first()
    pair.status = last.from_status
    pair.decided_by = earlier.decided_by if earlier else None
    pair.decided_organisation = earlier.organisation if earlier else None
    pair.decided_at = earlier.decided_at if earlier else None
    pair.note = earlier.note if earlier else ""
    pair.save(update_fields=["status", "decided_by", "decided_organisation", "decided_at", "note"])
    _after_change(actor, pair, "Undo a decision on a possible person link")
    return pair


def _after_change(actor: Actor, pair: LinkPair, purpose: str) -> None:
    agreement = DataSharingAgreement.objects.get(pk=pair.agreement_id)
    events = identities.rebuild(agreement)
    raise_alerts(agreement)
    for person_id in (pair.left_id, pair.right_id):
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            purpose=purpose,
            obj=pair,
            person_id=person_id,
            detail={"status": pair.status, "identity_events": [e.kind for e in events]},
        )


@transaction.atomic
def set_thresholds(*, actor: Actor, agreement_id: int, upper: float, lower: float) -> LinkageSettings:
    """An agreement's thresholds; they apply from its next run."""
    check_can_run(actor)
    agreement = linkage_agreement(agreement_id, actor)
    errors: dict[str, str] = {}
    if not 0.5 <= upper < 1:
        errors["upper"] = "The link threshold must be at least 0.5 and below 1"
    if not 0.01 <= lower < 1:
        errors["lower"] = "The review threshold must be at least 0.01 and below 1"
    if not errors and lower >= upper:
        errors["lower"] = "The review threshold must be below the link threshold"
    if errors:
        raise ValidationFailed(errors)
    chosen, _ = LinkageSettings.objects.update_or_create(
        agreement=agreement,
        defaults={"upper": upper, "lower": lower, "updated_by": actor.user, "updated_at": timezone.now()},
    )
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Set an agreement's linkage thresholds",
        obj=chosen,
        detail={"agreement": agreement.reference, "upper": upper, "lower": lower},
    )
    return chosen


def raise_alerts(agreement: DataSharingAgreement) -> int:
    """Tell each housing party when a linked tenant of theirs is in hospital with another party.

    Only under an agreement in force naming the tenant-in-hospital purpose; one alert per stay."""
    if not (
        agreement.allows(SharingPurpose.TENANT_IN_HOSPITAL) and agreement.is_in_force(timezone.localdate())
    ):
        return 0
    landlords = {p.pk for p in agreement.parties.all() if p.kind == OrganisationKind.HOUSING_PROVIDER}
    if not landlords:
        return 0
    members: dict[str, list[tuple[int, int]]] = {}
    for person_id, organisation_id, identity in PersonIdentity.objects.filter(
        agreement=agreement
    ).values_list("person_id", "person__organisation_id", "identity"):
        members.setdefault(identity, []).append((person_id, organisation_id))
    today = timezone.localdate()
    tenants_with_home = set(
        Tenancy.objects.filter(person__organisation_id__in=landlords)
        .exclude(end_date__lt=today)
        .values_list("person_id", flat=True)
    )
    raised = 0
    told: set[int] = set()
    for people in members.values():
        tenants = [(p, o) for p, o in people if o in landlords and p in tenants_with_home]
        patients = [p for p, o in people if o not in landlords]
        if not tenants or not patients:
            continue
        stays = DischargeCase.objects.filter(person_id__in=patients, status__in=IN_HOSPITAL).select_related(
            "hospital"
        )
        for stay in stays:
            for tenant_id, landlord in tenants:
                _, created = TenantInHospitalAlert.objects.get_or_create(
                    organisation_id=landlord,
                    tenant_id=tenant_id,
                    source=f"discharge.case:{stay.pk}",
                    defaults={
                        "agreement": agreement,
                        "patient_id": stay.person_id,
                        "hospital_name": stay.hospital.name,
                        "admitted_on": stay.admitted_on,
                        "raised_at": timezone.now(),
                    },
                )
                raised += created
                if created:
                    told.add(landlord)
    for landlord in sorted(told):  # one email per landlord however many tenants, sent once committed
        transaction.on_commit(partial(email_landlord, landlord))
    return raised


def email_landlord(organisation_id: int) -> int:
    """Tell the landlord's staff that a tenant is in hospital: a link to the alerts, no personal details
    (an email may be read anywhere; the names are behind Homeward's sign-in)."""
    staff = Membership.objects.filter(
        organisation_id=organisation_id,
        role__in=[Role.CASEWORKER, Role.TEAM_LEAD],
        is_active=True,
        user__is_active=True,
    ).exclude(user__email="")
    addresses = sorted({m.user.email for m in staff.select_related("user")})
    if not addresses:
        return 0
    link = django_settings.HOMEWARD_BASE_URL + reverse("linkage:alerts")
    return send_mail(
        "Homeward: a tenant of yours is in hospital",
        "Person linkage has matched one of your tenants to a hospital patient whose stay is still going.\n\n"
        f"Sign in to Homeward to see who, and start before the discharge-ready date: {link}\n",
        django_settings.DEFAULT_FROM_EMAIL,
        addresses,
    )


@transaction.atomic
def mark_alert(*, actor: Actor, alert_id: int, status: str) -> TenantInHospitalAlert:
    """The housing officer has seen an alert, or closes it."""
    alert = visible_alerts(actor).select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("No alert with that id")
    if status not in (AlertStatus.SEEN, AlertStatus.CLOSED):
        raise ValidationFailed.single("status", "Choose seen or closed")
    alert.status = status
    if alert.seen_at is None:
        alert.seen_by, alert.seen_at = actor.user, timezone.now()
    alert.save(update_fields=["status", "seen_by", "seen_at"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Mark a tenant-in-hospital alert",
        obj=alert,
        person_id=alert.tenant_id,
        detail={"status": status},
    )
    return alert
