"""A refused decision on a partner's proposed correction shows the person page again (400) with the error
summary naming the note and the note as typed at that correction; it used to redirect and lose it."""

from __future__ import annotations

import pytest

from homeward.core.models import OrganisationKind, Person
from homeward.core.roles import Role
from homeward.governance.models import CorrectionStatus, PersonCorrection
from homeward.people import services
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor, share_case

pytestmark = pytest.mark.django_db


def test_a_refused_note_keeps_what_was_typed_and_applies_nothing(client):
    trust = OrganisationFactory(name="Northgate Trust", kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, homes])
    person = PersonFactory(organisation=trust, family_name="Dixon")
    share_case(person, homes)
    proposal = services.update_person(
        actor=make_actor(Role.CASEWORKER, homes), person_id=person.pk, changes={"family_name": "Jones"}
    )
    assert isinstance(proposal, PersonCorrection)
    nurse = make_actor(Role.CLINICIAN, trust)
    client.force_login(nurse.user)
    typed = "Checked with the patient " + "x" * 500
    url = f"/people/{person.pk}/corrections/{proposal.pk}/"

    response = client.post(url, {"decision": "accept", "note": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and f'href="#note-{proposal.pk}"' in page
    assert f"{typed}</textarea>" in page
    assert Person.objects.get(pk=person.pk).family_name == "Dixon"  # nothing applied
    assert PersonCorrection.objects.get(pk=proposal.pk).status == CorrectionStatus.PENDING

    bell = client.post(url, {"decision": "reject", "note": "Wrong\x07 person"})
    assert bell.status_code == 400 and "control characters" in bell.content.decode()
    assert PersonCorrection.objects.get(pk=proposal.pk).status == CorrectionStatus.PENDING

    done = client.post(url, {"decision": "accept", "note": "Checked with the patient"})
    assert done.status_code == 302
    assert Person.objects.get(pk=person.pk).family_name == "Jones"
