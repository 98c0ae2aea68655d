"""The schedule of works: items and fees with running totals, at least the policy's number of quotes before
a contractor is chosen (the dearer one needs a reason), variations during the works with their reason, and
the grant worked out again by the engine when the approved cost changes; bad input writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from homeward.adaptations import grants, services, works
from homeward.adaptations.models import Quote, Variation, WorkItem
from homeward.core.errors import ValidationFailed

from .conftest import ORDER, STEPS, VALID_ON


def _advance(world, case, to):
    """Move a case on from its stage to `to` with the fixed dates."""
    for status in ORDER[ORDER.index(case.status) + 1 : ORDER.index(to) + 1]:
        extra = {"application_valid_on": VALID_ON} if status == "works" else {}
        case = services.move_case(
            actor=world.officer, case_id=case.pk, to_status=status, on=STEPS[status], **extra
        )
    return case


def _quotes(world, case, *amounts):
    return [
        works.add_quote(
            actor=world.officer,
            case_id=case.pk,
            contractor=f"Builder {n}",
            amount=Decimal(amount),
            received_on=STEPS["application"],
        )
        for n, amount in enumerate(amounts, start=1)
    ]


def test_items_and_fees_make_running_totals(world):
    case = world.walk(world.open(), "application")
    works.add_item(
        actor=world.officer,
        case_id=case.pk,
        kind="works",
        description="Shower tray",
        quantity=Decimal("1"),
        unit_price=Decimal("1200.00"),
    )
    works.add_item(
        actor=world.officer,
        case_id=case.pk,
        kind="works",
        description="Grab rails",
        quantity=Decimal("3"),
        unit_price=Decimal("45.50"),
    )
    works.add_item(
        actor=world.officer,
        case_id=case.pk,
        kind="survey_fee",
        description="Technical survey",
        quantity=Decimal("1"),
        unit_price=Decimal("300.00"),
    )
    totals = works.totals(case)
    assert (totals.works, totals.fees, totals.schedule) == (
        Decimal("1336.50"),
        Decimal("300.00"),
        Decimal("1636.50"),
    )
    assert totals.approved_cost is None  # no contractor chosen yet


def test_a_contractor_needs_the_policys_quotes_and_a_reason_when_not_the_cheapest(world, settings):
    case = world.walk(world.open(), "application")
    (only,) = _quotes(world, case, "9000.00")
    with pytest.raises(ValidationFailed) as caught:
        works.choose_contractor(actor=world.officer, case_id=case.pk, quote_id=only.pk)
    assert (
        "at least 2 quotes" in caught.value.errors["quote_id"]
        and "1 recorded" in caught.value.errors["quote_id"]
    )
    dear = works.add_quote(
        actor=world.officer,
        case_id=case.pk,
        contractor="Dear Ltd",
        amount=Decimal("9500.00"),
        received_on=STEPS["application"],
    )
    settings.HOMEWARD_ADAPTATIONS_MIN_QUOTES = 3
    with pytest.raises(ValidationFailed) as caught:
        works.choose_contractor(actor=world.officer, case_id=case.pk, quote_id=only.pk)
    assert "at least 3 quotes" in caught.value.errors["quote_id"]
    settings.HOMEWARD_ADAPTATIONS_MIN_QUOTES = 2
    with pytest.raises(ValidationFailed) as caught:
        works.choose_contractor(actor=world.officer, case_id=case.pk, quote_id=dear.pk)
    assert "over the cheapest quote (Builder 1, £9,000.00)" in caught.value.errors["reason"]
    assert not Quote.objects.filter(chosen=True).exists()
    works.choose_contractor(actor=world.officer, case_id=case.pk, quote_id=dear.pk, reason="Can start in May")
    assert [row["above_cheapest"] for row in works.compare(case)] == [Decimal(0), Decimal("500.00")]
    works.choose_contractor(actor=world.officer, case_id=case.pk, quote_id=only.pk)
    assert list(Quote.objects.filter(chosen=True)) == [only]  # one chosen at a time


def test_choosing_and_varying_work_the_grant_out_again_with_the_engine(world):
    case = world.walk(world.open(), "application")
    grants.record_grant(
        actor=world.officer,
        case_id=case.pk,
        cost_of_works=Decimal("8000.00"),
        contribution=Decimal("1000.00"),
    )
    works.add_item(
        actor=world.officer,
        case_id=case.pk,
        kind="supervision_fee",
        description="Agency fee",
        quantity=Decimal("1"),
        unit_price=Decimal("500.00"),
    )
    low, _ = _quotes(world, case, "9000.00", "9800.00")
    works.choose_contractor(actor=world.officer, case_id=case.pk, quote_id=low.pk)
    case.refresh_from_db()
    assert (case.cost_of_works, case.grant) == (Decimal("9500.00"), Decimal("8500.00"))
    assert case.land_charge == Decimal("3500.00")  # owner-occupier: the part above £5,000
    case = _advance(world, case, "works")
    works.add_variation(
        actor=world.officer,
        case_id=case.pk,
        description="Joists replaced",
        amount=Decimal("750.00"),
        reason="Rotten joists under the bathroom floor",
        agreed_on=STEPS["works"],
    )
    case.refresh_from_db()
    assert (case.cost_of_works, case.grant) == (Decimal("10250.00"), Decimal("9250.00"))
    assert case.events.filter(title__startswith="Grant worked out again: variation").exists()


def test_a_variation_above_the_maximum_without_a_top_up_is_refused_and_nothing_is_written(world):
    case = world.walk(world.open(), "application")
    grants.record_grant(
        actor=world.officer, case_id=case.pk, cost_of_works=Decimal("29000.00"), contribution=Decimal("0")
    )
    low, _ = _quotes(world, case, "29000.00", "29500.00")
    works.choose_contractor(actor=world.officer, case_id=case.pk, quote_id=low.pk)
    case = _advance(world, case, "works")
    with pytest.raises(ValidationFailed) as caught:
        works.add_variation(
            actor=world.officer,
            case_id=case.pk,
            description="Bigger lift",
            amount=Decimal("2000.00"),
            reason="Wheelchair larger than assessed",
            agreed_on=STEPS["works"],
        )
    assert "maximum" in caught.value.errors["amount"]
    assert not Variation.objects.exists()
    case.refresh_from_db()
    assert case.cost_of_works == Decimal("29000.00")


@pytest.mark.parametrize(
    ("call", "field", "text"),
    [
        (
            lambda w, c: works.add_item(
                actor=w.officer,
                case_id=c.pk,
                kind="works",
                description="",
                quantity=Decimal(1),
                unit_price=Decimal(10),
            ),
            "description",
            "Say what",
        ),
        (
            lambda w, c: works.add_item(
                actor=w.officer,
                case_id=c.pk,
                kind="works",
                description="Rail",
                quantity=Decimal(0),
                unit_price=Decimal(10),
            ),
            "quantity",
            "more than 0",
        ),
        (
            lambda w, c: works.add_item(
                actor=w.officer,
                case_id=c.pk,
                kind="bribe",
                description="Rail",
                quantity=Decimal(1),
                unit_price=Decimal(10),
            ),
            "kind",
            "",
        ),
        (
            lambda w, c: works.add_item(
                actor=w.officer,
                case_id=c.pk,
                kind="works",
                description="Rail",
                quantity=Decimal(1),
                unit_price=Decimal("2000000"),
            ),
            "unit_price",
            "£1,000,000",
        ),
        (
            lambda w, c: works.add_quote(
                actor=w.officer,
                case_id=c.pk,
                contractor="A",
                amount=Decimal(-5),
                received_on=STEPS["application"],
            ),
            "amount",
            "more than £0",
        ),
        (
            lambda w, c: works.add_quote(
                actor=w.officer,
                case_id=c.pk,
                contractor="A",
                amount=Decimal(5),
                received_on=dt.date.today() + dt.timedelta(days=3),
            ),
            "received_on",
            "future",
        ),
        (
            lambda w, c: works.choose_contractor(actor=w.officer, case_id=c.pk, quote_id=None),
            "quote_id",
            "quotes",
        ),
        (
            lambda w, c: works.add_variation(
                actor=w.officer,
                case_id=c.pk,
                description="x",
                amount=Decimal(5),
                reason="y",
                agreed_on=STEPS["application"],
            ),
            "case",
            "during the works",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, call, field, text):
    case = world.walk(world.open(), "application")
    with pytest.raises(ValidationFailed) as caught:
        call(world, case)
    assert text in caught.value.errors[field]
    assert not (WorkItem.objects.exists() or Quote.objects.exists() or Variation.objects.exists())


def test_a_variation_needs_its_reason_and_a_date_after_approval(world):
    case = world.walk(world.open(), "application")
    low, _ = _quotes(world, case, "5000.00", "5100.00")
    works.choose_contractor(actor=world.officer, case_id=case.pk, quote_id=low.pk)
    case = _advance(world, case, "works")
    with pytest.raises(ValidationFailed) as caught:
        works.add_variation(
            actor=world.officer,
            case_id=case.pk,
            description="Extra rail",
            amount=Decimal("60"),
            reason="",
            agreed_on=VALID_ON,
        )
    assert caught.value.errors["reason"] == "Say why the works change"
    assert "before the approval" in caught.value.errors["agreed_on"]


def test_the_page_compares_quotes_and_keeps_what_was_typed(world, client):
    case = world.walk(world.open(), "application")
    _quotes(world, case, "7000.00", "7450.00")
    client.force_login(world.officer.user)
    page = client.get(f"/adaptations/cases/{case.pk}/works/").content.decode()
    assert "Cheapest" in page and "£450.00 more than the cheapest" in page
    refused = client.post(
        f"/adaptations/cases/{case.pk}/works/quotes/",
        {"contractor": "Builder 1", "amount": "7100.00", "received_on": "02/02/2026"},
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Builder 1 has already quoted" in body and 'value="7100.00"' in body
    added = client.post(
        f"/adaptations/cases/{case.pk}/works/items/",
        {"kind": "works", "description": "Stair-lift", "quantity": "1", "unit_price": "3200"},
    )
    assert added.status_code == 302
    assert "£3,200.00" in client.get(f"/adaptations/cases/{case.pk}/works/").content.decode()


def test_another_organisation_gets_404_on_the_works_pages(world, client):
    case = world.walk(world.open(), "application")
    client.force_login(world.stranger.user)
    assert client.get(f"/adaptations/cases/{case.pk}/works/").status_code == 404
    response = client.post(
        f"/adaptations/cases/{case.pk}/works/quotes/",
        {"contractor": "X", "amount": "1.00", "received_on": "02/02/2026"},
    )
    assert response.status_code == 404 and not Quote.objects.exists()
