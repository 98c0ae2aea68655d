"""Writes for outcome contracts: set one up, claim for outcomes achieved, review the claims.

Claims never exceed a cap. They are made in the order the outcomes were achieved, under a lock on the
contract, counting every claim not rejected; a claim that would pass a money cap is cut to what is left
(and marked capped), and one with nothing left is not made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from homeward.contracts.caps import Candidate, Ledger, allocate
from homeward.contracts.codes import COUNTED, NEEDS_THRESHOLD, ClaimStatus, PayableOutcome
from homeward.contracts.models import Claim, OutcomeContract, RateCardLine
from homeward.contracts.outcomes import achieved
from homeward.core.errors import NotAllowed, NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.governance.pseudonym import pseudonymise
from homeward.support.selectors import visible_cases

ZERO = Decimal("0.00")


def visible_contracts(actor: Actor) -> QuerySet[OutcomeContract]:
    """Contracts the actor's organisation commissions (for commissioners) or provides (for its leads)."""
    mine = Q(pk__in=[])
    if actor.can(Permission.REVIEW_CLAIMS) or actor.can(Permission.MANAGE_CONTRACTS):
        mine |= Q(commissioner_id=actor.organisation_id)
    if actor.can(Permission.MAKE_CLAIMS):
        mine |= Q(provider_id=actor.organisation_id)
    return OutcomeContract.objects.filter(mine).select_related("commissioner", "provider")


def get_contract(actor: Actor, contract_id: int) -> OutcomeContract:
    contract = visible_contracts(actor).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound("No contract with that id")
    return contract


def _money(errors: dict[str, str], name: str, value: Decimal | None, *, required: bool = True) -> None:
    if value is None:
        if required:
            errors[name] = "Enter an amount in pounds"
    elif value < 0:
        errors[name] = "Amount cannot be negative"
    elif value != value.quantize(Decimal("0.01")):
        errors[name] = "Enter pounds and pence, e.g. 250.00"


@transaction.atomic
def create_contract(
    *,
    actor: Actor,
    reference: str,
    title: str,
    provider_id: int,
    start_date: dt.date | None,
    end_date: dt.date | None,
    total_cap: Decimal | None,
    person_cap: Decimal | None = None,
) -> OutcomeContract:
    actor.require(Permission.MANAGE_CONTRACTS)
    errors: dict[str, str] = {}
    reference = reference.strip()
    if not reference:
        errors["reference"] = "Enter the contract's reference"
    elif OutcomeContract.objects.filter(reference=reference).exists():
        errors["reference"] = f"There is already a contract {reference}"
    if not title.strip():
        errors["title"] = "Enter a title"
    provider = Organisation.objects.filter(pk=provider_id).first()
    if provider is None:
        errors["provider_id"] = "No organisation with that id"
    elif provider.pk == actor.organisation_id:
        errors["provider_id"] = "The provider is another organisation"
    if start_date is None:
        errors["start_date"] = "Enter the first day outcomes count"
    if end_date is None:
        errors["end_date"] = "Enter the last day outcomes count"
    elif start_date and end_date < start_date:
        errors["end_date"] = "The contract ends after it starts"
    _money(errors, "total_cap", total_cap)
    _money(errors, "person_cap", person_cap, required=False)
    if errors:
        raise ValidationFailed(errors)
    assert provider is not None and start_date and end_date and total_cap is not None
    contract = OutcomeContract.objects.create(
        reference=reference,
        title=title.strip(),
        commissioner_id=actor.organisation_id,
        provider=provider,
        start_date=start_date,
        end_date=end_date,
        total_cap=total_cap,
        person_cap=person_cap,
    )
    record_event(actor=actor, action=AuditAction.CREATE, purpose="Set up an outcome contract", obj=contract)
    return contract


@transaction.atomic
def add_line(
    *,
    actor: Actor,
    contract_id: int,
    outcome: str,
    price: Decimal | None,
    evidence: str,
    threshold: Decimal | None = None,
    per_person: int = 1,
    max_claims: int | None = None,
    claim_within_days: int = 90,
) -> RateCardLine:
    """Add an outcome and its price to a contract's rate card (the commissioner's side)."""
    actor.require(Permission.MANAGE_CONTRACTS)
    contract = visible_contracts(actor).filter(pk=contract_id, commissioner_id=actor.organisation_id).first()
    if contract is None:
        raise NotFound("No contract you commission with that id")
    errors: dict[str, str] = {}
    check_choice(errors, "outcome", outcome, PayableOutcome)
    if contract.lines.filter(outcome=outcome).exists():
        errors["outcome"] = "The rate card already prices this outcome"
    _money(errors, "price", price)
    if outcome in NEEDS_THRESHOLD:
        if threshold is None or threshold <= 0:
            errors["threshold"] = "Enter the smallest gain that counts, above 0"
    elif threshold is not None:
        errors["threshold"] = "Only wellbeing gains have a threshold"
    if not 1 <= per_person <= 10:
        errors["per_person"] = "Enter from 1 to 10 payments per person"
    if max_claims is not None and max_claims < 1:
        errors["max_claims"] = "Enter at least 1, or leave empty for no limit"
    if not evidence.strip():
        errors["evidence"] = "Say what evidence the provider must hold"
    if not 1 <= claim_within_days <= 730:
        errors["claim_within_days"] = "Enter from 1 to 730 days"
    if errors:
        raise ValidationFailed(errors)
    assert price is not None
    line = RateCardLine.objects.create(
        contract=contract,
        outcome=outcome,
        price=price,
        threshold=threshold,
        per_person=per_person,
        max_claims=max_claims,
        evidence=evidence.strip(),
        claim_within_days=claim_within_days,
    )
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Price an outcome",
        obj=contract,
        detail={"line": line.pk},
    )
    return line


