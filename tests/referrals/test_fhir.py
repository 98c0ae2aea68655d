"""FHIR R4 over real HTTP: ServiceRequest and Task round-trip through fhir.resources; partners move a
referral by posting its Task; invalid updates come back as OperationOutcome with a 4xx status."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.referrals import fhir, services
from homeward.referrals.models import Referral
from tests.api.conftest import ApiClient
from tests.factories import AgreementFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(live_server):
    housing = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    advice = OrganisationFactory(name="Citizens Advice North", kind=OrganisationKind.VOLUNTARY_SECTOR)
    AgreementFactory(parties=[housing, advice])
    officer = MembershipFactory(organisation=housing, role=Role.CASEWORKER)
    adviser = MembershipFactory(organisation=advice, role=Role.PARTNER)
    person = PersonFactory(organisation=housing, phone="07700 900456")
    referral = services.send_referral(
        actor=_actor(officer),
        person_id=person.pk,
        to_organisation_id=advice.pk,
        service_kind="money_advice",
        reason="Rent arrears",
        shared_fields=["contact"],
    )
    client = ApiClient(f"{live_server.url}/fhir/R4")
    token_client = ApiClient(f"{live_server.url}/api/v1")
    return {
        "fhir": client,
        "officer": token_client.token_for(officer),
        "adviser": token_client.token_for(adviser),
        "person": person,
        "referral": referral,
    }


def _actor(membership):
    from homeward.governance.access import Actor

    return Actor(membership.user, membership)


def test_service_request_and_task_round_trip_through_fhir_resources(world):
    fhir_client, referral = world["fhir"], world["referral"]
    request = fhir_client("GET", f"/ServiceRequest/{referral.pk}", token=world["adviser"])
    assert request.status == 200 and request.content_type.startswith("application/fhir+json")
    parsed = ServiceRequest.model_validate(request.body)
    assert parsed.status == "active" and parsed.subject.reference == f"Patient/{world['person'].pk}"
    assert ServiceRequest.model_validate_json(parsed.model_dump_json()) == parsed
    task = Task.model_validate(fhir_client("GET", f"/Task/{referral.pk}", token=world["adviser"]).body)
    assert task.status == "requested" and task.focus.reference == f"ServiceRequest/{referral.pk}"
    assert Task.model_validate_json(task.model_dump_json()) == task
    bundle = Bundle.model_validate(fhir_client("GET", "/Task?status=requested", token=world["adviser"]).body)
    assert bundle.total == 1 and bundle.entry[0].resource.id == str(referral.pk)


def test_the_patient_carries_the_nhs_number_for_its_holder_and_only_shared_fields_for_the_receiver(world):
    fhir_client, person = world["fhir"], world["person"]
    own = Patient.model_validate(fhir_client("GET", f"/Patient/{person.pk}", token=world["officer"]).body)
    assert own.identifier[0].system == fhir.NHS_NUMBER_SYSTEM and own.identifier[0].value == person.nhs_number
    shared = Patient.model_validate(fhir_client("GET", f"/Patient/{person.pk}", token=world["adviser"]).body)
    assert shared.identifier is None and shared.birthDate is None
    assert shared.telecom[0].value == "07700 900456"
    query = f"/Patient?identifier={fhir.NHS_NUMBER_SYSTEM}|{person.nhs_number}"
    assert fhir_client("GET", query, token=world["officer"]).body["total"] == 1
    assert fhir_client("GET", query, token=world["adviser"]).body["total"] == 0


def _post_task(world, token, **fields):
    body = {"resourceType": "Task", "id": str(world["referral"].pk), "intent": "order", **fields}
    return world["fhir"]("POST", "/Task", body, token=token)


def test_a_partner_accepts_and_completes_by_posting_the_task(world):
    accepted = _post_task(world, world["adviser"], status="accepted")
    assert accepted.status == 200 and Task.model_validate(accepted.body).status == "accepted"
    output = [
        {
            "type": {"text": "Outcome"},
            "valueCodeableConcept": {
                "coding": [{"system": fhir.OUTCOME_SYSTEM, "code": "need_met"}],
                "text": "Plan",
            },
        }
    ]
    done = _post_task(world, world["adviser"], status="completed", output=output)
    assert done.status == 200
    referral = Referral.objects.get(pk=world["referral"].pk)
    assert (referral.status, referral.outcome, referral.outcome_note) == ("completed", "need_met", "Plan")


@pytest.mark.parametrize(
    "who, fields, status, code",
    [
        ("adviser", {"status": "ready"}, 422, "code-invalid"),  # not in the Gravity referral value set
        ("adviser", {"status": "bogus"}, 422, "code-invalid"),
        ("adviser", {"status": "completed"}, 422, "business-rule"),  # requested -> completed is not a move
        ("officer", {"status": "accepted"}, 422, "business-rule"),  # the referrer cannot accept
        ("adviser", {"status": "rejected"}, 422, "business-rule"),  # rejecting needs a reason
        ("adviser", {"status": "accepted", "authoredOn": "last Tuesday"}, 400, "structure"),
    ],
)
def test_invalid_task_updates_come_back_as_operation_outcomes(world, who, fields, status, code):
    reply = _post_task(world, world[who], **fields)
    assert reply.status == status, reply.body
    outcome = OperationOutcome.model_validate(reply.body)
    assert outcome.issue[0].code == code
    assert Referral.objects.get(pk=world["referral"].pk).status == "requested"


def test_no_token_and_unknown_tasks_are_refused(world):
    assert world["fhir"]("GET", f"/Task/{world['referral'].pk}").status == 401
    assert world["fhir"]("GET", "/Task/999999", token=world["adviser"]).status == 404


def test_service_request_search_filters_by_status_before_counting(world):
    referral = world["referral"]
    officer = Referral.objects.get(pk=referral.pk).referred_by.memberships.get()
    newer = services.send_referral(
        actor=_actor(officer),
        person_id=world["person"].pk,
        to_organisation_id=referral.to_organisation_id,
        service_kind="money_advice",
        reason="Council tax arrears",
    )
    services.move_referral(
        actor=_actor(officer), referral_id=newer.pk, to_status="cancelled", reason="Sorted"
    )
    reply = world["fhir"]("GET", "/ServiceRequest?status=active&_count=1", token=world["adviser"])
    bundle = Bundle.model_validate(reply.body)
    assert bundle.total == 1 and bundle.entry[0].resource.id == str(referral.pk)
    assert world["fhir"]("GET", "/ServiceRequest?status=accepted", token=world["adviser"]).status == 400
