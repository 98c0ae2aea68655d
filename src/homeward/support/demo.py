"""Demo caseloads: a GP practice's referrals to social prescribing over the past year in every state, link
workers' cases (contacts, what matters, goals, wellbeing before and after, onward referrals, discharges),
key-work cases at the housing provider, and an outcome contract with claims reviewed by the ICB.

Everything goes through the services (so each record passes the same checks as one made on a page), then
referral timestamps are moved back to the days they stand for."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from homeward.contracts import services as contracts
from homeward.core.errors import ValidationFailed
from homeward.core.models import Organisation, Person
from homeward.governance.access import Actor
from homeward.referrals import services as referrals
from homeward.referrals.models import (
    Referral,
    ReferralEvent,
    Service,
)
from homeward.support import services
from homeward.support.codes import ContactMethod, GoalStatus, RootCause
from homeward.support.models import Goal, SupportCase
from homeward.support.wellbeing import ONS4, OUTCOME_SCALE, SWEMWBS

REASONS = [
    "Low mood and lonely since her husband died; rarely leaves the flat.",
    "Frequent appointments about pain; would like to be more active.",
    "Money worries: behind on council tax and energy bills.",
    "Carer for his wife, exhausted and isolated.",
    "Recently retired, lost confidence, drinking more.",
    "Type 2 diabetes; wants help with cooking and exercise.",
    "Anxiety about the cold flat and damp; asks about heating help.",
    "New to the area, no friends or family nearby, limited English.",
]
WHAT_MATTERS = [
    "Getting back to the allotment and seeing people there.",
    "Being able to pay the bills without dreading the post.",
    "Having a break from caring now and then.",
    "Feeling useful again, maybe volunteering.",
    "Walking to the shops without getting breathless.",
    "Making a friend or two and a reason to get dressed in the morning.",
]
GOALS = [
    "Go to the Tuesday walking group",
    "Set up a payment plan for the council tax",
    "Apply for Attendance Allowance",
    "Join the community choir",
    "Try the carers' café once a month",
    "Sign up for a cooking-on-a-budget course",
    "Get the boiler checked under the warm homes scheme",
    "Volunteer at the food bank one morning a week",
]


def _answers(tool: Any, level: float, rng: random.Random) -> dict[str, int]:
    """Answers around `level` (0 to 1 of the tool's range)."""
    span = tool.high - tool.low
    out = {}
    for item in tool.items:
        value = round(tool.low + span * min(1.0, max(0.0, rng.gauss(level, 0.12))))
        if item.key == "anxious":  # ONS4 anxiety: higher is worse
            value = tool.high - value + tool.low
        out[item.key] = value
    return out


def _backdate(referral: Referral, times: list[dt.datetime]) -> None:
    """Move a referral's timeline to the times it stands for (one per event, in order)."""
    events = list(referral.events.order_by("occurred_at", "pk"))
    for event, when in zip(events, times, strict=False):
        event.occurred_at = when
    ReferralEvent.objects.bulk_update(events, ["occurred_at"])
    referral.refresh_from_db()
    fields: dict[str, Any] = {"requested_at": times[0]}
    if referral.answered_at:
        fields["answered_at"] = times[min(1, len(times) - 1)]
    if referral.closed_at:
        fields["closed_at"] = times[min(len(events), len(times)) - 1]
    Referral.objects.filter(pk=referral.pk).update(**fields)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))


def _onward_services(exclude: Organisation) -> list[Service]:
    return list(
        Service.objects.filter(accepts_referrals=True, capacity__isnull=True)
        .exclude(organisation__organisation=exclude)
        .exclude(organisation__organisation__isnull=True)
        .select_related("organisation")
        .order_by("name")
    )


