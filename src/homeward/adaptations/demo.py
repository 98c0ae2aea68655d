"""Demo adaptations: the city council's adaptations team with cases in every stage over the past year and a
half, some urgent, some breaching a statutory clock, one refused and one withdrawn, and the home improvement
agency (Northgate Care and Repair) taking part in some under an agreement. Everything goes through the
services; every figure is synthetic (the grant rule's maximum and land charge come from engines.dfg)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from homeward.adaptations import grants, services, team
from homeward.adaptations.codes import AdaptationStatus as S
from homeward.core.models import Organisation, Person
from homeward.governance.access import Actor
from homeward.governance.demo import make_agreement

NEEDS = [
    "Level-access shower in place of the bath; cannot step over the bath edge",
    "Stair-lift: cannot manage the stairs to the only toilet",
    "Ramp and wider door at the front: uses a wheelchair outdoors",
    "Through-floor lift; bedroom and bathroom upstairs",
    "Grab rails and a second banister after a fall",
    "Ground-floor bedroom and wet room extension for a disabled child",
    "Kitchen adaptations: lowered worktop and hob for a wheelchair user",
    "Level access to the garden and a key safe",
]
TENURES = [
    "owner_occupier",
    "owner_occupier",
    "council_tenant",
    "housing_association_tenant",
    "private_tenant",
]
SOURCES = ["ot", "ot", "ot", "gp", "hospital", "housing_officer", "self_referral"]
#: Where each demo case stops, in order: every stage, two clocks breached, a refusal and a withdrawal.
PLAN: list[tuple[str, str]] = [
    (S.FIRST_CONTACT, ""),
    (S.FIRST_CONTACT, ""),
    (S.ASSESSMENT, ""),
    (S.ASSESSMENT, ""),
    (S.ASSESSMENT, ""),
    (S.APPLICATION, ""),
    (S.APPLICATION, ""),
    (S.APPLICATION, ""),
    (S.APPROVAL, ""),
    (S.APPROVAL, ""),
    (S.APPROVAL, "decision_late"),
    (S.WORKS, ""),
    (S.WORKS, ""),
    (S.WORKS, "works_late"),
    (S.SIGN_OFF, ""),
    (S.SIGN_OFF, ""),
    (S.CLOSED, ""),
    (S.CLOSED, ""),
    (S.CLOSED, "top_up"),
    (S.REFUSED, ""),
    (S.WITHDRAWN, ""),
]
ORDER: list[str] = [S.FIRST_CONTACT, S.ASSESSMENT, S.APPLICATION, S.APPROVAL, S.WORKS, S.SIGN_OFF, S.CLOSED]


def _gaps(rng: random.Random, twist: str) -> dict[str, int]:
    """Days between the dates of one case (synthetic, shaped like a year-long DFG journey)."""
    return {
        "first_contact_on": rng.randint(2, 15),
        "assessed_on": rng.randint(14, 60),
        "application_submitted_on": rng.randint(21, 50),
        "application_valid_on": rng.randint(3, 20),
        "approved_on": rng.randint(20, 90),
        "works_started_on": rng.randint(14, 45),
        "works_completed_on": rng.randint(10, 60),
        "inspection_passed_on": rng.randint(3, 15),
        "paid_on": rng.randint(5, 25),
    }


#: The dates each stop has reached, in order (after the enquiry).
REACHED: dict[str, list[str]] = {
    S.FIRST_CONTACT: [],
    S.ASSESSMENT: ["first_contact_on"],
    S.APPLICATION: ["first_contact_on", "assessed_on"],
    S.APPROVAL: ["first_contact_on", "assessed_on", "application_submitted_on", "application_valid_on"],
    S.REFUSED: ["first_contact_on", "assessed_on", "application_submitted_on", "application_valid_on"],
    S.WITHDRAWN: ["first_contact_on"],
}
REACHED[S.WORKS] = [*REACHED[S.APPROVAL], "approved_on", "works_started_on"]
REACHED[S.SIGN_OFF] = [*REACHED[S.WORKS], "works_completed_on"]
REACHED[S.CLOSED] = [*REACHED[S.SIGN_OFF], "inspection_passed_on", "paid_on"]


def _dates(rng: random.Random, stop: str, twist: str, today: dt.date) -> dict[str, dt.date]:
    """The dates a case reached, the last some days ago: a late decision's valid application 200 days
    ago (6 months passed), a late works' approval 380 days ago (12 months passed)."""
    gaps = _gaps(rng, twist)
    names = REACHED[stop]
    if twist == "decision_late":
        age = 200
    elif twist == "works_late":
        age = 380 - gaps["works_started_on"]
    elif stop == S.REFUSED:
        age = rng.randint(50, 90)  # decided 45 days after the valid application
    else:
        age = rng.randint(3, 40)
    day = today - dt.timedelta(days=sum(gaps[name] for name in names) + age)
    dates = {"enquiry_received_on": day}
    for name in names:
        day += dt.timedelta(days=gaps[name])
        dates[name] = day
    return dates


