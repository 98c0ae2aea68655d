"""Outcome contracts end to end against the database: the rate card, claims worked out from what link
workers recorded, caps hit exactly and exceeded, the commissioner's review, and the payer's export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from homeward.contracts import export, services
from homeward.contracts.models import Claim
from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import OrganisationKind, Property, Tenancy
from homeward.core.roles import Role
from homeward.support import services as support
from homeward.support.wellbeing import SWEMWBS
from tests.factories import OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=300)


@pytest.fixture
def world():
    icb = OrganisationFactory(name="Northgate ICB", kind=OrganisationKind.ICB)
    links = OrganisationFactory(name="Community Links", kind=OrganisationKind.VOLUNTARY_SECTOR)
    commissioner = make_actor(Role.COMMISSIONER, icb)
    lead = make_actor(Role.TEAM_LEAD, links)
    contract = services.create_contract(
        actor=commissioner,
        reference="SIB-01",
        title="Social prescribing outcomes",
        provider_id=links.pk,
        start_date=START,
        end_date=TODAY + dt.timedelta(days=60),
        total_cap=Decimal("300.00"),
    )
    line = services.add_line(
        actor=commissioner,
        contract_id=contract.pk,
        outcome="swemwbs_gain",
        price=Decimal("100.00"),
        threshold=Decimal("3"),
        evidence="Baseline and follow-up SWEMWBS forms",
        claim_within_days=120,
    )
    return {
        "icb": icb,
        "links": links,
        "commissioner": commissioner,
        "lead": lead,
        "contract": contract,
        "line": line,
    }


def _improved(world, before: int, after: int, *, days_ago: int = 10, person=None):
    """A case whose SWEMWBS raw total went from `before` to `after` (each item the same or one more)."""
    lead = world["lead"]
    person = person or PersonFactory(organisation=world["links"])
    case = support.open_case(
        actor=lead, person_id=person.pk, route="gp", referred_on=TODAY - dt.timedelta(days=200)
    )
    for timepoint, total, when in (("baseline", before, 150), ("follow_up", after, days_ago)):
        answers = {item.key: total // 7 + (1 if i < total % 7 else 0) for i, item in enumerate(SWEMWBS.items)}
        support.record_measure(
            actor=lead,
            case_id=case.pk,
            tool="swemwbs",
            timepoint=timepoint,
            recorded_on=TODAY - dt.timedelta(days=when),
            answers=answers,
        )
    return case


def test_claims_come_from_recorded_outcomes_and_stop_exactly_at_the_cap(world):
    # 14 -> 21 raw is 15.32 -> 19.25 (+3.93): claimable. 14 -> 17 is +1.56: below the threshold.
    cases = [_improved(world, 14, 21) for _ in range(3)]
    below = _improved(world, 14, 17)
    run = services.generate_claims(actor=world["lead"], contract_id=world["contract"].pk)
    assert sorted(c.case_id for c in run.made) == sorted(c.pk for c in cases)
    assert all(c.amount == Decimal("100.00") and not c.capped for c in run.made)
    assert not Claim.objects.filter(case=below).exists()
    assert "SWEMWBS 15.32" in run.made[0].evidence and "+3.93" in run.made[0].evidence
    totals = services.totals(world["contract"])
    assert (totals.committed, totals.remaining) == (Decimal("300.00"), Decimal("0.00"))
    # A fourth outcome arrives: the cap is used up exactly, so it is not claimed.
    fourth = _improved(world, 14, 22)
    again = services.generate_claims(actor=world["lead"], contract_id=world["contract"].pk)
    assert again.made == []
    assert [(s.case_reference, s.reason) for s in again.skipped] == [
        (fourth.reference, "The contract's total cap is reached")
    ]
    assert services.totals(world["contract"]).committed == Decimal("300.00")


def test_an_exceeded_cap_cuts_the_last_claim_to_what_is_left(world):
    world["contract"].total_cap = Decimal("250.00")
    world["contract"].save()
    for days_ago in (30, 20, 10):
        _improved(world, 14, 21, days_ago=days_ago)
    run = services.generate_claims(actor=world["lead"], contract_id=world["contract"].pk)
    assert [c.amount for c in run.made] == [Decimal("100.00"), Decimal("100.00"), Decimal("50.00")]
    assert [c.capped for c in run.made] == [False, False, True]
    assert services.totals(world["contract"]).remaining == Decimal("0.00")


def test_per_person_caps_count_across_cases_and_lines(world):
    contract = world["contract"]
    contract.person_cap = Decimal("150.00")
    contract.total_cap = Decimal("10000.00")
    contract.save()
    services.add_line(
        actor=world["commissioner"],
        contract_id=contract.pk,
        outcome="engaged",
        price=Decimal("100.00"),
        evidence="Contact log",
        claim_within_days=365,
    )
    person = PersonFactory(organisation=world["links"])
    first = _improved(world, 14, 21, person=person, days_ago=20)
    support.record_contact(
        actor=world["lead"],
        case_id=first.pk,
        occurred_on=TODAY - dt.timedelta(days=190),
        method="phone",
        minutes=20,
    )
    support.save_what_matters(
        actor=world["lead"], case_id=first.pk, text="Family", on=TODAY - dt.timedelta(days=190)
    )
    second = _improved(world, 14, 21, person=person, days_ago=5)  # the same person, a second case
    run = services.generate_claims(actor=world["lead"], contract_id=contract.pk)
    made = [(c.line.outcome, c.case_id, c.amount, c.capped) for c in run.made]
    assert made == [
        ("engaged", first.pk, Decimal("100.00"), False),
        ("swemwbs_gain", first.pk, Decimal("50.00"), True),
    ]
    reasons = {s.reason for s in run.skipped}
    assert reasons == {"Already claimed 1 for this person (the most per person)"}
    assert second.reference in {s.case_reference for s in run.skipped}


def test_limits_on_count_and_deadline(world):
    line = world["line"]
    line.max_claims, line.claim_within_days = 1, 30
    line.save()
    late = _improved(world, 14, 21, days_ago=60)
    on_time = [_improved(world, 14, 21, days_ago=days) for days in (10, 5)]
    run = services.generate_claims(actor=world["lead"], contract_id=world["contract"].pk)
    assert [c.case_id for c in run.made] == [on_time[0].pk]
    reasons = {s.case_reference: s.reason for s in run.skipped}
    assert reasons[late.reference].startswith("Past the claim deadline")
    assert reasons[on_time[1].reference] == "This outcome's limit of 1 payments is reached"


def test_sustained_tenancy_after_six_months(world):
    contract = world["contract"]
    services.add_line(
        actor=world["commissioner"],
        contract_id=contract.pk,
        outcome="tenancy_sustained",
        price=Decimal("80.00"),
        evidence="Tenancy record at 6 months",
    )
    home = Property.objects.create(
        organisation=world["links"],
        reference="P1",
        address_line_1="1 High St",
        town="Northgate",
        postcode="M14 5AB",
        property_type="flat",
    )
    kept, lost = PersonFactory(organisation=world["links"]), PersonFactory(organisation=world["links"])
    Tenancy.objects.create(property=home, person=kept, reference="T1", tenure="assured", start_date=START)
    Tenancy.objects.create(
        property=home,
        person=lost,
        reference="T2",
        tenure="assured",
        start_date=START,
        end_date=TODAY - dt.timedelta(days=100),
    )
    for person in (kept, lost):
        support.open_case(
            actor=world["lead"],
            person_id=person.pk,
            route="housing",
            referred_on=TODAY - dt.timedelta(days=200),
        )
    run = services.generate_claims(actor=world["lead"], contract_id=contract.pk)
    assert [c.case.person_id for c in run.made] == [kept.pk]
    assert run.made[0].achieved_on == TODAY - dt.timedelta(days=200 - 182)


def test_review_by_the_commissioner_and_a_rejection_frees_the_cap(world):
    for _ in range(4):
        _improved(world, 14, 21)
    run = services.generate_claims(actor=world["lead"], contract_id=world["contract"].pk)
    assert len(run.made) == 3
    first, second = run.made[0], run.made[1]
    with pytest.raises(NotAllowed):
        services.review_claim(actor=world["lead"], claim_id=first.pk, decision="approved")
    with pytest.raises(ValidationFailed) as exc:
        services.review_claim(actor=world["commissioner"], claim_id=second.pk, decision="rejected")
    assert "note" in exc.value.errors
    services.review_claim(actor=world["commissioner"], claim_id=first.pk, decision="approved")
    with pytest.raises(NotAllowed, match="already approved"):
        services.review_claim(actor=world["commissioner"], claim_id=first.pk, decision="rejected", note="x")
    services.review_claim(
        actor=world["commissioner"], claim_id=second.pk, decision="rejected", note="Follow-up form not signed"
    )
    totals = services.totals(world["contract"])
    assert (totals.approved, totals.submitted, totals.rejected) == (
        Decimal("100"),
        Decimal("100"),
        Decimal("100"),
    )
    refill = services.generate_claims(actor=world["lead"], contract_id=world["contract"].pk)
    assert len(refill.made) == 1  # the fourth case fills the share the rejection freed
    assert services.totals(world["contract"]).remaining == Decimal("0.00")
    other = make_actor(Role.COMMISSIONER, OrganisationFactory())
    with pytest.raises(NotFound):
        services.review_claim(actor=other, claim_id=second.pk, decision="approved")


def test_bad_contracts_and_lines_are_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        services.create_contract(
            actor=world["commissioner"],
            reference="SIB-01",
            title="",
            provider_id=world["icb"].pk,
            start_date=TODAY,
            end_date=TODAY - dt.timedelta(days=1),
            total_cap=Decimal("-1"),
            person_cap=Decimal("1.234"),
        )
    assert set(exc.value.errors) == {
        "reference",
        "title",
        "provider_id",
        "end_date",
        "total_cap",
        "person_cap",
    }
    with pytest.raises(ValidationFailed) as exc:
        services.add_line(
            actor=world["commissioner"],
            contract_id=world["contract"].pk,
            outcome="swemwbs_gain",
            price=None,
            evidence="",
            per_person=0,
            claim_within_days=0,
        )
    assert set(exc.value.errors) == {
        "outcome",
        "price",
        "threshold",
        "per_person",
        "evidence",
        "claim_within_days",
    }
    with pytest.raises(NotAllowed):
        services.create_contract(
            actor=world["lead"],
            reference="X",
            title="X",
            provider_id=world["icb"].pk,
            start_date=TODAY,
            end_date=TODAY,
            total_cap=Decimal("1"),
        )


def test_exports_name_no_one(world):
    case = _improved(
        world, 14, 21, person=PersonFactory(organisation=world["links"], family_name="Quintavalle")
    )
    services.generate_claims(actor=world["lead"], contract_id=world["contract"].pk)
    family_name = case.person.family_name
    rows = list(csv.reader(io.StringIO(export.to_csv(world["contract"]))))
    assert rows[0][:4] == ["Contract", "Claim", "Case", "Pseudonym"]
    assert rows[1][2] == case.reference and rows[1][7] == "100.00"
    assert family_name not in export.to_csv(world["contract"])
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(world["contract"])))
    claims = list(book["Claims"].iter_rows(values_only=True))
    assert claims[1][2] == case.reference and claims[1][7] == 100.0
    totals = {row[0]: row[1] for row in book["Totals"].iter_rows(min_row=5, values_only=True)}
    assert totals["Awaiting review"] == 100.0 and totals["Left under the cap"] == 200.0


def test_pages_for_provider_and_commissioner(world, client):
    case = _improved(
        world, 14, 21, person=PersonFactory(organisation=world["links"], family_name="Quintavalle")
    )
    contract = world["contract"]
    client.force_login(world["lead"].user)
    page = client.post(f"/contracts/{contract.pk}/claims/")
    assert page.status_code == 200 and "1 new claim worth £100.00" in page.content.decode()
    claim = Claim.objects.get()
    client.force_login(world["commissioner"].user)
    detail = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert case.reference in detail and case.person.family_name not in detail
    assert f'href="/support/{case.pk}/"' not in detail  # the commissioner gets no link to the case
    client.post(f"/contracts/{contract.pk}/claims/{claim.pk}/review/", {"decision": "rejected", "note": ""})
    claim.refresh_from_db()
    assert claim.status == "submitted"  # a rejection needs a reason
    client.post(f"/contracts/{contract.pk}/claims/{claim.pk}/review/", {"decision": "approved"})
    claim.refresh_from_db()
    assert claim.status == "approved"
    response = client.get(f"/contracts/{contract.pk}/claims.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    bad = client.post(
        f"/contracts/{contract.pk}/lines/", {"outcome": "engaged", "price": "abc", "evidence": ""}
    )
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    # Someone from another organisation cannot open the contract.
    client.force_login(make_actor(Role.COMMISSIONER, OrganisationFactory()).user)
    assert client.get(f"/contracts/{contract.pk}/").status_code == 404
