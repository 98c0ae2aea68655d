"""Referral pages: the inbox (incoming and outgoing), sending one, and answering it."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.access import shared_fields_of
from homeward.governance.fields import FIELD_GROUPS
from homeward.governance.routes import personal_data
from homeward.people.selectors import get_person
from homeward.referrals import directory, selectors, services
from homeward.referrals.codes import FAILED_OUTCOMES, Outcome, ReferralStatus
from homeward.referrals.forms import MessageForm, MoveReferralForm, SendReferralForm
from homeward.referrals.lifecycle import OPEN_STATUSES
from homeward.referrals.sources import resolve_source
from homeward.web.views import (
    ActorRequest,
    actor_required,
    counted_page,
    need,
    render_form,
    row_form,
    save_form,
)

BOXES = {"incoming": "Sent to us", "outgoing": "Sent by us", "all": "All we can see"}

# What each move is called on a button, and whether it asks for a reason or an outcome.
MOVE_LABELS = {
    ReferralStatus.ACCEPTED: "Accept",
    ReferralStatus.REJECTED: "Reject",
    ReferralStatus.IN_PROGRESS: "Start work",
    ReferralStatus.ON_HOLD: "Put on hold",
    ReferralStatus.COMPLETED: "Complete with outcome",
    ReferralStatus.FAILED: "Close as not achieved",
    ReferralStatus.CANCELLED: "Cancel referral",
    ReferralStatus.ENTERED_IN_ERROR: "Entered in error",
}
NEEDS_REASON = (ReferralStatus.REJECTED, ReferralStatus.ON_HOLD, ReferralStatus.CANCELLED)


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def inbox(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role has no referrals")
    box = request.GET.get("box", "incoming")
    box = box if box in BOXES else "incoming"
    show = "all" if request.GET.get("show") == "all" else "open"
    page: Any
    if show == "all":
        page = selectors.history(request.actor, request.GET.get("before"), box)
    else:
        page = counted_page(selectors.open_referrals(request.actor, box), request.GET.get("page"))
    selectors.record_inbox_view(actor=request.actor, box=box, referral_ids=[r.pk for r in page])
    return render(request, "referrals/inbox.html", {"page": page, "box": box, "boxes": BOXES, "show": show})


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def send(request: ActorRequest, person_id: int) -> HttpResponse:
    """Refer a person on to another organisation's service, from a case or on its own."""
    need(request, Permission.EDIT_PERSON, "Your role cannot make referrals")
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Make a referral")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    source_type = request.GET.get("source_type", "")
    source_id = int(request.GET["source_id"]) if request.GET.get("source_id", "").isdigit() else None
    source = resolve_source(request.actor, source_type, source_id)
    if source_type and (source is None or source.person_id != person.pk):
        raise Http404("No case of yours about this person with that id")
    service_uuid = _uuid_or_none(request.GET.get("service", ""))
    service = directory.Service.objects.filter(pk=service_uuid).first() if service_uuid else None
    form = SendReferralForm(request.POST or None, actor=request.actor, service=service)

    def _send(data: dict[str, Any]) -> Any:
        try:
            return services.send_referral(
                actor=request.actor,
                person_id=person.pk,
                to_organisation_id=data["to_organisation"].pk if data["to_organisation"] else 0,
                service_id=str(data["service"]) if data["service"] else None,
                shared_fields=data["shared_fields"],
                service_kind=data["service_kind"],
                reason=data["reason"],
                urgency=data["urgency"],
                consent_status=data["consent_status"],
                lawful_basis=data["lawful_basis"],
                source_type=source_type if source else "",
                source_id=source_id if source else None,
            )
        except ValidationFailed as exc:
            names = {"to_organisation_id": "to_organisation", "source_id": "__all__", "service_id": "__all__"}
            raise ValidationFailed({names.get(k, k): v for k, v in exc.errors.items()}) from exc

    referral = save_form(request, form, _send)
    if referral is not None:
        messages.info(request, f"Referral {referral.reference} sent to {referral.to_organisation.name}")
        return redirect(source.url if source else "referrals:detail", *([] if source else [referral.pk]))
    context = {"form": form, "person": person, "source": source, "service": service}
    return render_form(request, "referrals/send.html", context)


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@actor_required
@personal_data("referral_id", Permission.VIEW_PERSON)
def detail(request: ActorRequest, referral_id: int) -> HttpResponse:
    return _detail_page(request, _referral_or_404(request, referral_id))


