"""Closed-loop referrals: sending, the life-cycle and who may make each move, visibility, the pages."""

from __future__ import annotations

import pytest

from homeward.core.errors import IllegalTransition, NotAllowed, NotFound, ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent, ConsentRecord, Participation
from homeward.referrals import services
from homeward.referrals.codes import ReferralStatus as S
from homeward.referrals.lifecycle import LIFECYCLE, MOVED_BY, RECEIVER
from homeward.referrals.models import Referral, ReferralEvent
from homeward.referrals.selectors import visible_referrals
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    housing = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    advice = OrganisationFactory(name="Citizens Advice North", kind=OrganisationKind.VOLUNTARY_SECTOR)
    stranger = OrganisationFactory(name="Elsewhere Advice", kind=OrganisationKind.VOLUNTARY_SECTOR)
    AgreementFactory(parties=[housing, advice])
    return {
        "housing": housing,
        "advice": advice,
        "stranger": stranger,
        "officer": make_actor(Role.CASEWORKER, housing),
        "adviser": make_actor(Role.PARTNER, advice),
        "outsider": make_actor(Role.PARTNER, stranger),
        "person": PersonFactory(organisation=housing, family_name="Okonkwo"),
    }


def _send(world, **overrides) -> Referral:
    fields = {
        "person_id": world["person"].pk,
        "to_organisation_id": world["advice"].pk,
        "service_kind": "money_advice",
        "reason": "Rent arrears after Universal Credit stopped",
    } | overrides
    return services.send_referral(actor=world["officer"], **fields)


def test_a_sent_referral_is_seen_by_the_receiver_and_not_by_anyone_else(world):
    referral = _send(world)
    assert referral.status == S.REQUESTED
    assert list(visible_referrals(world["adviser"])) == [referral]
    assert list(visible_referrals(world["outsider"])) == []
    assert Participation.objects.filter(organisation=world["advice"], case_id=referral.pk).exists()
    assert ConsentRecord.objects.filter(person=world["person"], purpose="referral").count() == 1
    assert AuditEvent.objects.filter(purpose="Send a referral", person_id=world["person"].pk).exists()