def seed_social_prescribing(
    *,
    service: Service,
    gp_patients: list[Person],
    self_referrals: list[Person],
    actors: dict[str, Actor],
    receivers: dict[int, Actor],
    rng: random.Random,
) -> dict[str, int]:
    """GP referrals over the past year, in every state, and the link workers' cases that came of them.

    `service`: the link workers' directory entry; `actors`: gp, linkworker, linklead; `receivers`:
    organisation id -> someone there who answers."""
    today = timezone.localdate()
    gp, worker, lead = actors["gp"], actors["linkworker"], actors["linklead"]
    links = worker.organisation
    onward = _onward_services(links)
    made = {"referrals": 0, "cases": 0, "onward": 0}
    # Referrals that are not taken on: still waiting (some overdue), rejected, cancelled, entered in error.
    fates = ["case"] * len(gp_patients)
    others = ["requested"] * 3 + ["rejected"] * 3 + ["cancelled"] * 2 + ["entered-in-error"]
    for position, fate in zip(rng.sample(range(2, len(gp_patients)), len(others)), others, strict=False):
        fates[position] = fate
    fates[:2] = ["requested", "requested"]  # the newest two are waiting for an answer
    for n, person in enumerate(gp_patients):
        fate = fates[n]
        age_days = 2 + n * 350 // max(1, len(gp_patients)) if fate != "requested" else rng.randint(0, 6)
        sent = today - dt.timedelta(days=age_days)
        referral = referrals.send_referral(
            actor=gp,
            person_id=person.pk,
            to_organisation_id=0,
            service_id=str(service.pk),
            service_kind="social_prescribing",
            reason=rng.choice(REASONS),
            urgency="urgent" if rng.random() < 0.08 else "routine",
            shared_fields=["date_of_birth", "address", "contact", "language", "access_needs"],
        )
        made["referrals"] += 1
        times = [_at(sent, 9 + rng.randint(0, 7))]
        Referral.objects.filter(pk=referral.pk).update(requested_at=times[0])  # the case's referral date
        if fate == "requested":
            _backdate(referral, times)
            continue
        if fate in ("cancelled", "entered-in-error"):
            referrals.move_referral(
                actor=gp,
                referral_id=referral.pk,
                to_status=fate,
                reason="Referred to the wrong service" if fate == "cancelled" else "",
            )
            _backdate(referral, times + [times[0] + dt.timedelta(hours=2)])
            continue
        answered = min(today, sent + dt.timedelta(days=rng.choice([0, 1, 1, 2, 3, 5])))
        if fate == "rejected":
            referrals.move_referral(
                actor=worker,
                referral_id=referral.pk,
                to_status="rejected",
                reason="Already supported by the community mental health team",
            )
            _backdate(referral, times + [_at(answered, 11)])
            continue
        referrals.move_referral(actor=worker, referral_id=referral.pk, to_status="accepted")
        times.append(_at(answered, 10))
        case = services.open_case(
            actor=worker,
            person_id=person.pk,
            referral_id=referral.pk,
            worker_id=(worker if rng.random() < 0.7 else lead).user.pk,
        )
        made["cases"] += 1
        _work_case(case, worker, sent, today, rng, onward, receivers, times, made)
        _backdate(referral, times)
    for person in self_referrals:
        sent = today - dt.timedelta(days=rng.randint(3, 300))
        case = services.open_case(
            actor=worker, person_id=person.pk, route="self", referred_on=sent, worker_id=worker.user.pk
        )
        made["cases"] += 1
        _work_case(case, worker, sent, today, rng, onward, receivers, [], made)
    return made


