"""The situation report over the JSON API, the trust picker on its page, and the delay-reason override form
that keeps what was typed when it is refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services
from homeward.discharge.models import DelayReason, DelayReasonOverride
from homeward.discharge.sitrep import weekly_sitrep
from tests.discharge.test_sitrep import ACUTE, WEEK, small_trust  # noqa: F401 (a fixture)
from tests.factories import PASSWORD, AgreementFactory, OrganisationFactory, make_actor

pytestmark = pytest.mark.django_db


def _auth(client, actor):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": actor.user.username, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_the_api_gives_the_pages_figures_and_hides_small_numbers_outside_the_trust(
    client,
    world,
    small_trust,  # noqa: F811
):
    params = {"organisation": world.trust.pk, "week": WEEK.isoformat()}
    response = client.get("/api/v1/discharge/sitrep", params, **_auth(client, world.clinician))
    assert response.status_code == 200, response.content
    body = response.json()
    report = weekly_sitrep(actor=world.clinician, organisation_id=world.trust.pk, week=WEEK)
    assert body == json.loads(json.dumps(report.as_json()))
    assert list(body["reasons"]) == ACUTE and body["los_14_plus"] == 4.29 and body["shared"] is False
    # The housing provider sees only its own cases, and small numbers as "*".
    theirs = client.get("/api/v1/discharge/sitrep", params, **_auth(client, world.officer)).json()
    assert theirs["shared"] is True and theirs["los_14_plus"] == "*"


def test_the_api_refuses_bad_input_naming_the_field_and_a_stranger_gets_404(client, world):
    auth = _auth(client, world.clinician)
    for params, field in (
        ({"organisation": world.trust.pk, "week": "2024-01-09"}, "week"),
        ({"organisation": 999_999, "week": "2024-01-08"}, "organisation"),
        ({"organisation": world.trust.pk, "week": "2024-01-08", "collection": "mental"}, "collection"),
        ({"week": "2024-01-08"}, "organisation"),
    ):
        response = client.get("/api/v1/discharge/sitrep", params, **auth)
        assert response.status_code in (400, 422), (params, response.content)
        assert response["Content-Type"].startswith("application/problem+json")
        assert field in response.content.decode(), (params, response.content)
    stranger = make_actor(Role.CASEWORKER, OrganisationFactory(name="Unrelated Homes"))
    response = client.get(
        "/api/v1/discharge/sitrep",
        {"organisation": world.trust.pk, "week": "2024-01-08"},
        **_auth(client, stranger),
    )
    assert response.status_code == 404


def test_the_page_offers_the_trusts_the_actor_may_report_on(client, world):
    second = OrganisationFactory(name="Second Valley NHS Trust", kind=OrganisationKind.NHS_TRUST)
    AgreementFactory(parties=[second, world.officer.organisation])
    client.force_login(world.officer.user)
    page = client.get("/discharge/sitrep/").content.decode()
    assert 'name="organisation"' in page and "<select" in page
    assert world.trust.name in page and "Second Valley NHS Trust" in page
    # The trust sees only itself in the picker, and the page's menu links to the report.
    client.force_login(world.clinician.user)
    page = client.get("/discharge/sitrep/").content.decode()
    assert world.trust.name in page and "Second Valley NHS Trust" not in page
    lonely = make_actor(Role.TEAM_LEAD, OrganisationFactory(name="Lonely Homes"))
    client.force_login(lonely.user)
    page = client.get("/discharge/sitrep/").content.decode()
    assert "shares no Hospital to Home data with an NHS trust" in page
    assert 'href="/discharge/sitrep/"' in page  # the navigation entry


def test_a_refused_override_shows_the_case_again_with_what_was_typed(client, world):
    case = world.refer(discharge_ready_on=timezone.localdate() - dt.timedelta(days=2))
    services.raise_blocker(
        actor=world.officer,
        case_id=case.pk,
        category="homeless",
        description="No home",
        due_on=timezone.localdate(),
    )
    transport = DelayReason.objects.get(reason_list__key="acute-2024-01", text="Awaiting transport")
    client.force_login(world.officer.user)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/discharge/cases/{case.pk}/delay-reason/",
        {"reason": transport.pk, "starts_on": future, "note": "Taxi booked for Friday"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "cannot start in the future" in page
    assert 'value="Taxi booked for Friday"' in page and f'value="{future}"' in page
    assert f'<option value="{transport.pk}" selected>' in page
    assert 'id="set-delay-reason" open' in page
    assert not DelayReasonOverride.objects.filter(case=case).exists()
