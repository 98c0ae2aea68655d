"""The schedule of works on an adaptations case: items with quantities and prices, fees, contractors' quotes
(at least the number the council's policy asks for, compared), the chosen contractor and variations during
the works with their reason.

The approved cost is the chosen quote plus the fees plus the variations. When it changes and a grant has
been worked out, the grant is worked out again by `engines.dfg` (through `grants.apply_grant`) with the
contribution recorded; a change that would take the grant above the DFG maximum without a top-up is refused
and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from homeward.adaptations import grants
from homeward.adaptations.codes import AdaptationStatus, WorkKind
from homeward.adaptations.models import AdaptationCase, Quote, Variation, WorkItem
from homeward.adaptations.services import case_event, check_text, locked_case
from homeward.core.errors import ValidationFailed, check_choice
from homeward.core.validators import check_date
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

#: Schedules and quotes are made from assessment (works identified) until the works are done.
SCHEDULE_STAGES = (AdaptationStatus.ASSESSMENT, AdaptationStatus.APPLICATION, AdaptationStatus.APPROVAL)
VARIATION_STAGES = (AdaptationStatus.WORKS,)
MAX_ITEMS = 100
MAX_QUOTES = 10
MAX_VARIATIONS = 50
LIMIT = Decimal("1000000")


def min_quotes() -> int:
    """How many quotes the council's policy asks for before a contractor is chosen (issue 17: at least
    two); set `HOMEWARD_ADAPTATIONS_MIN_QUOTES` for a policy that asks for more."""
    return max(2, int(getattr(settings, "HOMEWARD_ADAPTATIONS_MIN_QUOTES", 2)))


def _money(
    errors: dict[str, str], field: str, value: Decimal | None, label: str, *, signed: bool = False
) -> None:
    if value is None:
        errors[field] = f"Enter the {label}"
    elif not signed and value <= 0:
        errors[field] = f"The {label} must be more than £0"
    elif signed and value == 0:
        errors[field] = f"The {label} cannot be £0"
    elif abs(value) > LIMIT:
        errors[field] = f"The {label} must be £1,000,000 or less"
    elif value != value.quantize(Decimal("0.01")):
        errors[field] = f"The {label} must be in pounds and pence"


def _day(errors: dict[str, str], field: str, value: dt.date | None, label: str) -> None:
    if value is None:
        errors[field] = f"Enter the date {label}"
    elif value > timezone.localdate():
        errors[field] = f"The date {label} cannot be in the future"
    else:
        check_date(errors, field, value, label=f"The date {label}")


def _stage(errors: dict[str, str], case: AdaptationCase, stages: tuple[str, ...], what: str) -> None:
    if case.status not in stages:
        errors["case"] = f"{what} while the case is at {case.get_status_display().lower()}"


@dataclass(frozen=True)
class Totals:
    works: Decimal
    fees: Decimal
    schedule: Decimal
    chosen: Quote | None
    variations: Decimal
    approved_cost: Decimal | None


def totals(case: AdaptationCase) -> Totals:
    """Running totals: the schedule (works and fees), the chosen quote, the variations and the approved
    cost (chosen quote + fees + variations; None until a contractor is chosen)."""
    items = list(case.work_items.all())
    works = sum((item.total for item in items if item.kind == WorkKind.WORKS), Decimal(0))
    fees = sum((item.total for item in items if item.kind != WorkKind.WORKS), Decimal(0))
    chosen = case.quotes.filter(chosen=True).first()
    variations = case.variations.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    approved = chosen.amount + fees + variations if chosen else None
    return Totals(works, fees, works + fees, chosen, variations, approved)


def _regrant(actor: Actor, case: AdaptationCase, why: str) -> None:
    """Work the grant out again for the new approved cost, if one was worked out."""
    new = totals(case).approved_cost
    if case.grant is None or new is None or new == case.cost_of_works:
        return
    grants.apply_grant(
        actor=actor,
        case=case,
        cost_of_works=new,
        contribution=min(case.contribution or Decimal(0), new),
        top_up_amount=case.discretionary or None,
        top_up_reference=case.top_up_reference,
        title=f"Grant worked out again: {why}",
    )


def _audit(actor: Actor, case: AdaptationCase, purpose: str, obj: object, detail: dict[str, str]) -> None:
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose=purpose,
        obj=obj,
        person_id=case.person_id,
        detail=detail,
    )


@transaction.atomic
def add_item(
    *,
    actor: Actor,
    case_id: int,
    kind: str,
    description: str,
    quantity: Decimal | None,
    unit_price: Decimal | None,
) -> WorkItem:
    case = locked_case(actor, case_id)
    errors: dict[str, str] = {}
    _stage(errors, case, SCHEDULE_STAGES + VARIATION_STAGES, "The schedule of works cannot change")
    check_choice(errors, "kind", kind, WorkKind)
    check_text(errors, "description", description, 200, required="Say what the item of work is")
    if quantity is None or quantity <= 0 or quantity > 10_000:
        errors["quantity"] = "The quantity must be more than 0 and at most 10,000"
    _money(errors, "unit_price", unit_price, "price")
    if case.work_items.count() >= MAX_ITEMS:
        errors["description"] = f"A schedule has at most {MAX_ITEMS} items"
    if errors:
        raise ValidationFailed(errors)
    assert quantity is not None and unit_price is not None
    item = WorkItem.objects.create(
        case=case,
        kind=kind,
        description=description.strip(),
        quantity=quantity,
        unit_price=unit_price,
        added_by=actor.user,
        added_at=timezone.now(),
    )
    case_event(case, actor, "Item added to the schedule of works", f"{item.description}: £{item.total:,.2f}")
    if kind != WorkKind.WORKS:
        _regrant(actor, case, f"fee added ({item.description})")
    _audit(actor, case, "Add an item to a schedule of works", item, {"total": str(item.total)})
    return item


@transaction.atomic
def add_quote(
    *,
    actor: Actor,
    case_id: int,
    contractor: str,
    amount: Decimal | None,
    received_on: dt.date | None,
    note: str = "",
) -> Quote:
    case = locked_case(actor, case_id)
    errors: dict[str, str] = {}
    _stage(errors, case, SCHEDULE_STAGES, "Quotes cannot be added")
    check_text(errors, "contractor", contractor, 200, required="Name the contractor")
    _money(errors, "amount", amount, "quote")
    _day(errors, "received_on", received_on, "the quote was received")
    check_text(errors, "note", note, 500)
    if case.quotes.count() >= MAX_QUOTES:
        errors["contractor"] = f"A case has at most {MAX_QUOTES} quotes"
    elif case.quotes.filter(contractor__iexact=contractor.strip()).exists():
        errors["contractor"] = f"{contractor.strip()} has already quoted; record a variation or a new case"
    if errors:
        raise ValidationFailed(errors)
    assert amount is not None and received_on is not None
    quote = Quote.objects.create(
        case=case,
        contractor=contractor.strip(),
        amount=amount,
        received_on=received_on,
        note=note.strip(),
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    case_event(case, actor, "Quote recorded", f"{quote.contractor}: £{amount:,.2f}")
    _audit(actor, case, "Record a contractor's quote", quote, {"amount": str(amount)})
    return quote


def compare(case: AdaptationCase) -> list[dict[str, object]]:
    """The quotes, cheapest first, each with how much more than the cheapest it is."""
    quotes = list(case.quotes.order_by("amount", "pk"))
    cheapest = quotes[0].amount if quotes else Decimal(0)
    return [
        {"quote": q, "above_cheapest": q.amount - cheapest, "cheapest": i == 0} for i, q in enumerate(quotes)
    ]


@transaction.atomic
def choose_contractor(*, actor: Actor, case_id: int, quote_id: int | None, reason: str = "") -> Quote:
    """Choose the contractor from at least `min_quotes()` quotes; a quote that is not the cheapest needs
    the reason. The approved cost changes, so a worked-out grant is worked out again."""
    case = locked_case(actor, case_id)
    errors: dict[str, str] = {}
    _stage(errors, case, SCHEDULE_STAGES, "The contractor cannot be chosen")
    count, needed = case.quotes.count(), min_quotes()
    if count < needed:
        errors["quote_id"] = (
            f"The council's policy needs at least {needed} quotes before a contractor is chosen; "
            f"{count} recorded"
        )
    quote = case.quotes.filter(pk=quote_id).first() if quote_id else None
    if quote is None and "quote_id" not in errors:
        errors["quote_id"] = "Choose one of the quotes on this case"
    check_text(errors, "reason", reason, 500)
    if quote is not None and not errors:
        cheapest = case.quotes.order_by("amount", "pk").first()
        if cheapest is not None and quote.amount > cheapest.amount and not reason.strip():
            errors["reason"] = (
                f"Say why {quote.contractor} is chosen over the cheapest quote "
                f"({cheapest.contractor}, £{cheapest.amount:,.2f})"
            )
    if errors:
        raise ValidationFailed(errors)
    assert quote is not None
    case.quotes.filter(chosen=True).update(chosen=False, chosen_reason="")
    quote.chosen, quote.chosen_reason = True, reason.strip()
    quote.save(update_fields=["chosen", "chosen_reason"])
    case_event(
        case,
        actor,
        "Contractor chosen",
        f"{quote.contractor}: £{quote.amount:,.2f}" + (f". {reason.strip()}" if reason.strip() else ""),
    )
    _regrant(actor, case, f"contractor chosen ({quote.contractor})")
    _audit(actor, case, "Choose the contractor", quote, {"amount": str(quote.amount)})
    return quote


@transaction.atomic
def add_variation(
    *,
    actor: Actor,
    case_id: int,
    description: str,
    amount: Decimal | None,
    reason: str,
    agreed_on: dt.date | None,
) -> Variation:
    """A change to the works once they are under way (more or less), with its reason; the approved cost
    and a worked-out grant follow."""
    case = locked_case(actor, case_id)
    errors: dict[str, str] = {}
    _stage(errors, case, VARIATION_STAGES, "Variations are recorded during the works, not")
    check_text(errors, "description", description, 200, required="Say what changes in the works")
    check_text(errors, "reason", reason, 500, required="Say why the works change")
    _money(errors, "amount", amount, "variation", signed=True)
    _day(errors, "agreed_on", agreed_on, "the variation was agreed")
    if agreed_on and case.approved_on and agreed_on < case.approved_on and "agreed_on" not in errors:
        errors["agreed_on"] = (
            f"A variation cannot be agreed before the approval ({case.approved_on:%-d %b %Y})"
        )
    chosen = case.quotes.filter(chosen=True).first()
    if chosen is None and "case" not in errors:
        errors["case"] = "Choose the contractor before recording a variation"
    if case.variations.count() >= MAX_VARIATIONS:
        errors["description"] = f"A case has at most {MAX_VARIATIONS} variations"
    if not errors and amount is not None:
        after = (totals(case).approved_cost or Decimal(0)) + amount
        if after <= 0:
            errors["amount"] = "The variation would bring the cost of the works to £0 or less"
    if errors:
        raise ValidationFailed(errors)
    assert amount is not None and agreed_on is not None
    variation = Variation.objects.create(
        case=case,
        description=description.strip(),
        amount=amount,
        reason=reason.strip(),
        agreed_on=agreed_on,
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    case_event(
        case, actor, "Variation agreed", f"{variation.description}: £{amount:+,.2f}. {variation.reason}"
    )
    try:
        _regrant(actor, case, f"variation ({variation.description})")
    except ValidationFailed as exc:
        raise ValidationFailed({"amount": " ".join(exc.errors.values())}) from None
    _audit(actor, case, "Record a variation to the works", variation, {"amount": str(amount)})
    return variation