def _work_case(
    case: SupportCase,
    worker: Actor,
    sent: dt.date,
    today: dt.date,
    rng: random.Random,
    onward: list[Service],
    receivers: dict[int, Actor],
    times: list[dt.datetime],
    made: dict[str, int],
) -> None:
    """Contacts, what matters, goals, wellbeing, onward referrals and (for older cases) discharge."""
    first = sent + dt.timedelta(days=max(0, int(rng.expovariate(1 / 7))))
    if first > today or rng.random() < 0.06:
        return  # still waiting for a first contact
    services.record_contact(
        actor=worker,
        case_id=case.pk,
        occurred_on=first,
        method=rng.choice(ContactMethod.values),
        minutes=rng.choice([20, 30, 45, 60]),
        note="First conversation",
    )
    if case.referral_id:
        times.append(_at(first, 14))
    services.save_what_matters(actor=worker, case_id=case.pk, text=rng.choice(WHAT_MATTERS), on=first)
    level = rng.uniform(0.2, 0.5)
    for tool in (SWEMWBS, ONS4, OUTCOME_SCALE):
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool=tool.key,
            timepoint="baseline",
            recorded_on=first,
            answers=_answers(tool, level, rng),
        )
    goals = [services.add_goal(actor=worker, case_id=case.pk, description=g) for g in rng.sample(GOALS, 2)]
    Goal.objects.filter(case=case).update(set_on=first, updated_on=first)  # agreed at the first meeting
    for k in range(rng.randint(1, 5)):
        day = first + dt.timedelta(days=7 * (k + 1))
        if day <= today:
            services.record_contact(
                actor=worker,
                case_id=case.pk,
                occurred_on=day,
                method=rng.choice(ContactMethod.values),
                minutes=rng.choice([15, 30, 45]),
            )
    if onward and rng.random() < 0.6:
        _refer_on(case, worker, rng.choice(onward), first, today, rng, receivers, made)
    end = first + dt.timedelta(days=rng.randint(45, 120))
    if end > today:
        if rng.random() < 0.5:
            services.update_goal(
                actor=worker, case_id=case.pk, goal_id=goals[0].pk, status=GoalStatus.WORKING
            )
            Goal.objects.filter(pk=goals[0].pk).update(updated_on=min(today, first + dt.timedelta(days=14)))
        return
    gain = rng.gauss(0.12, 0.1)
    for tool in (SWEMWBS, ONS4, OUTCOME_SCALE):
        services.record_measure(
            actor=worker,
            case_id=case.pk,
            tool=tool.key,
            timepoint="follow_up",
            recorded_on=end,
            answers=_answers(tool, level + gain, rng),
        )
    achieved = gain > 0.05
    services.update_goal(
        actor=worker,
        case_id=case.pk,
        goal_id=goals[0].pk,
        status=GoalStatus.ACHIEVED if achieved else GoalStatus.NOT_ACHIEVED,
    )
    Goal.objects.filter(pk=goals[0].pk).update(updated_on=end)
    reason = (
        rng.choice(["goals_met", "goals_met", "partly_met", "onward"])
        if achieved
        else rng.choice(["partly_met", "disengaged", "declined"])
    )
    services.discharge(
        actor=worker,
        case_id=case.pk,
        reason=reason,
        on=end,
        note="Connected to groups nearby" if achieved else "",
    )
    if case.referral_id:
        times.append(_at(end, 16))


def _refer_on(
    case: SupportCase,
    worker: Actor,
    service: Service,
    first: dt.date,
    today: dt.date,
    rng: random.Random,
    receivers: dict[int, Actor],
    made: dict[str, int],
) -> None:
    """An onward referral from the case, answered (in some state) by someone at the receiving service."""
    assert service.organisation is not None
    receiver_org = service.organisation.organisation_id
    receiver = receivers.get(receiver_org or 0)
    try:
        referral = referrals.send_referral(
            actor=worker,
            person_id=case.person_id,
            to_organisation_id=0,
            service_id=str(service.pk),
            service_kind="other",
            reason=f"Referred on by the link worker: {service.name.lower()}",
            source_type="support.case",
            source_id=case.pk,
            shared_fields=["contact", "address"],
        )
    except ValidationFailed:
        return  # no agreement with that provider: the link worker signposts instead
    made["onward"] += 1
    sent = first + dt.timedelta(days=rng.randint(1, 14))
    sent = min(sent, today)
    times = [_at(sent, 11)]
    if receiver is not None and rng.random() < 0.85:
        steps = rng.choice(
            [
                ["accepted"],
                ["accepted", "in-progress"],
                ["accepted", "completed"],
                ["accepted", "in-progress", "on-hold"],
                ["rejected"],
                ["accepted", "failed"],
            ]
        )
        for k, step in enumerate(steps):
            extra: dict[str, str] = {}
            if step in ("rejected", "on-hold"):
                extra["reason"] = (
                    "Waiting for the person to bring paperwork" if step == "on-hold" else "Out of area"
                )
            if step == "completed":
                extra |= {"outcome": rng.choice(["need_met", "partly_met"]), "outcome_note": "Seen twice"}
            if step == "failed":
                extra["outcome"] = "no_contact"
            referrals.move_referral(actor=receiver, referral_id=referral.pk, to_status=step, **extra)
            times.append(_at(min(today, sent + dt.timedelta(days=3 * (k + 1))), 13))
    _backdate(referral, times)