def test_the_receiver_stops_seeing_it_when_the_agreement_ends(world):
    referral = _send(world)
    world["advice"].agreements.update(status="ended")
    assert referral not in visible_referrals(world["adviser"])


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"service_kind": "astrology"}, "service_kind"),
        ({"reason": "   "}, "reason"),
        ({"urgency": "whenever"}, "urgency"),
        ({"to_organisation_id": 0}, "to_organisation_id"),
        ({"consent_status": "refused", "lawful_basis": "6.1.a"}, "consent_status"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        _send(world, **overrides)
    assert field in caught.value.errors
    assert not Referral.objects.exists() and not Participation.objects.exists()


def test_no_referral_to_an_organisation_without_an_agreement(world):
    with pytest.raises(ValidationFailed) as caught:
        _send(world, to_organisation_id=world["stranger"].pk)
    assert "no data-sharing agreement" in caught.value.errors["to_organisation_id"]


def test_a_referral_source_must_be_a_case_the_referrer_can_see(world):
    with pytest.raises(ValidationFailed) as caught:
        _send(world, source_type="discharge.case", source_id=999999)
    assert "source_id" in caught.value.errors


def test_the_full_loop_accept_start_complete_with_an_outcome_the_referrer_sees(world):
    referral = _send(world)
    adviser = world["adviser"]
    services.move_referral(actor=adviser, referral_id=referral.pk, to_status=S.ACCEPTED)
    services.move_referral(actor=adviser, referral_id=referral.pk, to_status=S.IN_PROGRESS)
    services.move_referral(
        actor=adviser,
        referral_id=referral.pk,
        to_status=S.COMPLETED,
        outcome="need_met",
        outcome_note="Arrears cleared with a discretionary housing payment",
    )
    seen_by_referrer = visible_referrals(world["officer"]).get(pk=referral.pk)
    assert seen_by_referrer.status == S.COMPLETED
    assert seen_by_referrer.get_outcome_display() == "Need met"
    assert seen_by_referrer.answered_at and seen_by_referrer.closed_at
    assert [e.to_status for e in ReferralEvent.objects.filter(referral=referral)] == [
        S.REQUESTED,
        S.ACCEPTED,
        S.IN_PROGRESS,
        S.COMPLETED,
    ]


def test_the_referrer_cannot_accept_and_the_receiver_cannot_cancel(world):
    referral = _send(world)
    with pytest.raises(NotAllowed, match="receiving organisation"):
        services.move_referral(actor=world["officer"], referral_id=referral.pk, to_status=S.ACCEPTED)
    with pytest.raises(NotAllowed, match="referring organisation"):
        services.move_referral(
            actor=world["adviser"], referral_id=referral.pk, to_status=S.CANCELLED, reason="No"
        )
    with pytest.raises(NotFound):
        services.move_referral(actor=world["outsider"], referral_id=referral.pk, to_status=S.ACCEPTED)
    assert Referral.objects.get().status == S.REQUESTED


def test_rejecting_needs_a_reason_and_completing_needs_a_fitting_outcome(world):
    referral = _send(world)
    adviser = world["adviser"]
    with pytest.raises(ValidationFailed) as caught:
        services.move_referral(actor=adviser, referral_id=referral.pk, to_status=S.REJECTED)
    assert "reason" in caught.value.errors
    services.move_referral(actor=adviser, referral_id=referral.pk, to_status=S.ACCEPTED)
    with pytest.raises(ValidationFailed) as caught:
        services.move_referral(actor=adviser, referral_id=referral.pk, to_status=S.COMPLETED)
    assert "outcome" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.move_referral(actor=adviser, referral_id=referral.pk, to_status=S.FAILED, outcome="need_met")
    assert "failed referral" in caught.value.errors["outcome"]
    assert Referral.objects.get().status == S.ACCEPTED


def _walk_to(world, referral: Referral, status: str) -> None:
    """Bring a referral to `status` along the shortest legal path, each move by its own side."""
    paths = {
        S.REQUESTED: [],
        S.ACCEPTED: [S.ACCEPTED],
        S.REJECTED: [S.REJECTED],
        S.IN_PROGRESS: [S.ACCEPTED, S.IN_PROGRESS],
        S.ON_HOLD: [S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD],
        S.COMPLETED: [S.ACCEPTED, S.COMPLETED],
        S.FAILED: [S.ACCEPTED, S.FAILED],
        S.CANCELLED: [S.CANCELLED],
        S.ENTERED_IN_ERROR: [S.ENTERED_IN_ERROR],
    }
    for step in paths[status]:
        _move(world, referral, step)


def _move(world, referral: Referral, target: str) -> None:
    actor = world["adviser"] if MOVED_BY[target] == RECEIVER else world["officer"]
    outcome = {S.COMPLETED: "need_met", S.FAILED: "no_contact"}.get(target, "")
    services.move_referral(
        actor=actor, referral_id=referral.pk, to_status=target, reason="Because", outcome=outcome
    )


SIGHT_ENDED = (S.REJECTED, S.CANCELLED, S.ENTERED_IN_ERROR)


@pytest.mark.parametrize("current", sorted(set(LIFECYCLE.statuses) - {S.DRAFT}))
def test_every_legal_move_is_allowed_and_every_illegal_one_refused(world, current):
    for target in sorted(LIFECYCLE.statuses - {S.DRAFT}):
        referral = _send(world)
        _walk_to(world, referral, current)
        if LIFECYCLE.can_move(current, target):
            _move(world, referral, target)
            assert Referral.objects.get(pk=referral.pk).status == target
        else:
            # A rejected, cancelled or entered-in-error referral ended the receiver's sight of it: to the
            # receiver it no longer exists (404), which refuses the move as surely as an illegal transition.
            gone = current in SIGHT_ENDED and MOVED_BY[target] == RECEIVER
            with pytest.raises(NotFound if gone else IllegalTransition):
                _move(world, referral, target)
            assert Referral.objects.get(pk=referral.pk).status == current


def test_pages_send_answer_and_show_the_outcome(client, world):
    client.force_login(world["officer"].user)
    response = client.post(
        f"/referrals/new/{world['person'].pk}/",
        {
            "service_kind": "money_advice",
            "to_organisation": world["advice"].pk,
            "urgency": "urgent",
            "reason": "Bailiffs due on Friday",
            "consent_status": "given",
            "lawful_basis": "6.1.a",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"

    client.force_login(world["adviser"].user)
    inbox = client.get("/referrals/").content.decode()
    assert "OKONKWO" in inbox and "Urgent" in inbox
    client.post(f"/referrals/{referral.pk}/move/", {"to_status": "accepted"})
    response = client.post(
        f"/referrals/{referral.pk}/move/",
        {"to_status": "completed", "outcome": "partly_met", "outcome_note": "Payment plan agreed"},
    )
    assert response.status_code == 302

    client.force_login(world["officer"].user)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Need partly met" in page and "Payment plan agreed" in page


def test_the_send_page_shows_errors_and_lists_only_partners_with_an_agreement(client, world):
    client.force_login(world["officer"].user)
    page = client.get(f"/referrals/new/{world['person'].pk}/").content.decode()
    assert "Citizens Advice North" in page and "Elsewhere Advice" not in page
    response = client.post(
        f"/referrals/new/{world['person'].pk}/",
        {
            "service_kind": "money_advice",
            "to_organisation": world["advice"].pk,
            "urgency": "routine",
            "reason": "",
            "consent_status": "given",
            "lawful_basis": "6.1.a",
        },
    )
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_wrong_side_move_on_the_page_says_why(client, world):
    referral = _send(world)
    client.force_login(world["officer"].user)
    response = client.post(f"/referrals/{referral.pk}/move/", {"to_status": "accepted"}, follow=True)
    assert "Only the receiving organisation" in response.content.decode()
    assert Referral.objects.get().status == S.REQUESTED


def test_the_answer_is_due_in_working_days_and_flagged_when_late(world, client):
    import datetime as dt

    from django.utils import timezone

    referral = _send(world)
    friday = timezone.make_aware(dt.datetime(2026, 11, 27, 15, 0))
    Referral.objects.filter(pk=referral.pk).update(requested_at=friday)
    referral.refresh_from_db()
    assert referral.answer_due == dt.date(2026, 12, 1)  # routine: 2 working days, over the weekend
    referral.urgency = "urgent"
    assert referral.answer_due == dt.date(2026, 11, 30)
    Referral.objects.filter(pk=referral.pk).update(requested_at=friday - dt.timedelta(days=30))
    client.force_login(world["adviser"].user)
    assert "Answer overdue" in client.get("/referrals/").content.decode()
    services.move_referral(actor=world["adviser"], referral_id=referral.pk, to_status=S.ACCEPTED)
    assert "Answer overdue" not in client.get("/referrals/?show=all").content.decode()
