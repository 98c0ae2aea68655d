"""A&E to Home: recording attendances, the frequent-attender worklist and its threshold, onward referrals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.discharge import attendances
from homeward.discharge.models import Attendance
from homeward.referrals import services as referrals
from homeward.referrals.models import Referral
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor, share_case

pytestmark = pytest.mark.django_db


def _attend(world, person, times: int, *, needs=("housing",), days_ago: int = 10) -> None:
    for n in range(times):
        Attendance.objects.create(
            person=person,
            organisation=world.trust,
            hospital=world.hospital,
            arrived_at=timezone.now() - dt.timedelta(days=days_ago + n),
            complaint="Fall at home",
            needs=list(needs) if n == 0 else [],
            recorded_by=world.clinician.user,
        )


def _listed(actor, threshold=5, months=12) -> list[str]:
    rows = attendances.frequent_attenders(actor, threshold=threshold, months=months)
    return [row.person.family_name for row in attendances.describe(actor, list(rows), months=months)]


def test_frequent_attenders_are_those_over_the_threshold_with_a_non_clinical_need(world):
    five = PersonFactory(organisation=world.trust, family_name="Five")
    four = PersonFactory(organisation=world.trust, family_name="Four")
    clinical = PersonFactory(organisation=world.trust, family_name="Clinical")
    old = PersonFactory(organisation=world.trust, family_name="Old")
    _attend(world, five, 5)
    _attend(world, four, 4)
    _attend(world, clinical, 7, needs=())
    _attend(world, old, 5, days_ago=400)  # all more than 12 months ago
    _attend(world, old, 1)
    assert _listed(world.clinician) == ["Five"]
    # The threshold and window are configurable.
    assert set(_listed(world.clinician, threshold=4)) == {"Five", "Four"}
    assert set(_listed(world.clinician, threshold=5, months=24)) == {"Five", "Old"}


def test_most_attendances_first_with_their_needs(world):
    many = PersonFactory(organisation=world.trust, family_name="Many")
    fewer = PersonFactory(organisation=world.trust, family_name="Fewer")
    _attend(world, fewer, 5, needs=("money", "loneliness"))
    _attend(world, many, 9, needs=("immigration",))
    rows = attendances.describe(
        world.clinician,
        list(attendances.frequent_attenders(world.clinician, threshold=5, months=12)),
        months=12,
    )
    assert [(r.person.family_name, r.attendances) for r in rows] == [("Many", 9), ("Fewer", 5)]
    assert rows[1].need_labels == ["Loneliness or isolation", "Money, debt or benefits"]


def test_the_housing_team_sees_attendances_only_of_people_shared_with_it(world):
    shared = PersonFactory(organisation=world.trust, family_name="Shared")
    private = PersonFactory(organisation=world.trust, family_name="Private")
    _attend(world, shared, 6)
    _attend(world, private, 6)
    share_case(shared, world.housing)
    assert _listed(world.officer) == ["Shared"]
    assert set(_listed(world.clinician)) == {"Shared", "Private"}


def test_recording_an_attendance_validates_and_writes_nothing_on_error(world):
    base = {
        "person_id": world.patient.pk,
        "hospital_id": world.hospital.pk,
        "arrived_at": timezone.now() - dt.timedelta(hours=2),
        "complaint": "Chest pain",
        "needs": ["homeless"],
    }
    attendances.record_attendance(actor=world.clinician, **base)
    for overrides, field in [
        ({"arrived_at": timezone.now() + dt.timedelta(hours=1)}, "arrived_at"),
        ({"needs": ["bad_luck"]}, "needs"),
        ({"complaint": " "}, "complaint"),
        ({"hospital_id": 0}, "hospital_id"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            attendances.record_attendance(actor=world.clinician, **(base | overrides))
        assert field in caught.value.errors
    with pytest.raises(NotFound):
        attendances.record_attendance(actor=world.officer, **base)  # the housing team cannot see the patient
    assert Attendance.objects.count() == 1


def test_the_worklist_page_filters_refers_and_rejects_a_bad_threshold(client, world):
    person = PersonFactory(organisation=world.trust, family_name="Regular")
    _attend(world, person, 6)
    client.force_login(world.clinician.user)
    page = client.get("/discharge/a-and-e/").content.decode()
    assert "REGULAR" in page and f"/discharge/refer/{person.pk}/?setting=emergency" in page
    assert "REGULAR" not in client.get("/discharge/a-and-e/?threshold=7").content.decode()
    response = client.get("/discharge/a-and-e/?threshold=1")
    assert response.status_code == 400
    assert "Attendances must be a whole number from 2 to 100" in response.content.decode()
    response = client.get("/discharge/a-and-e/?months=abc")
    assert response.status_code == 400 and "Enter a whole number" in response.content.decode()


def test_an_a_and_e_case_refers_on_and_shows_the_outcome(client, world):
    """The housing officer in A&E refers a frequent attender to immigration advice; the outcome comes back."""
    advice = OrganisationFactory(name="Migrant Help North")
    AgreementFactory(parties=[world.housing, advice])
    case = world.refer(setting="emergency")
    client.force_login(world.officer.user)
    page = client.get(f"/discharge/cases/{case.pk}/").content.decode()
    link = f"/referrals/new/{world.patient.pk}/?source_type=discharge.case&amp;source_id={case.pk}"
    assert link in page
    response = client.post(
        link.replace("&amp;", "&"),
        {
            "service_kind": "immigration_advice",
            "to_organisation": advice.pk,
            "urgency": "urgent",
            "reason": "Status unclear; afraid to register with a GP",
            "consent_status": "given",
            "lawful_basis": "6.1.a",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/discharge/cases/{case.pk}/"
    referral = Referral.objects.get()
    assert (referral.source_type, referral.source_id) == ("discharge.case", case.pk)

    adviser = make_actor("partner", advice)
    referrals.move_referral(actor=adviser, referral_id=referral.pk, to_status="accepted")
    referrals.move_referral(
        actor=adviser,
        referral_id=referral.pk,
        to_status="completed",
        outcome="need_met",
        outcome_note="EUSS granted",
    )
    page = client.get(f"/discharge/cases/{case.pk}/").content.decode()
    assert "Immigration advice" in page and "Need met: EUSS granted" in page


def test_a_referral_from_someone_elses_case_is_refused(client, world):
    case = world.refer()
    other = PersonFactory(organisation=world.trust)
    share_case(other, world.housing)
    client.force_login(world.officer.user)
    response = client.get(f"/referrals/new/{other.pk}/?source_type=discharge.case&source_id={case.pk}")
    assert response.status_code == 404
