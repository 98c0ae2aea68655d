"""Demo healthy homes, with its own generator so nothing seeded before it changes: home safety visits to
some of the council's adaptations applicants with HHSRS hazards (a few Category 1, some removed),
handyperson jobs (some done), a falls check by a trained assistant, and the housing provider's Awaab's Law
reports of damp and mould and emergency hazards (met, running, and one breached)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from homeward.adaptations import awaab_reports, visits
from homeward.core.models import Person
from homeward.engines.healthyhomes import default_checklist
from homeward.governance.access import Actor

#: (hazard, likelihood, spread, action) as a surveyor might rate them; scored by the engine.
HAZARDS = [
    ("falls_stairs", 10.0, (1, 0, 0, 99), "adaptation"),  # 1,099: band C, Category 1
    ("damp_and_mould", 180.0, (0, 4, 22, 74), "landlord_repair"),  # 63: band G
    ("excess_cold", 32.0, (3, 10, 30, 57), "warm_homes_referral"),  # band B, Category 1
    ("falls_level_surfaces", 100.0, (0, 10, 30, 60), "handyperson_job"),  # 196: band F
    ("fire", 560.0, (10, 20, 30, 40), "advice"),
]
JOBS = [
    ("grab_rail", "Grab rail by the back door"),
    ("key_safe", "Key safe for carers"),
    ("lighting", "Stair light"),
]


def seed_healthy_homes(
    *,
    council_actor: Actor,
    applicants: Sequence[Person],
    landlord_actor: Actor,
    tenants: Sequence[Person],
    rng: random.Random,
) -> None:
    today = timezone.localdate()
    for n, person in enumerate(applicants[:6]):
        visit = visits.open_visit(
            actor=council_actor, person_id=person.pk, visited_on=today - dt.timedelta(days=20 + 30 * n)
        )
        for hazard, likelihood, spread, action in rng.sample(HAZARDS, 2):
            finding = visits.add_finding(
                actor=council_actor,
                visit_id=visit.pk,
                hazard=hazard,
                likelihood=likelihood,
                spread=spread,
                action=action,
            )
            if n % 2 and finding.category == 1:
                visits.remove_hazard(
                    actor=council_actor,
                    visit_id=visit.pk,
                    finding_id=finding.pk,
                    removed_on=visit.visited_on + dt.timedelta(days=14),
                )
        kind, description = rng.choice(JOBS)
        job = visits.add_job(actor=council_actor, visit_id=visit.pk, kind=kind, description=description)
        if n % 3:
            visits.complete_job(
                actor=council_actor,
                visit_id=visit.pk,
                job_id=job.pk,
                done_on=today,
                minutes=rng.choice((30, 45, 60, 90)),
                materials_cost=Decimal(rng.choice(("12.50", "24.00", "38.75"))),
            )
    if len(applicants) > 6:
        visit = visits.open_visit(
            actor=council_actor,
            person_id=applicants[6].pk,
            kind="falls_check",
            checker_role="trained_assistant",
            visited_on=today - dt.timedelta(days=5),
        )
        answers = {item.code: rng.choice(("no", "no", "yes")) for item in default_checklist().items}
        visits.record_falls_check(actor=council_actor, visit_id=visit.pk, answers=answers)
    now = timezone.now()
    for n, person in enumerate(tenants[:5]):
        emergency = n == 0
        aware = now - dt.timedelta(days=3 if emergency else 10 + 9 * n, hours=2)
        report = awaab_reports.open_report(
            actor=landlord_actor,
            person_id=person.pk,
            hazard="emergency" if emergency else "significant_damp_and_mould",
            aware_at=aware,
            description="Water coming through the light fitting" if emergency else "Mould in the bedroom",
        )
        if emergency:  # investigated in time, made safe late: one clock breached
            steps = [("investigation_concluded_at", 5), ("safety_work_done_at", 30)]
        elif n == 1:  # still running
            steps = []
        else:
            steps = [("investigation_concluded_at", 24 * 6), ("summary_sent_at", 24 * 7)]
        for step, hours in steps:
            awaab_reports.record_step(
                actor=landlord_actor,
                report_id=report.pk,
                step=step,
                at=aware + dt.timedelta(hours=hours),
                hazard_found=True if step == "investigation_concluded_at" else None,
            )
        if n == 2:
            awaab_reports.add_evidence(
                actor=landlord_actor,
                report_id=report.pk,
                kind="access_refused",
                at=aware + dt.timedelta(hours=30),
                note="Tenant asked us to come back next week",
            )
