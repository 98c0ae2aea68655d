"""Pages to add homes and rooms (bad input re-renders with the error summary, keeps what was typed and
writes nothing), the home's deterioration list and KPI page, the 999-call and death forms, and the page where
the admitting trust opens a Hospital to Home case with the home taking part."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from homeward.carehomes import clinical
from homeward.carehomes.models import CareHome, EmergencyCall, Room
from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge.models import DischargeCase
from tests.carehomes.conftest import hours_ago
from tests.carehomes.test_pages import client_for
from tests.factories import AgreementFactory, OrganisationFactory, make_actor


def test_a_care_provider_adds_a_home_and_a_room(world):
    client = client_for(world.manager)
    assert "Add a care home" in client.get("/carehomes/").content.decode()
    response = client.post(
        "/carehomes/homes/new/", {"name": "Elm Lodge", "kind": "residential", "postcode": "ab1 2cd"}
    )
    home = CareHome.objects.get(name="Elm Lodge")
    assert response.status_code == 302 and home.postcode == "AB1 2CD"
    response = client.post(f"/carehomes/homes/{home.pk}/rooms/new/", {"name": "12A"})
    assert response.status_code == 302 and list(home.rooms.values_list("name", flat=True)) == ["12A"]


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        (
            {"name": "Willow House", "kind": "nursing", "address": "1 High St"},
            "already has a home",
            "1 High St",
        ),
        ({"name": "Oak", "kind": "hotel", "address": "2 High St"}, "Select a valid choice", "2 High St"),
        (
            {"name": "Oak", "kind": "nursing", "video_link": "http://video.example"},
            "must start with https://",
            "http://video.example",
        ),
        ({"name": "x" * 201, "kind": "nursing", "address": "3 High St"}, "at most 200", "3 High St"),
    ],
)
def test_a_bad_home_is_refused_naming_the_field_keeping_input_and_writing_nothing(world, data, message, kept):
    response = client_for(world.manager).post("/carehomes/homes/new/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in body and message in body
    assert kept in body
    assert CareHome.objects.count() == 1


def test_a_duplicate_room_is_refused_and_a_blank_one_too(world):
    client = client_for(world.manager)
    for name, message in (("1", "already has a room"), ("  ", "This field is required")):
        response = client.post(f"/carehomes/homes/{world.home.pk}/rooms/new/", {"name": name})
        assert response.status_code == 400 and message in response.content.decode()
    assert Room.objects.count() == 3


def test_another_organisation_cannot_add_rooms_or_see_the_homes_kpis(world):
    client = client_for(world.stranger)
    assert client.post(f"/carehomes/homes/{world.home.pk}/rooms/new/", {"name": "9"}).status_code == 404
    assert client.get(f"/carehomes/homes/{world.home.pk}/kpis/").status_code == 404
    assert Room.objects.count() == 3
    assert client_for(world.gp).get("/carehomes/homes/new/").status_code == 403


def test_only_a_care_provider_adds_a_home(world):
    response = client_for(make_actor(Role.CASEWORKER, world.trust)).post(
        "/carehomes/homes/new/", {"name": "Ward home", "kind": "nursing"}
    )
    assert response.status_code == 403 and CareHome.objects.count() == 1


def test_the_home_lists_a_deteriorating_resident_until_better_observations_come(world):
    resident = world.admit()
    client = client_for(world.manager)
    clinical.record_observations(
        actor=world.manager,
        resident_id=resident.pk,
        taken_at=hours_ago(3),
        pulse=118,
        consciousness="confusion",
    )
    page = client.get(f"/carehomes/homes/{world.home.pk}/").content.decode()
    section = page.split('id="deterioration"')[1].split("<h2")[0]
    assert "MARSH, Edith" in section and "new confusion" in section
    clinical.record_observations(
        actor=world.manager, resident_id=resident.pk, taken_at=hours_ago(1), pulse=80, consciousness="alert"
    )
    section = client.get(f"/carehomes/homes/{world.home.pk}/").content.decode().split('id="deterioration"')[1]
    assert "MARSH, Edith" not in section.split("<h2")[0]


def test_the_homes_kpi_page_counts_a_999_call_in_its_month(world):
    resident = world.admit()
    client = client_for(world.manager)
    taken = timezone.localtime(hours_ago(2))
    data = {
        "called_on": taken.strftime("%d/%m/%Y"),
        "called_time": taken.strftime("%H:%M"),
        "outcome": "advice",
    }
    response = client.post(f"/carehomes/residents/{resident.pk}/999/", data | {"reason": " "})
    assert response.status_code == 400 and not EmergencyCall.objects.exists()
    response = client.post(f"/carehomes/residents/{resident.pk}/999/", data | {"reason": "Breathless"})
    assert response.status_code == 302
    body = client.get(f"/carehomes/homes/{world.home.pk}/kpis/").content.decode()
    row = body.split(f'data-kpi="carehomes_999_calls" data-month="{taken:%Y-%m}"')[1].split("</tr>")[0]
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">1</td>' in row
    assert not re.search(r"\b(None|nan)\b", body.split("<main")[1])


def test_a_death_before_the_resident_moved_in_is_refused(world):
    resident = world.admit()
    response = client_for(world.manager).post(
        f"/carehomes/residents/{resident.pk}/death/", {"died_on": "01/01/2025", "place": "care_home"}
    )
    assert response.status_code == 400 and "before the resident moved in" in response.content.decode()
    resident.refresh_from_db()
    assert resident.died_on is None and resident.left_on is None


def test_the_admitting_trust_opens_the_case_from_the_resident_page(world):
    resident = world.admit()
    housing = OrganisationFactory(name="Anytown Housing", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[world.trust, housing])
    make_actor(Role.CASEWORKER, housing)
    ward_hospital = Hospital.objects.create(organisation=world.trust, name="Anytown General")
    transfer = clinical.record_transfer(
        actor=world.manager,
        resident_id=resident.pk,
        left_at=hours_ago(5),
        reason="Chest infection",
        admitted=True,
        hospital_organisation_id=world.trust.pk,
    )
    client = client_for(world.doctor)
    assert (
        "Open a Hospital to Home case" in client.get(f"/carehomes/residents/{resident.pk}/").content.decode()
    )
    data = {"transfer": transfer.pk, "hospital": ward_hospital.pk, "housing_organisation": housing.pk}
    response = client.post(
        f"/carehomes/residents/{resident.pk}/hospital-case/", data | {"referral_reason": ""}
    )
    assert response.status_code == 400 and not DischargeCase.objects.exists()
    response = client.post(
        f"/carehomes/residents/{resident.pk}/hospital-case/", data | {"referral_reason": "Room kept for her"}
    )
    case = DischargeCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/discharge/cases/{case.pk}/"
    body = client_for(world.manager).get(f"/carehomes/residents/{resident.pk}/").content.decode()
    assert case.reference in body
    assert client_for(world.manager).get(f"/discharge/cases/{case.pk}/").status_code == 200
