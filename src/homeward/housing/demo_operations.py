"""Demo records for running the schemes: a needs and risk assessment for each stay (called from the stay's
demo while the person lives there), and for the hostel an activity timetable with eight weeks of
attendance, recent incidents (one safeguarding), the last week's shift handovers and welfare checks for
residents at risk. Choices come from dates and ids, never from the demo's shared random generator, so no
other demo data changes. Every person and figure is synthetic."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.governance.access import Actor
from homeward.housing import assessment, operations
from homeward.housing.codes import NeedLevel, OutcomeDomain, PlacementStatus
from homeward.housing.models import Placement, Scheme

#: Which outcome domain each key-work area's goal needs support in.
AREA_DOMAIN = {
    "substance_misuse": "be_healthy",
    "physical_health": "be_healthy",
    "mental_health": "be_healthy",
    "work_training": "enjoy_and_achieve",
    "meaningful_activity": "positive_contribution",
    "independent_living": "economic_wellbeing",
    "offending": "stay_safe",
}
NOTES = {
    "be_healthy": "Register with the GP and see the drug and alcohol service",
    "enjoy_and_achieve": "Start the kitchen course at the college",
    "positive_contribution": "Volunteer with the food bank",
    "economic_wellbeing": "Claim benefits and set up a bank account",
    "stay_safe": "Keep to the probation licence; no contact with old associates",
}
ACTIVITIES = [
    ("Gym session", "gym", 0, dt.time(10, 0), 60),
    ("CV and job search", "training", 2, dt.time(14, 0), 90),
    ("Recovery group", "group", 3, dt.time(11, 0), 60),
    ("Cooking on a budget", "skills", 4, dt.time(17, 0), 90),
]
INCIDENTS = [
    ("threat", "Raised voices in the lounge over the television", "Talked both residents down", False),
    ("damage", "Window in the laundry broken", "Repair ordered; area made safe", False),
    ("overdose", "Resident found drowsy in the corridor", "Naloxone given; ambulance called", True),
    ("fire", "Fire alarm set off by cooking", "Building evacuated; brigade stood down", False),
]


def assess_stay(actor: Actor, placement_id: int, arrived: dt.date, areas: list[str], high_risk: bool) -> None:
    """The stay's needs and risk assessment: some done on time, some a little late (from the date)."""
    today = timezone.localdate()
    on = min(today, arrived + dt.timedelta(days=3 + arrived.toordinal() % 32))
    with_need = {AREA_DOMAIN[a] for a in areas}
    needs: dict[str, str] = {
        d.value: (NeedLevel.HIGH.value if high_risk else NeedLevel.SOME.value)
        if d.value in with_need
        else NeedLevel.NONE.value
        for d in OutcomeDomain
    }
    assessment.record_assessment(
        actor=actor,
        placement_id=placement_id,
        assessed_on=on,
        needs=needs,
        notes={d: NOTES[d] for d in with_need},
        welfare_check_hours=4 if high_risk and arrived.toordinal() % 2 else None,
    )
    if high_risk:
        assessment.add_risk(
            actor=actor,
            placement_id=placement_id,
            to_whom="self",
            category="overdose",
            level="high",
            description="Uses heroin alone in the room",
            mitigation="Naloxone kit in the room; welfare checks every four hours; key worker links with "
            "the drug service",
            identified_on=on,
        )


def seed_operations(actor: Actor, hostel: Scheme) -> int:
    """The hostel's timetable, attendance, incidents, handovers and welfare checks; returns rows made."""
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    living = list(Placement.objects.filter(scheme=hostel, status=PlacementStatus.RESIDENT).order_by("pk"))
    for name, kind, weekday, starts, minutes in ACTIVITIES:
        activity = operations.add_activity(
            actor=actor,
            scheme_id=hostel.pk,
            name=name,
            kind=kind,
            weekday=weekday,
            starts_at=starts,
            minutes=minutes,
        )
        last = today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7)
        for week in range(8):
            day = last - dt.timedelta(weeks=week)
            present = operations.residents_on(hostel, day)
            came = [p.pk for i, p in enumerate(living) if p.pk in present and (i + week + weekday) % 3]
            operations.record_attendance(
                actor=actor, scheme_id=hostel.pk, activity_id=activity.pk, held_on=day, placement_ids=came
            )
            made += 1
    for n, (kind, description, action, safeguarding) in enumerate(INCIDENTS):
        at = now - dt.timedelta(days=3 + 6 * n, hours=n)
        day = timezone.localtime(at).date()
        present = operations.residents_on(hostel, day)
        involved = [p.pk for p in living if p.pk in present][n : n + 1]
        incident = operations.record_incident(
            actor=actor,
            scheme_id=hostel.pk,
            occurred_at=at,
            kind=kind,
            description=description,
            action_taken=action,
            placement_ids=involved,
            is_safeguarding=safeguarding,
            ambulance_called=kind == "overdose",
        )
        if n % 2:
            operations.review_incident(
                actor=actor,
                scheme_id=hostel.pk,
                incident_id=incident.pk,
                reviewed_on=day + dt.timedelta(days=1),
                note="Reviewed at the team meeting; no further action",
            )
        made += 1
    for back in range(1, 7):
        for shift, text in (
            ("early", "Quiet morning; two residents at appointments"),
            ("late", "Group ran well; one resident to be checked at 22:00"),
            ("night", "Quiet night; welfare checks done on time"),
        ):
            operations.write_handover(
                actor=actor,
                scheme_id=hostel.pk,
                shift_on=today - dt.timedelta(days=back),
                shift=shift,
                staff_on_duty="Night and day team",
                handover=text,
            )
            made += 1
    for p in living:
        if not p.welfare_check_hours:
            continue
        for hours in (30, 26, 22, 18, 14, 10, 6):
            operations.record_welfare_check(
                actor=actor,
                placement_id=p.pk,
                checked_at=now - dt.timedelta(hours=hours),
                outcome="seen_well",
            )
            made += 1
    return made


#: (days ago, kind, from whom, what was said, what was done): the same for every scheme, in its own words.
FEEDBACK = [
    (
        12,
        "compliment",
        "visitor",
        "The night staff were kind to my father when he was unwell",
        "Thanked the team at the handover",
    ),
    (
        40,
        "suggestion",
        "resident",
        "Could the lounge stay open later at weekends?",
        "Agreed at the residents' meeting: open until 23:00 on Fridays and Saturdays",
    ),
    (
        75,
        "complaint",
        "resident",
        "The laundry has been broken for two weeks",
        "Engineer called; machine replaced; apology given",
    ),
    (
        130,
        "complaint",
        "other",
        "Noise from the garden late at night",
        "Spoke to the residents involved; quiet hours put up in the garden",
    ),
]


def seed_feedback(actor: Actor, scheme: Scheme) -> int:
    """Resident feedback for the scheme's standards evidence: a compliment, a suggestion and two
    complaints, each with what was done; nobody is named."""
    from homeward.housing import feedback

    today = timezone.localdate()
    for days, kind, from_whom, said, done in FEEDBACK:
        feedback.record_feedback(
            actor=actor,
            scheme_id=scheme.pk,
            received_on=today - dt.timedelta(days=days),
            kind=kind,
            from_whom=from_whom,
            summary=said,
            action_taken=done,
        )
    return len(FEEDBACK)