def _walk(
    actor: Actor, case_id: int, stop: str, dates: dict[str, dt.date], rng: random.Random, twist: str
) -> None:
    def move(to: str, on: dt.date, **extra: object) -> None:
        services.move_case(actor=actor, case_id=case_id, to_status=to, on=on, **extra)  # type: ignore[arg-type]

    target = S.APPROVAL if stop == S.REFUSED else stop
    if stop == S.WITHDRAWN:
        move(S.ASSESSMENT, dates["first_contact_on"])
        move(S.WITHDRAWN, dates["first_contact_on"], note="The applicant moved to live with family")
        return
    steps = ORDER[1 : ORDER.index(target) + 1]
    for status in steps:
        if status == S.ASSESSMENT:
            move(status, dates["first_contact_on"])
        elif status == S.APPLICATION:
            move(status, dates["assessed_on"])
        elif status == S.APPROVAL:
            move(status, dates["application_submitted_on"])
            if "application_valid_on" in dates:
                services.record_dates(
                    actor=actor, case_id=case_id, application_valid_on=dates["application_valid_on"]
                )
                cost = Decimal(rng.randrange(2500, 26000, 50))
                if twist == "top_up":
                    cost = Decimal("36500.00")
                contribution = (
                    Decimal(0)
                    if rng.random() < 0.7 or twist == "top_up"
                    else Decimal(rng.randrange(250, 2500, 10))
                )
                grants.record_grant(
                    actor=actor,
                    case_id=case_id,
                    cost_of_works=cost,
                    contribution=contribution,
                    top_up_amount=Decimal("6500.00") if twist == "top_up" else None,
                    top_up_reference="Northgate Housing Assistance Policy 2025, section 4 (demo)"
                    if twist == "top_up"
                    else "",
                )
        elif status == S.WORKS:
            move(status, dates["approved_on"])
            if "works_started_on" in dates:
                services.record_dates(
                    actor=actor, case_id=case_id, works_started_on=dates["works_started_on"]
                )
        elif status == S.SIGN_OFF:
            move(status, dates["works_completed_on"])
        elif status == S.CLOSED:
            move(status, dates["paid_on"], inspection_passed_on=dates["inspection_passed_on"])
    if stop == S.REFUSED:
        decided = dates["application_valid_on"] + dt.timedelta(days=45)
        move(
            S.REFUSED,
            decided,
            refusal_reason="The works are not necessary and appropriate to meet the applicant's needs",
            review_by=decided + dt.timedelta(days=28),
        )


def seed_adaptations(
    *, council: Organisation, agency: Organisation, people: Sequence[Person], actor: Actor, rng: random.Random
) -> list[int]:
    """Seed the council's adaptations cases (one per person, as many as PLAN has); returns their ids."""
    make_agreement(
        reference="DSA-MCC-VOL-ADAPT-01",
        title="Adaptations: the city council and Northgate Care and Repair (home improvement agency)",
        purpose="Survey, price and oversee adaptations for the council's disabled facilities grants.",
        parties=[council, agency],
        start_date=dt.date(2025, 4, 1),
    )
    today = timezone.localdate()
    ids = []
    for person, (stop, twist) in zip(people, PLAN, strict=False):
        dates = _dates(rng, stop, twist, today)
        urgent = rng.random() < 0.2
        case = services.open_case(
            actor=actor,
            person_id=person.pk,
            source=rng.choice(SOURCES),
            tenure=rng.choice(TENURES),
            needs=rng.choice(NEEDS),
            enquiry_received_on=dates["enquiry_received_on"],
            priority="urgent" if urgent else "standard",
            priority_reason="Waiting in hospital for the adaptation" if urgent else "",
            address=", ".join(line for line in (person.address_line_1, person.town) if line) or "Northgate",
        )
        if stop not in (S.FIRST_CONTACT, S.WITHDRAWN) and rng.random() < 0.5:
            team.add_participant(
                actor=actor, case_id=case.pk, organisation_id=agency.pk, reason="Survey and schedule of works"
            )
        _walk(actor, case.pk, stop, dates, rng, twist)
        ids.append(case.pk)
    return ids
