"""Governance over real HTTP: a partner's edit becomes a proposed correction (never a write) that the
holder accepts or rejects; an ended agreement refuses changes; a rejected referral ends the receiver's sight
of the person on every route, and a completed one after the retention window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from homeward.core.models import OrganisationKind, Person
from homeward.core.roles import Role
from homeward.governance.access import can_see_person
from homeward.governance.models import (
    AgreementStatus,
    AuditAction,
    AuditEvent,
    CorrectionStatus,
    DataSharingAgreement,
    Participation,
    PersonCorrection,
)
from homeward.referrals import services as referrals
from homeward.referrals.codes import ReferralStatus
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, AgreementFactory, OrganisationFactory, PersonFactory, make_actor
from tests.governance.route_registry import all_examples, all_routes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(live_server) -> ApiClient:
    return ApiClient(f"{live_server.url}/api/v1")


def _token(api: ApiClient, actor) -> str:
    reply = api("POST", "/auth/token", {"username": actor.user.username, "password": PASSWORD})
    assert reply.status == 200, reply.body
    return str(reply.body["token"])


@pytest.fixture
def world():
    trust = OrganisationFactory(name="Northgate Trust", kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, homes])
    person = PersonFactory(organisation=trust, family_name="Dixon", email="dixon@example.org")
    return {
        "trust": trust,
        "homes": homes,
        "person": person,
        "nurse": make_actor(Role.CLINICIAN, trust),
        "officer": make_actor(Role.CASEWORKER, homes),
    }


def _refer(world):
    return referrals.send_referral(
        actor=world["nurse"],
        person_id=world["person"].pk,
        to_organisation_id=world["homes"].pk,
        service_kind="homelessness",
        reason="Cannot manage the stairs at home",
    )


# --- A partner's edit is a proposal, not a write -------------------------------------------------------


def test_a_partners_patch_becomes_a_proposed_correction_and_writes_nothing_to_the_record(api, world):
    person = world["person"]
    _refer(world)
    token = _token(api, world["officer"])
    reply = api("PATCH", f"/people/{person.pk}", {"family_name": "Jones", "email": ""}, token=token)
    assert reply.status == 202, reply.body
    assert reply.body["status"] == "pending"
    assert reply.body["changes"] == {"family_name": "Jones", "email": ""}
    assert reply.body["previous"] == {"family_name": "Dixon", "email": "dixon@example.org"}
    stored = Person.objects.get(pk=person.pk)
    assert (stored.family_name, stored.email) == ("Dixon", "dixon@example.org")
    assert not AuditEvent.objects.filter(
        person_id=person.pk, action=AuditAction.UPDATE, object_type="core.person"
    ).exists()
    # The partner sees its own proposal; a bad value is refused like the holder's own edit would be.
    mine = api("GET", f"/people/{person.pk}/corrections", token=token)
    assert [c["id"] for c in mine.body] == [reply.body["id"]]
    bad = api("PATCH", f"/people/{person.pk}", {"postcode": "NOT A POSTCODE"}, token=token)
    assert bad.status == 422 and "postcode" in bad.fields
    # Only the holder decides: the partner's own accept is a 404.
    cid = reply.body["id"]
    assert api("POST", f"/people/{person.pk}/corrections/{cid}/accept", {}, token=token).status == 404


def test_the_holder_accepts_or_rejects_a_correction_audited_and_on_the_timeline(api, world, client):
    person = world["person"]
    _refer(world)
    partner, holder = _token(api, world["officer"]), _token(api, world["nurse"])
    first = api("PATCH", f"/people/{person.pk}", {"family_name": "Jones"}, token=partner).body
    second = api("PATCH", f"/people/{person.pk}", {"phone": "0161 496 0000"}, token=partner).body

    # The person page shows the holder the pending corrections, with the decision buttons.
    client.force_login(world["nurse"].user)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Corrections proposed by partners" in page and "Jones" in page and "0161 496 0000" in page

    accepted = api("POST", f"/people/{person.pk}/corrections/{first['id']}/accept", {}, token=holder)
    assert accepted.status == 200 and accepted.body["status"] == "accepted"
    assert Person.objects.get(pk=person.pk).family_name == "Jones"
    again = api("POST", f"/people/{person.pk}/corrections/{first['id']}/reject", {}, token=holder)
    assert again.status == 422 and "correction" in again.fields

    # Rejecting from the page: nothing applied, the decision audited and on the timeline.
    response = client.post(
        f"/people/{person.pk}/corrections/{second['id']}/", {"decision": "reject", "note": "Wrong number"}
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).phone != "0161 496 0000"
    assert PersonCorrection.objects.get(pk=second["id"]).status == CorrectionStatus.REJECTED
    decisions = AuditEvent.objects.filter(
        person_id=person.pk, action=AuditAction.UPDATE, object_type="governance.personcorrection"
    )
    assert sorted(e.detail["status"] for e in decisions) == ["accepted", "rejected"]
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Correction from Riverside Homes rejected" in page and "Wrong number" in page
    assert "Corrections proposed by partners" not in page  # none pending


def test_a_partners_page_edit_is_a_proposal_too(world, client):
    person = world["person"]
    _refer(world)
    client.force_login(world["officer"].user)
    response = client.post(
        f"/people/{person.pk}/edit/",
        {
            "given_name": person.given_name,
            "family_name": "0",
            "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).family_name == "Dixon"
    assert PersonCorrection.objects.get().changes["family_name"] == "0"


# --- An ended agreement is immutable ------------------------------------------------------------------


def test_an_ended_agreement_refuses_changes_with_409(api, world, client):
    ig = make_actor(Role.IG_OFFICER, world["trust"])
    today = timezone.localdate()
    agreement = AgreementFactory(
        parties=[world["trust"], world["homes"]],
        start_date=today - dt.timedelta(days=90),
        end_date=today - dt.timedelta(days=2),
    )
    token = _token(api, ig)
    reply = api("POST", f"/agreements/{agreement.pk}/end", {"end_date": "2030-01-01"}, token=token)
    assert reply.status == 409 and reply.content_type == "application/problem+json"
    assert "already ended" in reply.body["detail"] and "new agreement" in reply.body["detail"]
    assert api("POST", f"/agreements/{agreement.pk}/end", {}, token=token).status == 409
    assert DataSharingAgreement.objects.get(pk=agreement.pk).end_date == today - dt.timedelta(days=2)

    # Ending one in force works once; after that it is ended and refuses changes, on the page too.
    live = AgreementFactory(parties=[world["trust"], world["homes"]])
    assert api("POST", f"/agreements/{live.pk}/end", {}, token=token).status == 200
    assert DataSharingAgreement.objects.get(pk=live.pk).status == AgreementStatus.ENDED
    assert api("POST", f"/agreements/{live.pk}/end", {"end_date": "2030-01-01"}, token=token).status == 409
    client.force_login(ig.user)
    response = client.post(f"/agreements/{live.pk}/end/", follow=True)
    assert "already ended" in response.content.decode()
    # An end date already set may be brought forward but never moved later.
    later = AgreementFactory(parties=[world["trust"], world["homes"]], end_date=today + dt.timedelta(days=30))
    moved = api(
        "POST", f"/agreements/{later.pk}/end", {"end_date": str(today + dt.timedelta(days=300))}, token=token
    )
    assert moved.status == 422 and "end_date" in moved.fields


# --- A participation ends with the referral that created it -------------------------------------------


def _personal_routes_with(values: dict[str, object]):
    examples = all_examples()
    for route in all_routes():
        if route.marking is None or route.marking.subject == "search" or route.marking.subject == "create":
            continue
        try:
            url = route.url(**values)
        except KeyError:
            continue
        yield route, url, examples.get(route.name, {}).get("payload", {})


class _Values(dict):
    def __missing__(self, key):  # a value this test has no record for: any id will do, the answer is 404
        return "1"


def _fill(template, values):
    if isinstance(template, str):
        return template.format_map(_Values(values))
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    return template


def test_after_a_rejection_the_rejecting_organisation_gets_404_for_the_person_on_every_route(
    api, world, live_server
):
    """Every personal-data route that names the person (or the referral), pages, JSON API and FHIR."""
    person = world["person"]
    referral = _refer(world)
    officer = world["officer"]
    token = _token(api, officer)
    values = {"person_id": person.pk, "referral_id": referral.pk}
    routes = list(_personal_routes_with(values))
    names = {r.name for r, _, _ in routes}
    assert {
        "people:person",
        "people:person_edit",
        "api:get_person",
        "api:update_person",
        "fhir:read_patient",
    } <= names
    assert api("GET", f"/people/{person.pk}", token=token).status == 200
    referrals.move_referral(
        actor=officer, referral_id=referral.pk, to_status=ReferralStatus.REJECTED, reason="Not our area"
    )
    assert not can_see_person(officer, person.pk)
    page = Client()
    page.force_login(officer.user)
    failures = []
    for route, url, payload in routes:
        body = _fill(payload, {**values, "family_name": person.family_name})
        if route.is_api:
            method = route.method
            status = ApiClient(live_server.url)(
                method, url, None if method == "GET" else body, token=token
            ).status
        elif route.writes and body:
            status = page.post(url, body).status_code
        else:
            status = page.get(url).status_code
        if status != 404:
            failures.append(f"{route.label}: {status}")
    assert not failures, failures


@pytest.mark.parametrize("ending", [ReferralStatus.CANCELLED, ReferralStatus.ENTERED_IN_ERROR])
def test_a_cancelled_or_mistaken_referral_ends_the_receivers_sight_at_once(world, ending):
    referral = _refer(world)
    assert can_see_person(world["officer"], world["person"].pk)
    referrals.move_referral(
        actor=world["nurse"], referral_id=referral.pk, to_status=ending, reason="Sent in error"
    )
    assert not can_see_person(world["officer"], world["person"].pk)
    assert AuditEvent.objects.filter(
        object_type="governance.participation", action=AuditAction.UPDATE
    ).exists()


def test_a_completed_referral_keeps_sight_for_the_retention_window_only(world, settings):
    settings.PARTICIPATION_RETENTION_DAYS = 30
    referral = _refer(world)
    officer = world["officer"]
    for status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
        referrals.move_referral(
            actor=officer,
            referral_id=referral.pk,
            to_status=status,
            outcome="need_met" if status == "completed" else "",
        )
    share = Participation.objects.get(case_type="referrals.referral", case_id=referral.pk)
    assert share.ended_at is not None
    assert dt.timedelta(days=29) < share.ended_at - timezone.now() <= dt.timedelta(days=30)
    assert can_see_person(officer, world["person"].pk)  # still within the window
    share.ended_at = timezone.now() - dt.timedelta(seconds=1)  # the window has passed
    share.save()
    assert not can_see_person(officer, world["person"].pk)


def test_ending_one_referral_leaves_other_sight_of_the_person_alone(world):
    first, second = _refer(world), _refer(world)
    referrals.move_referral(
        actor=world["officer"], referral_id=first.pk, to_status=ReferralStatus.REJECTED, reason="Duplicate"
    )
    assert can_see_person(world["officer"], world["person"].pk)  # the second referral still shares them
    assert Participation.objects.get(case_id=second.pk).ended_at is None
