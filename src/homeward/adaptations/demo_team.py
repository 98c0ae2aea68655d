"""Demo of the co-located team's work on the demo adaptations cases: complexity rated, tasks for the council
and Northgate Care and Repair, and schedules of works with quotes (a contractor chosen at stage 3). Its own
generator (`random.Random(seed + 17)`), so the 21 cases `demo.py` seeds are unchanged: a chosen quote plus
the fees equals the cost already recorded, so no grant is worked out again. Every figure is synthetic. No
DFG tables are loaded (Homeward ships none it cannot cite), so the test of resources page shows which are
missing."""

from __future__ import annotations

import random
from decimal import Decimal

from homeward.adaptations import tasks, works
from homeward.adaptations.codes import AdaptationStatus as S
from homeward.adaptations.models import AdaptationCase
from homeward.core.models import Organisation
from homeward.governance.access import Actor

CONTRACTORS = ["Northgate Builders (demo)", "Riverside Access Ltd (demo)", "Millbrook Lifts (demo)"]
STRUCTURAL = ("Through-floor lift", "extension")


def seed_team_work(*, case_ids: list[int], actor: Actor, agency: Organisation, rng: random.Random) -> None:
    for case in AdaptationCase.objects.filter(pk__in=case_ids).order_by("pk"):
        if not case.is_open:
            continue
        structural = any(word in case.needs for word in STRUCTURAL)
        case = tasks.set_complexity(
            actor=actor,
            case_id=case.pk,
            structural_works=structural,
            progressive_condition=rng.random() < 0.2,
        )
        partner = agency.pk if agency.pk in tasks.team_organisations(case) else case.organisation_id
        if case.status in (S.FIRST_CONTACT, S.ASSESSMENT):
            role = tasks.MAY_ASSESS[case.complexity][-1]  # an OT for a complex case
            tasks.add_task(
                actor=actor,
                case_id=case.pk,
                kind="assessment",
                owner_role=role,
                organisation_id=case.organisation_id,
                working_days=rng.randint(3, 15),
            )
        if case.status in (S.APPLICATION, S.APPROVAL):
            tasks.add_task(
                actor=actor,
                case_id=case.pk,
                kind="survey" if case.status == S.APPLICATION else "approval",
                owner_role="technical_officer" if case.status == S.APPLICATION else "grants_officer",
                organisation_id=partner if case.status == S.APPLICATION else case.organisation_id,
                working_days=rng.randint(5, 20),
            )
            _schedule(actor, case, rng, choose=case.status == S.APPROVAL)


def _schedule(actor: Actor, case: AdaptationCase, rng: random.Random, *, choose: bool) -> None:
    fee = Decimal(rng.randrange(250, 600, 10))
    works.add_item(
        actor=actor,
        case_id=case.pk,
        kind="survey_fee",
        description="Technical survey and schedule (demo)",
        quantity=Decimal(1),
        unit_price=fee,
    )
    base = (case.cost_of_works or Decimal(rng.randrange(3000, 20000, 50))) - fee
    works.add_item(
        actor=actor,
        case_id=case.pk,
        kind="works",
        description=case.needs[:200],
        quantity=Decimal(1),
        unit_price=max(base, Decimal(100)),
    )
    received = case.assessed_on or case.enquiry_received_on
    amounts = [max(base, Decimal(100))] + [
        max(base, Decimal(100)) + Decimal(rng.randrange(100, 1500, 10)) for _ in range(rng.randint(1, 2))
    ]
    quotes = [
        works.add_quote(actor=actor, case_id=case.pk, contractor=name, amount=amount, received_on=received)
        for name, amount in zip(CONTRACTORS, amounts, strict=False)
    ]
    if choose:
        works.choose_contractor(actor=actor, case_id=case.pk, quote_id=quotes[0].pk)
