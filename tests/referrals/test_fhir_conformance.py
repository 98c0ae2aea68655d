"""FHIR R4 conformance with partners' real client libraries over real HTTP: fhirclient reads the
CapabilityStatement (prepare()) and parses resources with its own strict R4 models; fhirpy pages through a
search with fetch_all(); versioned reads and If-Match updates; every error is an OperationOutcome."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from fhirclient import client as fhirclient_client
from fhirclient.models.bundle import Bundle as ClientBundle
from fhirclient.models.capabilitystatement import CapabilityStatement as ClientCapabilityStatement
from fhirclient.models.codesystem import CodeSystem as ClientCodeSystem
from fhirclient.models.operationoutcome import OperationOutcome as ClientOperationOutcome
from fhirclient.models.task import Task as ClientTask
from fhirclient.models.valueset import ValueSet as ClientValueSet
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import MultipleResourcesFound

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.governance.access import Actor
from homeward.referrals import fhir, services
from homeward.referrals.codes import Outcome
from homeward.referrals.models import Referral
from tests.api.conftest import ApiClient
from tests.factories import AgreementFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

REFERRALS = 7
# FHIRPath as OperationOutcome.issue.expression uses it: Resource.element[index].element…
FHIRPATH = re.compile(r"^[A-Z][A-Za-z]+(\.[a-z][A-Za-z]*(\[\d+\])?)*$")


@pytest.fixture
def world(live_server):
    housing = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    advice = OrganisationFactory(name="Citizens Advice North", kind=OrganisationKind.VOLUNTARY_SECTOR)
    other = OrganisationFactory(name="Elsewhere Advice", kind=OrganisationKind.VOLUNTARY_SECTOR)
    AgreementFactory(parties=[housing, advice, other])
    officer = MembershipFactory(organisation=housing, role=Role.CASEWORKER)
    adviser = MembershipFactory(organisation=advice, role=Role.PARTNER)
    person = PersonFactory(organisation=housing)
    referrals = [
        services.send_referral(
            actor=Actor(officer.user, officer),
            person_id=person.pk,
            to_organisation_id=(advice if i < REFERRALS else other).pk,
            service_kind="money_advice",
            reason=f"Rent arrears {i}",
        )
        for i in range(REFERRALS + 2)  # two go to another organisation, which the adviser must not see
    ]
    # The live server's first answer loads every URL module; on a loaded machine that can outlast the
    # API client's 10-second timeout, so wait for it here.
    urllib.request.urlopen(f"{live_server.url}/fhir/R4/metadata", timeout=120).read()
    tokens = ApiClient(f"{live_server.url}/api/v1")
    return {
        "base": f"{live_server.url}/fhir/R4",
        "officer": tokens.token_for(officer),
        "adviser": tokens.token_for(adviser),
        "person": person,
        "mine": [r.pk for r in referrals[:REFERRALS]],
        "referral": referrals[0],
    }


def _http(
    world: dict[str, Any],
    method: str,
    path: str,
    body: Any = None,
    token: str | None = "adviser",
    **headers: str,
) -> tuple[int, dict[str, str], Any]:
    data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(f"{world['base']}{path}", data=data, method=method)
    if data is not None and "Content-Type" not in headers:
        request.add_header("Content-Type", "application/fhir+json")
    if token:
        request.add_header("Authorization", f"Bearer {world[token]}")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, got, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, got, content = error.code, error.headers, error.read()
    return status, dict(got.items()), json.loads(content) if content else None


def _fhirpy(world: dict[str, Any], who: str = "adviser", if_match: str = "") -> SyncFHIRClient:
    headers = {"If-Match": if_match} if if_match else None
    return SyncFHIRClient(world["base"], authorization=f"Bearer {world[who]}", extra_headers=headers)


def test_fhirclient_prepares_from_the_capability_statement(world):
    smart = fhirclient_client.FHIRClient(settings={"app_id": "homeward-tests", "api_base": world["base"]})
    assert smart.prepare() is True
    capability = smart.server.capabilityStatement
    assert isinstance(capability, ClientCapabilityStatement)  # parsed by fhirclient's strict R4 models
    assert capability.fhirVersion == "4.0.1" and "application/fhir+json" in capability.format
    rest = capability.rest[0]
    assert "Bearer" in rest.security.description and rest.security.service[0].text == "Bearer token"
    served = {r.type: r for r in rest.resource}
    assert set(served) == {"Patient", "ServiceRequest", "Task", "CodeSystem", "ValueSet"}
    assert {i.code for i in served["Task"].interaction} == {"read", "update", "search-type"}
    assert {i.code for i in served["Patient"].interaction} == {"read", "search-type"}
    assert {p.name for p in served["Task"].searchParam} >= {"status", "patient", "_count", "_offset"}
    assert served["Task"].versioning == "versioned"
    assert fhir.OUTCOME_VALUE_SET in served["Task"].documentation


def test_the_outcome_codes_are_served_as_a_code_system_and_value_set(world):
    status, headers, body = _http(world, "GET", f"/CodeSystem/{fhir.OUTCOME_ID}", token=None)
    assert status == 200 and headers["Content-Type"].startswith("application/fhir+json")
    codes = ClientCodeSystem(body, strict=True)
    assert codes.url == fhir.OUTCOME_SYSTEM
    assert {c.code for c in codes.concept} == set(Outcome.values)
    need_met = next(c for c in codes.concept if c.code == "need_met")
    assert [p.valueCode for p in need_met.property] == ["completed"]
    status, _, body = _http(world, "GET", f"/ValueSet/{fhir.OUTCOME_ID}", token=None)
    value_set = ClientValueSet(body, strict=True)
    assert status == 200 and value_set.compose.include[0].system == fhir.OUTCOME_SYSTEM
    assert _http(world, "GET", "/ValueSet/other", token=None)[0] == 404


def test_fhirpy_fetch_all_returns_every_matching_task_across_pages(world):
    tasks = _fhirpy(world).resources("Task").search(status="requested").limit(2).fetch_all()
    ids = [int(t.id) for t in tasks]
    assert len(ids) == REFERRALS and sorted(ids) == sorted(world["mine"])  # no gaps, no duplicates
    assert _fhirpy(world).resources("Task").count() == REFERRALS


def test_searchset_pages_carry_the_true_total_and_links_both_ways(world):
    status, _, first = _http(world, "GET", "/Task?_count=3")
    assert status == 200 and first["total"] == REFERRALS and len(first["entry"]) == 3
    ClientBundle(first, strict=True)
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert set(links) == {"self", "first", "next"}
    seen, url = [], links["self"]
    while url:
        page = json.loads(urllib.request.urlopen(_authorised(url, world["adviser"]), timeout=10).read())
        seen += [e["resource"]["id"] for e in page["entry"]]
        relations = {link["relation"]: link["url"] for link in page["link"]}
        url = relations.get("next", "")
        last = relations
    assert sorted(int(i) for i in seen) == sorted(world["mine"])
    assert "previous" in last and "_offset=3" in last["previous"]
    for query in ("_count=0", "_summary=count"):
        status, _, counted = _http(world, "GET", f"/Task?{query}")
        assert status == 200 and counted["total"] == REFERRALS and "entry" not in counted


def _authorised(url: str, token: str) -> urllib.request.Request:
    request = urllib.request.Request(url)
    request.add_header("Authorization", f"Bearer {token}")
    return request


def test_unknown_parameters_are_reported_and_result_changing_ones_refused(world):
    status, _, bundle = _http(world, "GET", "/Task?colour=blue&_count=1")
    assert status == 200 and bundle["total"] == REFERRALS
    outcomes = [e for e in bundle["entry"] if e["search"]["mode"] == "outcome"]
    issue = outcomes[0]["resource"]["issue"][0]
    assert issue["severity"] == "warning" and "colour" in issue["diagnostics"]
    assert _http(world, "GET", "/Task?colour=blue", Prefer="handling=strict")[0] == 400
    for query in ("_sort=-authored-on", "_summary=true", "_include=Task:patient", "_elements=status"):
        assert _http(world, "GET", f"/Task?{query}")[0] == 400, query


def test_reads_are_versioned_and_a_stale_if_match_gets_412(world):
    referral = world["referral"]
    task = _fhirpy(world).reference("Task", str(referral.pk)).to_resource()
    version = task["meta"]["versionId"]
    status, headers, _ = _http(world, "GET", f"/Task/{referral.pk}")
    assert status == 200 and headers["ETag"] == f'W/"{version}"'
    task["status"] = "accepted"
    accepted = _fhirpy(world, if_match=f'W/"{version}"').resource("Task", **dict(task)).save()
    assert accepted["status"] == "accepted" and int(accepted["meta"]["versionId"]) == int(version) + 1
    # A second partner system still holding the old version tries to start the work: refused, unchanged.
    task["status"] = "in-progress"
    with pytest.raises(MultipleResourcesFound):  # fhirpy's exception for a 412
        _fhirpy(world, if_match=f'W/"{version}"').resource("Task", **dict(task)).save()
    status, headers, body = _http(world, "PUT", f"/Task/{referral.pk}", dict(task), If_Match=f'W/"{version}"')
    assert (
        status == 412
        and body["resourceType"] == "OperationOutcome"
        and body["issue"][0]["code"] == "conflict"
    )
    assert headers["ETag"] == f'W/"{int(version) + 1}"'
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    fresh = _http(world, "PUT", f"/Task/{referral.pk}", dict(task), If_Match=headers["ETag"])
    assert fresh[0] == 200 and fresh[2]["status"] == "in-progress"
    ClientTask(fresh[2], strict=True)


def test_put_keeps_the_access_rules(world):
    referral = world["referral"]
    body = {"resourceType": "Task", "id": str(referral.pk), "intent": "order", "status": "accepted"}
    assert (
        _http(world, "PUT", f"/Task/{referral.pk}", body, token="officer")[0] == 422
    )  # referrer can't accept
    moved = {**body, "for": {"reference": "Patient/1"}}
    status, _, outcome = _http(world, "PUT", f"/Task/{referral.pk}", moved)
    assert status == 422 and outcome["issue"][0]["expression"] == ["Task.for"]
    assert _http(world, "PUT", f"/Task/{world['mine'][1]}", body)[0] == 400  # id in body differs from URL
    assert Referral.objects.get(pk=referral.pk).status == "requested"


ERRORS = [
    ("GET", "/Task/abc", {}, None, 400, None),
    ("GET", "/Patient/abc", {}, None, 400, None),
    ("GET", "/Task?_count=abc", {}, None, 400, None),
    ("GET", "/Task?_count=101", {}, None, 400, None),
    ("GET", "/Task?_offset=-1", {}, None, 400, None),
    ("GET", "/Task?status=bogus", {}, None, 400, None),
    ("GET", "/Task?patient=Person/1", {}, None, 400, None),
    ("GET", "/Observation", {}, None, 404, None),
    ("GET", "/Observation/1", {}, None, 404, None),
    ("GET", "/Task/999999", {}, None, 404, None),
    ("GET", "/Task/99999999999999999999999", {}, None, 404, None),
    ("PUT", "/Patient/1", {}, {"resourceType": "Patient"}, 405, "GET"),
    ("DELETE", "/Task/1", {}, None, 405, "GET, PUT"),
    ("POST", "/Patient", {}, {"resourceType": "Patient"}, 405, "GET"),
    ("OPTIONS", "/Task", {}, None, 405, "GET, POST"),
    ("GET", "/Task", {"Accept": "application/fhir+xml"}, None, 406, None),
    ("GET", "/Task?_format=xml", {}, None, 406, None),
    ("GET", "/metadata?_format=application/fhir+xml", {}, None, 406, None),
    ("POST", "/Task", {"Content-Type": "text/plain"}, b"status=accepted", 415, None),
    ("POST", "/Task", {}, b"{not json", 400, None),
    (
        "POST",
        "/Task",
        {},
        {"resourceType": "Task", "id": "1", "intent": "order", "authoredOn": "x"},
        400,
        None,
    ),
]


def test_every_error_is_an_operation_outcome(world):
    """One world for all the cases (each names itself on failure), to keep the live-server test short."""
    for method, path, headers, body, status, allow in ERRORS:
        case = f"{method} {path} {headers}"
        got, answer_headers, answer = _http(world, method, path, body, **headers)
        assert got == status, (case, answer)
        assert answer_headers["Content-Type"].startswith("application/fhir+json"), case
        outcome = ClientOperationOutcome(answer, strict=True)
        assert outcome.issue and outcome.issue[0].severity == "error", case
        for issue in outcome.issue:
            for expression in issue.expression or []:
                assert FHIRPATH.match(expression), (case, expression)
        if allow:
            assert sorted(answer_headers["Allow"].replace(" ", "").split(",")) == sorted(allow.split(", "))
        else:
            assert "Allow" not in answer_headers, case


def test_business_rule_errors_name_fhirpath_expressions(world):
    referral = world["referral"]
    body = {"resourceType": "Task", "id": str(referral.pk), "intent": "order", "status": "rejected"}
    status, _, outcome = _http(world, "PUT", f"/Task/{referral.pk}", body)
    assert status == 422 and outcome["issue"][0]["expression"] == ["Task.statusReason"]
    status, _, outcome = _http(world, "GET", "/Task", token=None)
    assert status == 401 and outcome["resourceType"] == "OperationOutcome"
