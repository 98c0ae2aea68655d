"""The demo's cross-app journeys: a Northgate patient discharged to Brightwater Nursing Home continues as one
journey, her resident record naming the Hospital to Home case it came from."""

from __future__ import annotations

import pytest
from django.test import Client

from homeward.carehomes.models import Resident
from homeward.core.models import Membership
from homeward.demo import seed_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_a_patient_discharged_to_the_nursing_home_continues_as_one_journey():
    seed_demo()
    resident = Resident.objects.select_related("home", "trusted_assessment", "person").get(
        person__given_name="Winifred", person__family_name="Ashby"
    )
    case = resident.trusted_assessment.case
    assert resident.home.name == "Brightwater Nursing Home"
    assert resident.discharge_case_id == case.pk and case.person_id == resident.person_id
    assert (case.status, case.destination, case.pathway) == ("discharged", "care_home", "3")
    assert case.discharged_on == resident.admitted_on
    # Accepted under the nursing home's protocol with the trust: no re-assessment.
    assert resident.pre_admission == "trusted_accepted" and resident.protocol is not None
    assert resident.trusted_assessment.status == "accepted"
    # The care home manager sees the case it came from on the resident's page.
    manager = Membership.objects.get(user__username="carehome")
    client = Client()
    client.force_login(manager.user)
    session = client.session
    session["membership_id"] = manager.pk
    session.save()
    body = client.get(f"/carehomes/residents/{resident.pk}/").content.decode()
    assert f"H2H-{case.pk:06d}" in body and "Trusted assessment accepted" in body
