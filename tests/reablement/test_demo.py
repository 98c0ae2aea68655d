"""The demo's reablement year is valid by construction: no bed holds two stays at once, no person is in two
stays at once, and the KPIs compute from it."""

from __future__ import annotations

import random
from itertools import pairwise

from django.utils import timezone

from homeward.casework.kpis import months_back
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.reablement.contract_report import contract_report
from homeward.reablement.demo import seed_reablement
from homeward.reablement.kpis import reablement_kpis
from homeward.reablement.models import Contract, MdtAction, Occupancy, Stay, StayBlocker, Unit
from tests.factories import OrganisationFactory, PersonFactory, make_actor

FAR = timezone.now() + timezone.timedelta(days=3650)


def test_demo_stays_never_overlap_and_feed_the_kpis(db):
    provider = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    icb = OrganisationFactory(name="Shire ICB", kind=OrganisationKind.ICB)
    people = [PersonFactory(organisation=provider) for _ in range(60)]
    worker = make_actor(Role.CASEWORKER, provider)
    units = seed_reablement(
        provider=provider, commissioner=icb, people=people, recorded_by=worker.user, rng=random.Random(18)
    )
    assert len(units) == 2 and Unit.objects.count() == 2
    assert Stay.objects.count() > 50  # 16 beds, 60 people each at home 91 days between stays
    for bed_id in Occupancy.objects.values_list("bed_id", flat=True).distinct():
        intervals = list(Occupancy.objects.filter(bed_id=bed_id).order_by("started_at"))
        assert all((a.ended_at or FAR) <= b.started_at for a, b in pairwise(intervals))
    for person in people:
        stays = list(Stay.objects.filter(referral__person=person).order_by("admitted_at"))
        assert all((a.discharged_at or FAR) <= b.admitted_at for a, b in pairwise(stays))
    kpis = {k.key: k for k in reablement_kpis(worker, months_back(timezone.localdate(), 12))}
    assert kpis["reablement_los_median"].baseline.n > 0
    assert 0 < kpis["reablement_occupancy"].points[-2].value <= 1
    # In-unit stays have their last days marked, a note and an open MDT action; each unit has a contract.
    in_unit = Stay.objects.filter(status="in_unit")
    assert in_unit.exists() and all(s.days.exists() and s.notes.exists() for s in in_unit)
    assert MdtAction.objects.filter(done_on__isnull=True, stay__in=in_unit).exists()
    assert StayBlocker.objects.filter(delay_reason__isnull=False).exists()
    commissioner = make_actor(Role.COMMISSIONER, icb)
    for contract in Contract.objects.all():
        last = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
        months = contract_report(commissioner, contract, last, 1)
        assert {c.status for c in months[0].cells} <= {"green", "amber", "red", "no data"}
        assert any(c.point.value is not None for c in months[0].cells)
    # A second run finds the units and adds nothing.
    assert (
        seed_reablement(
            provider=provider, commissioner=icb, people=people, recorded_by=worker.user, rng=random.Random(18)
        )
        == []
    )
