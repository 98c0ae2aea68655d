"""Who sees an adaptations case: the holder; the county's OT service only while it takes part under an
agreement in force; anyone else gets 404 on the page and over the API, exactly as if it did not exist."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from homeward.adaptations import selectors, services, team
from homeward.core.errors import NotFound, ValidationFailed
from homeward.governance.models import AuditEvent, DataSharingAgreement, Participation
from tests.factories import PASSWORD, PersonFactory


def _token(client, actor):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": actor.user.username, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_the_county_ot_sees_the_case_only_while_the_agreement_is_in_force(world, client):
    case = world.open()
    assert not selectors.visible_cases(world.ot).exists()  # not taking part yet
    team.add_participant(
        actor=world.officer, case_id=case.pk, organisation_id=world.county.pk, reason="OT assessment"
    )
    assert list(selectors.visible_cases(world.ot)) == [case]
    client.force_login(world.ot.user)
    assert client.get(f"/adaptations/cases/{case.pk}/").status_code == 200
    agreement = DataSharingAgreement.objects.get(parties=world.county)
    agreement.end_date = timezone.localdate() - dt.timedelta(days=1)
    agreement.save()
    assert not selectors.visible_cases(world.ot).exists()
    assert client.get(f"/adaptations/cases/{case.pk}/").status_code == 404
    with pytest.raises(NotFound):
        selectors.get_case(actor=world.ot, case_id=case.pk)


def test_an_organisation_without_an_agreement_gets_404_on_the_page_and_the_api(world, client):
    case = world.open()
    client.force_login(world.stranger.user)
    assert client.get(f"/adaptations/cases/{case.pk}/").status_code == 404
    assert client.get(f"/adaptations/cases/{case.pk}/move/?to_status=assessment").status_code == 404
    response = client.get(f"/api/v1/adaptations/cases/{case.pk}", **_token(client, world.stranger))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert f"/adaptations/cases/{case.pk}/" not in client.get("/adaptations/").content.decode()


def test_a_case_cannot_be_shared_without_an_agreement(world):
    case = world.open()
    with pytest.raises(ValidationFailed) as caught:
        team.add_participant(
            actor=world.officer, case_id=case.pk, organisation_id=world.agency.pk, reason="Works"
        )
    assert "no data-sharing agreement" in caught.value.errors["organisation_id"]
    assert not selectors.visible_cases(world.stranger).exists()


def test_reading_a_case_is_audited(world):
    case = world.open()
    selectors.get_case(actor=world.officer, case_id=case.pk)
    assert AuditEvent.objects.filter(purpose="View adaptations case", object_id=str(case.pk)).exists()


def _overdue_task(world, case, organisation):
    from homeward.adaptations.models import TeamTask

    return TeamTask.objects.create(
        case=case,
        kind="survey",
        owner_role="technical_officer",
        organisation=organisation,
        due_on=timezone.localdate() - dt.timedelta(days=5),
        created_by=world.officer.user,
        created_at=timezone.now(),
    )


def _parts(actor):
    return [set(part.values_list("pk", flat=True)) for part in selectors.visible_case_parts(actor)]


def test_the_split_parts_are_exactly_the_visible_cases(world):
    """The two parts a count reads (held by us; shared with us) add up to visible_cases, with no overlap."""
    held = world.open()
    shared = world.open()
    team.add_participant(actor=world.officer, case_id=shared.pk, organisation_id=world.county.pk, reason="OT")
    county_case = services.open_case(
        actor=world.ot,
        person_id=PersonFactory(organisation=world.county, address_line_1="2 Elm Road", town="Shireton").pk,
        source="gp",
        tenure="council_tenant",
        needs="Grab rails",
        enquiry_received_on=dt.date(2026, 2, 2),
    )
    own, theirs = _parts(world.ot)
    assert own == {county_case.pk} and theirs == {shared.pk}
    assert own | theirs == set(selectors.visible_cases(world.ot).values_list("pk", flat=True))
    own, theirs = _parts(world.officer)
    assert own == {held.pk, shared.pk} and theirs == set()


def test_an_organisation_without_an_agreement_cannot_count_shared_cases_through_the_split(world):
    """A participation with no agreement in force behind it (the agency never had one; the county's ends)
    shows nothing through the split path either: not in the parts, not in the home page's count."""
    case = world.open()
    team.add_participant(actor=world.officer, case_id=case.pk, organisation_id=world.county.pk, reason="OT")
    # A participation for the agency written directly (no service allows it without an agreement).
    Participation.objects.create(
        person=case.person,
        owner=world.district,
        organisation=world.agency,
        case_type=selectors.CASE_TYPE,
        case_id=case.pk,
        started_at=timezone.now(),
    )
    _overdue_task(world, case, world.agency)
    _overdue_task(world, case, world.county)
    label = "Adaptations team tasks overdue (your organisation's)"

    def count(actor):
        return {item.label: item.count for item in selectors.today_items(actor)}[label]

    assert _parts(world.stranger) == [set(), set()]
    assert count(world.stranger) == 0
    assert _parts(world.ot) == [set(), {case.pk}] and count(world.ot) == 1
    agreement = DataSharingAgreement.objects.get(parties=world.county)
    agreement.end_date = timezone.localdate() - dt.timedelta(days=1)
    agreement.save()
    assert _parts(world.ot) == [set(), set()] and count(world.ot) == 0
