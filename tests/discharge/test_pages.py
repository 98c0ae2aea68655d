"""Hospital to Home pages through the Django test client: refer, worklist, case actions, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.discharge.models import Blocker, DischargeCase
from homeward.governance.models import AuditEvent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _d(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def _referral(world, **overrides):
    return {
        "hospital": world.hospital.pk,
        "ward": world.ward.pk,
        "setting": "ward",
        "admitted_on": _d(-3),
        "referral_reason": "Cannot manage stairs at home",
        "housing_organisation": world.housing.pk,
        "consent_status": "given",
        "lawful_basis": "6.1.a",
    } | overrides


def test_clinician_refers_from_the_person_page_and_lands_on_the_case(client, world):
    client.force_login(world.clinician.user)
    assert "Refer to Hospital to Home" in client.get(f"/people/{world.patient.pk}/").content.decode()
    response = client.post(f"/discharge/refer/{world.patient.pk}/", _referral(world))
    case = DischargeCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/discharge/cases/{case.pk}/"


def test_a_referral_with_ready_date_before_admission_shows_the_error_and_writes_nothing(client, world):
    client.force_login(world.clinician.user)
    response = client.post(
        f"/discharge/refer/{world.patient.pk}/", _referral(world, discharge_ready_on=_d(-5))
    )
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert "cannot be before the admission date" in page and 'href="#id_discharge_ready_on"' in page
    assert DischargeCase.objects.count() == 0


def test_housing_officer_works_the_case_from_the_worklist(client, world):
    case = world.refer()
    client.force_login(world.officer.user)
    worklist = client.get("/discharge/").content.decode()
    assert f"/discharge/cases/{case.pk}/" in worklist
    assert AuditEvent.objects.filter(action="search", actor_username=world.officer.user.username).exists()
    client.post(f"/discharge/cases/{case.pk}/screen/", {"items": ["home_unsuitable"]})
    client.post(f"/discharge/cases/{case.pk}/move/", {"to_status": "active"})
    client.post(
        f"/discharge/cases/{case.pk}/blockers/",
        {"category": "home_unsuitable", "description": "Needs a stairlift", "due_on": _d(2)},
    )
    blocker = Blocker.objects.get()
    page = client.get(f"/discharge/cases/{case.pk}/").content.decode()
    assert "Needs a stairlift" in page and "Moved to Active" in page
    client.post(
        f"/discharge/cases/{case.pk}/blockers/{blocker.pk}/resolve/", {"resolution": "Bed moved downstairs"}
    )
    blocker.refresh_from_db()
    assert blocker.resolved_on == timezone.localdate()


def test_a_refused_blocker_keeps_what_was_typed_and_shows_the_error_summary(client, world):
    case = world.refer()
    client.force_login(world.officer.user)
    client.post(f"/discharge/cases/{case.pk}/move/", {"to_status": "screening"})
    typed = "Ambulance booked for Tuesday but the crew need a bariatric chair " + "x" * 480
    response = client.post(
        f"/discharge/cases/{case.pk}/blockers/",
        {"category": "transport", "description": typed, "due_on": _d(-1)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in page and "There is a problem" in page
    assert 'href="#id_description"' in page and "500 characters" in page
    assert typed in page and 'value="transport" selected' in page
    assert "nhsuk-details" in page and 'id="raise-blocker" open' in page
    assert Blocker.objects.count() == 0
    response = client.post(
        f"/discharge/cases/{case.pk}/blockers/",
        {"category": "transport", "description": "Ambulance", "due_on": _d(-1)},
    )
    page = response.content.decode()
    assert "Due date cannot be in the past" in page and 'href="#id_due_on"' in page
    assert 'value="Ambulance"' in page
    assert Blocker.objects.count() == 0


def test_an_illegal_move_is_refused_with_the_allowed_next_statuses(client, world):
    case = world.refer()
    client.force_login(world.officer.user)
    response = client.post(f"/discharge/cases/{case.pk}/move/", {"to_status": "closed"}, follow=True)
    assert "cannot move from &#x27;referred&#x27; to &#x27;closed&#x27;" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "referred"


def test_the_case_page_shows_bed_days_lost_by_blocker(client, world):
    from homeward.discharge.models import Blocker as BlockerModel

    today = timezone.localdate()
    case = world.refer(
        admitted_on=today - dt.timedelta(days=10), discharge_ready_on=today - dt.timedelta(days=4)
    )
    BlockerModel.objects.create(
        case=case,
        category="care_package",
        description="Carers",
        raised_on=case.admitted_on,
        due_on=today,
        owner_organisation=world.trust,
    )
    client.force_login(world.officer.user)
    page = client.get(f"/discharge/cases/{case.pk}/").content.decode()
    assert "Bed-days lost" in page and "<strong>4</strong>" in page
    assert "Awaiting care package at home: 4" in page


@pytest.mark.parametrize("view", ["all", "team", "overdue", "ready", "mine"])
def test_a_worklist_page_costs_the_same_few_queries_however_many_cases(
    client, world, view, django_assert_max_num_queries
):
    for _ in range(30):
        case = world.refer(person_id=PersonFactory(organisation=world.trust).pk)
        Blocker.objects.create(
            case=case,
            category="transport",
            description="x",
            owner_organisation=world.housing,
            raised_on=timezone.localdate(),
            due_on=timezone.localdate(),
        )
    client.force_login(world.officer.user)
    # session, user, membership, count, rows, audit chain head and insert, the navigation's memberships
    with django_assert_max_num_queries(14):
        response = client.get(f"/discharge/?view={view}")
    assert response.status_code == 200