def _referral_or_404(request: ActorRequest, referral_id: int) -> Any:
    try:
        return selectors.get_referral(actor=request.actor, referral_id=referral_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _detail_page(
    request: ActorRequest,
    referral: Any,
    *,
    message_form: MessageForm | None = None,
    move_form: MoveReferralForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The referral page; `message_form` or `move_form` is a refused one, shown again as typed with its
    errors (a move's form at its own button: each move is a form of its own)."""
    moves = [
        {
            "status": to_status,
            "label": MOVE_LABELS[ReferralStatus(to_status)],
            "needs_reason": to_status in NEEDS_REASON,
            "needs_outcome": to_status in (ReferralStatus.COMPLETED, ReferralStatus.FAILED),
            "form": move_form
            if move_form is not None and move_form.data.get("to_status") == to_status
            else row_form(MoveReferralForm, to_status),
        }
        for to_status in services.allowed_moves(request.actor, referral)
    ]
    context = {
        "referral": referral,
        "moves": moves,
        "side": services.side_of(request.actor, referral),
        "events": referral.events.select_related("actor", "organisation"),
        "source": resolve_source(request.actor, referral.source_type, referral.source_id),
        "outcomes": Outcome.choices,
        "failed_outcomes": [str(o) for o in FAILED_OUTCOMES],
        "is_open": referral.status in OPEN_STATUSES,
        "shared": _shared_details(request.actor, referral),
        "thread": referral.messages.select_related("author", "organisation"),
        "can_message": request.actor.organisation_id
        in (referral.from_organisation_id, referral.to_organisation_id),
        "message_form": message_form or MessageForm(),
        "form": move_form or message_form,  # the error summary
        # The receiver can take the person on to a caseload (social prescribing, key work) once accepted.
        "can_take_on": services.side_of(request.actor, referral) == "receiver"
        and referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
        and request.actor.can(Permission.EDIT_PERSON),
    }
    return render(request, "referrals/detail.html", context, status=status)


def _shared_details(actor: Any, referral: Any) -> list[tuple[str, str]]:
    """(label, value) rows of the person's record that this referral shared (and the actor may still see)."""
    groups = shared_fields_of(actor, referral.person)
    person = referral.person
    rows = []
    for key, (label, _fields) in FIELD_GROUPS.items():
        if key not in referral.shared_fields or (groups is not None and key not in groups):
            continue
        if key == "nhs_number":
            value = person.nhs_number_display or "Not known"
        elif key == "date_of_birth":
            value = person.date_of_birth.strftime("%-d %B %Y")
        elif key == "address":
            value = ", ".join(person.address_lines) or "Not known"
        elif key == "contact":
            value = " · ".join(v for v in (person.phone, person.email) if v) or "No phone or email"
        elif key == "language":
            value = person.preferred_language + (
                " (needs an interpreter)" if person.interpreter_required else ""
            )
        else:
            value = person.accessibility_needs or "Not recorded"
        rows.append((label, value))
    return rows


@require_POST
@actor_required
@personal_data("referral_id", Permission.VIEW_PERSON)
def message(request: ActorRequest, referral_id: int) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role has no referrals")
    form = MessageForm(request.POST)

    def _post(data: dict[str, Any]) -> bool:
        services.post_message(actor=request.actor, referral_id=referral_id, body=data["body"])
        return True

    try:
        sent = save_form(request, form, _post)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("referrals:detail", referral_id=referral_id)
    if sent:
        messages.info(request, "Message sent")
        return redirect("referrals:detail", referral_id=referral_id)
    # Refused (empty, too long, a control character pasted in): the page again with the message as typed.
    return _detail_page(request, _referral_or_404(request, referral_id), message_form=form, status=400)


@require_POST
@actor_required
@personal_data("referral_id", Permission.RESPOND_REFERRAL)
def move(request: ActorRequest, referral_id: int) -> HttpResponse:
    need(request, Permission.RESPOND_REFERRAL, "Your role cannot answer referrals")
    to_status = request.POST.get("to_status", "")
    # Each move is its own form on the page; its fields' ids end with the move ("reason-rejected").
    form = row_form(
        MoveReferralForm, to_status if to_status in ReferralStatus.values else "move", request.POST
    )

    def _move(data: dict[str, Any]) -> Any:
        return services.move_referral(actor=request.actor, referral_id=referral_id, **data)

    try:
        moved = save_form(request, form, _move)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("referrals:detail", referral_id=referral_id)
    if moved is None:  # refused (a rejection without a reason …): the page again, the reason as typed
        return _detail_page(request, _referral_or_404(request, referral_id), move_form=form, status=400)
    messages.info(request, f"Referral is now {moved.get_status_display().lower()}")
    if not selectors.visible_referrals(request.actor).filter(pk=referral_id).exists():
        # Rejecting (or a referrer's cancelling) ended this organisation's sight of the person.
        return redirect("referrals:inbox")
    return redirect("referrals:detail", referral_id=referral_id)
