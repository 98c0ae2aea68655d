"""schemathesis against the live JSON API (real HTTP): every operation, a caseworker's and a team lead's
bearer token, every check. No 500s, responses (statuses, content types, bodies) as the OpenAPI document says,
and requests the document calls valid are not refused as invalid.

Bounded for CI: `EXAMPLES` schema-valid examples per operation and token (drawn both on the records set up
here and on ids the generator picks), and `NEGATIVE_EXAMPLES` schema-invalid ones per operation with the
caseworker's token; derandomized so every run sends the same requests; no shrinking. Measured: 4 min 35 s
for the three runs on the 2-core development machine with a load average of 8-11 (other test suites running).

One refinement of schemathesis's `positive_data_acceptance`: a schema-valid request may still get a 422
whose title is BREAKS_A_RULE, for rules JSON Schema cannot state (an NHS number's check digit, a date within
plausible bounds of today, a record the organisation may not use, a move the record's status does not
allow). A 422 with any other title (the request parser refusing what the schema allows) fails, as does any
other status that check refuses.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from typing import Any

import pytest
import requests
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from homeward.api.base import BREAKS_A_RULE
from homeward.core.models import Hospital, OrganisationKind, Ward
from homeward.core.roles import Role
from homeward.discharge import services as discharge
from homeward.governance.access import Actor
from homeward.governance.models import PersonCorrection
from tests.factories import PASSWORD, AgreementFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 25
NEGATIVE_EXAMPLES = 10  # schema-invalid requests: each must be refused (4xx), never a 500 or accepted
ACCEPTED = {401, 403, 404, 409, 429}


def rule_refusals_only(ctx: Any, response: Any, case: Any) -> bool | None:
    """positive_data_acceptance, except that a 422 naming a rule the schema cannot state is accepted."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if 200 <= status < 400 or status in ACCEPTED:
        return None
    if status == 422:
        try:
            title = json.loads(response.content).get("title")
        except ValueError:
            title = None
        if title == BREAKS_A_RULE:
            return None
    raise Failure(
        operation=case.operation.label,
        title="Schema-valid request refused",
        message=f"Got {status} {response.content[:300]!r} for data the schema allows",
    )


@pytest.fixture
def world() -> dict[str, Any]:
    trust = OrganisationFactory(name="Northgate Trust", kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, homes])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    ward = Ward.objects.create(hospital=hospital, name="Ward 7", beds=28)
    caseworker = MembershipFactory(organisation=trust, role=Role.CASEWORKER)
    lead = MembershipFactory(organisation=trust, role=Role.TEAM_LEAD)
    MembershipFactory(organisation=homes, role=Role.CASEWORKER)  # a housing team that can act on referrals
    person = PersonFactory(organisation=trust)
    case = discharge.refer_patient(
        actor=Actor(caseworker.user, caseworker),
        person_id=person.pk,
        housing_organisation_id=homes.pk,
        hospital_id=hospital.pk,
        ward_id=ward.pk,
        admitted_on=timezone.localdate() - dt.timedelta(days=3),
        referral_reason="Stairs at home",
    )
    blocker = discharge.raise_blocker(
        actor=Actor(caseworker.user, caseworker),
        case_id=case.pk,
        category="equipment",
        description="Bed rails",
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    correction = PersonCorrection.objects.create(
        person=person,
        organisation=homes,
        proposed_by=caseworker.user,
        proposed_at=timezone.now(),
        changes={"preferred_name": "Al"},
    )
    known = {
        "person_id": person.pk,
        "case_id": case.pk,
        "blocker_id": blocker.pk,
        "correction_id": correction.pk,
        "organisation_id": trust.pk,
        "agreement_id": trust.agreements.first().pk,
    }
    return {"members": {"caseworker": caseworker, "team_lead": lead}, "known": known}


def _token(base: str, membership: Any) -> str:
    body = json.dumps({"username": membership.user.username, "password": PASSWORD}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        return str(json.loads(reply.read())["token"])


def _negates_a_header(case: Any) -> bool:
    """Whether a negative case's mutations target a header (schemathesis's per-case metadata)."""
    data = case.meta.phase.data if case.meta is not None else None
    mutations = getattr(data, "mutations", None) or []
    locations = {getattr(data, "parameter_location", None), *(m.parameter_location for m in mutations)}
    return ParameterLocation.HEADER in locations


@pytest.mark.parametrize(
    ("role", "mode"),
    [
        ("caseworker", GenerationMode.POSITIVE),
        ("team_lead", GenerationMode.POSITIVE),
        # Refusing schema-invalid requests does not depend on the role: one token keeps the run short.
        ("caseworker", GenerationMode.NEGATIVE),
    ],
)
def test_the_api_does_what_its_openapi_document_says(live_server, world, role, mode):
    base = live_server.url
    token = _token(base, world["members"][role])  # also warms the server up (the first request is slow)
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", timeout=60)
    session = requests.Session()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        fixed = {name: world["known"][name] for name in names if name in world["known"]}
        strategy = operation.as_strategy(generation_mode=mode)
        if fixed and mode == GenerationMode.POSITIVE:
            strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters=fixed))
        revokes = operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token")

        @settings(
            max_examples=EXAMPLES if mode == GenerationMode.POSITIVE else NEGATIVE_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            # Revoking a token ends it: that operation gets a fresh one each time, so the others keep theirs.
            bearer = _token(base, world["members"][role]) if revokes else token
            # A negative case that removes or breaks the Authorization header is sent as generated: adding
            # the token back would make that part valid again, leaving a case schemathesis misjudges.
            headers = {} if _negates_a_header(case) else {"Authorization": f"Bearer {bearer}"}
            case.call_and_validate(
                base_url=base,
                session=session,
                headers=headers,
                excluded_checks=[positive_data_acceptance],
                additional_checks=[rule_refusals_only],
                timeout=30,
            )

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every failing operation is reported, together
            failures.append(f"{operation.label}: {exc}"[:3000])
    assert not failures, "\n\n".join(failures)