@dataclass
class Skipped:
    case_reference: str
    outcome: str
    reason: str


@dataclass
class ClaimRun:
    made: list[Claim] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((c.amount for c in self.made), ZERO)


@transaction.atomic
def generate_claims(*, actor: Actor, contract_id: int, today: dt.date | None = None) -> ClaimRun:
    """Claim for every outcome the provider's cases achieved in the contract period that is not claimed
    yet, within each line's deadline and every cap. Re-running claims only what is new."""
    actor.require(Permission.MAKE_CLAIMS)
    contract = (
        OutcomeContract.objects.select_for_update()
        .filter(pk=contract_id, provider_id=actor.organisation_id)
        .first()
    )
    if contract is None:
        raise NotFound("No contract your organisation provides with that id")
    today = today or timezone.localdate()
    ledger = Ledger()
    for line_id, pseudonym, amount in contract.claims.filter(status__in=COUNTED).values_list(
        "line_id", "pseudonym", "amount"
    ):
        ledger.add(line_id, pseudonym, amount)
    claimed = set(contract.claims.values_list("line_id", "case_id"))
    cases = (
        visible_cases(actor)
        .filter(referred_on__lte=contract.end_date)
        .select_related("person")
        .prefetch_related("goals", "measures", "person__tenancies")
    )
    candidates = []
    for line in contract.lines.all():
        for found in achieved(line.outcome, cases, line.threshold, today):
            if (line.pk, found.case.pk) in claimed:
                continue
            if not contract.start_date <= found.achieved_on <= contract.end_date:
                continue
            candidates.append(
                Candidate(
                    key=(line, found),
                    line=line.pk,
                    person=pseudonymise(found.case.person_id),
                    price=line.price,
                    per_person=line.per_person,
                    max_claims=line.max_claims,
                    achieved_on=found.achieved_on,
                    deadline=found.achieved_on + dt.timedelta(days=line.claim_within_days),
                )
            )
    run = ClaimRun()
    now = timezone.now()
    decisions = allocate(
        candidates, ledger, total_cap=contract.total_cap, person_cap=contract.person_cap, today=today
    )
    for decision in decisions:
        line, found = decision.candidate.key
        if not decision.paid:
            run.skipped.append(Skipped(found.case.reference, line.get_outcome_display(), decision.reason))
            continue
        run.made.append(
            Claim.objects.create(
                contract=contract,
                line=line,
                case=found.case,
                pseudonym=decision.candidate.person,
                case_reference=found.case.reference,
                achieved_on=found.achieved_on,
                evidence=found.evidence[:500],
                amount=decision.amount,
                capped=decision.capped,
                submitted_at=now,
                submitted_by=actor.user,
            )
        )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Claim for outcomes",
        obj=contract,
        detail={"claims": [c.pk for c in run.made], "cases": sorted({c.case_id for c in run.made})},
    )
    return run


@transaction.atomic
def review_claim(*, actor: Actor, claim_id: int, decision: str, note: str = "") -> Claim:
    """The commissioner approves a claim, or rejects it with a reason (which frees its share of the caps)."""
    actor.require(Permission.REVIEW_CLAIMS)
    claim = (
        Claim.objects.select_for_update()
        .filter(pk=claim_id, contract__commissioner_id=actor.organisation_id)
        .first()
    )
    if claim is None:
        raise NotFound("No claim on a contract you commission with that id")
    errors: dict[str, str] = {}
    if decision not in (ClaimStatus.APPROVED, ClaimStatus.REJECTED):
        errors["decision"] = "Approve or reject the claim"
    if decision == ClaimStatus.REJECTED and not note.strip():
        errors["note"] = "Say why the claim is rejected, so the provider can answer it"
    if len(note) > 500:
        errors["note"] = "Note must be 500 characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    if claim.status != ClaimStatus.SUBMITTED:
        raise NotAllowed(f"This claim was already {claim.get_status_display().lower()}")
    claim.status, claim.review_note = decision, note.strip()
    claim.reviewed_at, claim.reviewed_by = timezone.now(), actor.user
    claim.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Review an outcome claim",
        obj=claim,
        detail={"decision": decision},
    )
    return claim


@dataclass(frozen=True)
class LineTotal:
    line: RateCardLine
    submitted: int
    approved: int
    amount: Decimal


@dataclass(frozen=True)
class Totals:
    approved: Decimal
    submitted: Decimal
    rejected: Decimal
    cap: Decimal
    lines: list[LineTotal]

    @property
    def committed(self) -> Decimal:
        return self.approved + self.submitted

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.committed


def totals(contract: OutcomeContract) -> Totals:
    by_status = {
        row["status"]: row["s"] or ZERO for row in contract.claims.values("status").annotate(s=Sum("amount"))
    }
    lines = []
    for line in contract.lines.annotate(
        n_submitted=Count("claims", filter=Q(claims__status=ClaimStatus.SUBMITTED)),
        n_approved=Count("claims", filter=Q(claims__status=ClaimStatus.APPROVED)),
        money=Sum("claims__amount", filter=Q(claims__status__in=COUNTED)),
    ):
        lines.append(LineTotal(line, line.n_submitted, line.n_approved, line.money or ZERO))
    return Totals(
        approved=by_status.get(ClaimStatus.APPROVED, ZERO),
        submitted=by_status.get(ClaimStatus.SUBMITTED, ZERO),
        rejected=by_status.get(ClaimStatus.REJECTED, ZERO),
        cap=contract.total_cap,
        lines=lines,
    )
