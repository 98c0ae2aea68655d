"""The case page's inline forms (resolve a blocker, mark a follow-up done) show the page again on bad input,
with the NHS.UK error summary naming the field and what was typed still in it; nothing is written. They
used to redirect with a flashed message and lose the text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import care, services
from homeward.discharge.codes import CaseStatus
from homeward.discharge.models import Blocker, FollowUpTask, TrustedAssessment
from tests.factories import AgreementFactory, OrganisationFactory, make_actor

pytestmark = pytest.mark.django_db


def _with_blocker(world):
    case = world.refer()
    services.transition_case(actor=world.officer, case_id=case.pk, to_status=CaseStatus.SCREENING)
    blocker = services.raise_blocker(
        actor=world.officer,
        case_id=case.pk,
        category="equipment",
        description="Stairlift needed",
        owner_organisation_id=world.housing.pk,
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    return case, blocker


def test_a_refused_resolution_keeps_what_was_typed_at_its_blocker(client, world):
    case, blocker = _with_blocker(world)
    client.force_login(world.officer.user)
    typed = "Fitted by the council " + "x" * 500  # over the 500-character limit
    response = client.post(
        f"/discharge/cases/{case.pk}/blockers/{blocker.pk}/resolve/", {"resolution": typed}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and f'href="#resolution-{blocker.pk}"' in page
    assert "How was it resolved?: Ensure this value has at most 500 characters" in page
    assert f'value="{typed}"' in page and f'id="resolution-{blocker.pk}"' in page
    blocker.refresh_from_db()
    assert blocker.resolved_on is None and blocker.resolution == ""  # nothing written

    empty = client.post(f"/discharge/cases/{case.pk}/blockers/{blocker.pk}/resolve/", {"resolution": "  "})
    assert empty.status_code == 400 and "This field is required" in empty.content.decode()
    done = client.post(
        f"/discharge/cases/{case.pk}/blockers/{blocker.pk}/resolve/", {"resolution": "Stairlift fitted"}
    )
    assert done.status_code == 302 and done["Location"].endswith(f"/discharge/cases/{case.pk}/#blockers")
    blocker.refresh_from_db()
    assert blocker.resolution == "Stairlift fitted"


def test_a_blocker_of_another_case_is_not_found_through_this_case(client, world):
    case, blocker = _with_blocker(world)
    other = world.refer(second_case_reason="A different admission")
    client.force_login(world.officer.user)
    response = client.post(f"/discharge/cases/{other.pk}/blockers/{blocker.pk}/resolve/", {"resolution": "x"})
    assert response.status_code == 404
    assert Blocker.objects.get(pk=blocker.pk).resolved_on is None


def test_a_refused_follow_up_outcome_keeps_what_was_typed(client, world):
    case = world.refer()
    for step in (CaseStatus.SCREENING, CaseStatus.ACTIVE, CaseStatus.READY):
        services.transition_case(actor=world.officer, case_id=case.pk, to_status=step)
    services.transition_case(
        actor=world.officer,
        case_id=case.pk,
        to_status=CaseStatus.DISCHARGED,
        discharged_on=timezone.localdate(),
        destination="usual_home",
    )
    task = FollowUpTask.objects.filter(case=case).order_by("due_on").first()
    assert task is not None
    client.force_login(world.officer.user)
    typed = "Rang twice\x07 no answer"  # a control character pasted in
    response = client.post(f"/discharge/cases/{case.pk}/follow-ups/{task.pk}/done/", {"outcome": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and f'href="#outcome-{task.pk}"' in page
    assert "control characters" in page and f'value="{typed}"' in page
    task.refresh_from_db()
    assert task.done_on is None and task.outcome == ""
    done = client.post(f"/discharge/cases/{case.pk}/follow-ups/{task.pk}/done/", {"outcome": "All well"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.done_on == timezone.localdate() and task.outcome == "All well"


def test_a_refused_decline_keeps_the_note_at_its_assessment(client, world):
    home = OrganisationFactory(name="Oakwood Care Home", kind=OrganisationKind.CARE_PROVIDER)
    AgreementFactory(parties=[world.trust, home])
    case = world.refer(pathway="3")
    assessment = care.submit_trusted_assessment(
        actor=world.clinician,
        case_id=case.pk,
        care_provider_id=home.pk,
        assessed_on=timezone.localdate(),
        domains={
            "mobility": "Walks with a frame",
            "personal_care": "Help of one",
            "medication": "Blister pack",
            "continence": "Continent",
        },
    )
    client.force_login(make_actor(Role.CASEWORKER, home).user)
    typed = "Needs nursing care\x07 at night"
    url = f"/discharge/cases/{case.pk}/assessments/{assessment.pk}/decide/"
    response = client.post(url, {"decision": "decline", "decision_note": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'href="#decision_note-{assessment.pk}"' in page and "control characters" in page
    assert f'value="{typed}"' in page
    assert TrustedAssessment.objects.get(pk=assessment.pk).status == "submitted"
    done = client.post(url, {"decision": "decline", "decision_note": "Needs nursing care at night"})
    assert done.status_code == 302
    assert TrustedAssessment.objects.get(pk=assessment.pk).status == "declined"