def seed_key_work(*, people: list[Person], worker: Actor, rng: random.Random) -> int:
    """Key-work cases at the housing provider: tenants who often attend A&E, and what lies behind it."""
    today = timezone.localdate()
    for person in people:
        start = today - dt.timedelta(days=rng.randint(10, 200))
        case = services.open_case(
            actor=worker,
            person_id=person.pk,
            kind="key_worker",
            route=rng.choice(["hospital", "gp"]),
            referred_on=start,
            worker_id=worker.user.pk,
            attendances_before=rng.randint(6, 30),
        )
        services.record_contact(
            actor=worker,
            case_id=case.pk,
            occurred_on=min(today, start + dt.timedelta(days=3)),
            method="home_visit",
            minutes=90,
            note="Perfect-week review with the GP",
        )
        services.set_root_causes(
            actor=worker,
            case_id=case.pk,
            causes=rng.sample(RootCause.values, 3),
            attendances_before=case.attendances_before,
        )
        services.save_what_matters(
            actor=worker,
            case_id=case.pk,
            text=rng.choice(WHAT_MATTERS),
            on=min(today, start + dt.timedelta(days=3)),
        )
    return len(people)


def seed_contract(*, commissioner: Actor, provider_lead: Actor, rng: random.Random) -> None:
    """One outcome contract from the ICB to the link-worker service, with claims, most of them reviewed."""
    today = timezone.localdate()
    contract = contracts.create_contract(
        actor=commissioner,
        reference="SIB-NG-2026",
        title="Northgate social prescribing: outcomes partnership",
        provider_id=provider_lead.organisation_id,
        start_date=today - dt.timedelta(days=365),
        end_date=today + dt.timedelta(days=365),
        total_cap=Decimal("25000.00"),
        person_cap=Decimal("700.00"),
    )
    for outcome, price, threshold, evidence in [
        ("engaged", "90.00", None, "Contact log with the date of the what-matters conversation"),
        ("swemwbs_gain", "300.00", "3", "Baseline and follow-up SWEMWBS forms signed by the person"),
        ("ons4_life_gain", "150.00", "2", "Baseline and follow-up ONS4 answers"),
        ("goal_achieved", "120.00", None, "Goal record reviewed with the person"),
    ]:
        contracts.add_line(
            actor=commissioner,
            contract_id=contract.pk,
            outcome=outcome,
            price=Decimal(price),
            threshold=Decimal(threshold) if threshold else None,
            evidence=evidence,
            claim_within_days=365,
        )
    run = contracts.generate_claims(actor=provider_lead, contract_id=contract.pk)
    for claim in run.made[: int(len(run.made) * 0.7)]:
        if rng.random() < 0.08:
            contracts.review_claim(
                actor=commissioner,
                claim_id=claim.pk,
                decision="rejected",
                note="Follow-up form missing the person's signature",
            )
        else:
            contracts.review_claim(actor=commissioner, claim_id=claim.pk, decision="approved")
