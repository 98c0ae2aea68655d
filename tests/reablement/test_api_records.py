"""The API of a stay's day-by-day records and of contracts, over real HTTP with bearer tokens: red and green
days, daily notes, functional measures and scores, MDT reviews (attendees by discipline and organisation)
and their actions, contracts and the monthly report. Reads go through the access layer and are audited;
errors are problem+json naming the field; another organisation's stay is a 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from homeward.reablement import daily
from homeward.reablement.models import Contract, MdtAction
from tests.factories import make_actor
from tests.reablement.test_contracts_and_what_if import last_month, month_of_stays  # noqa: F401
from tests.reablement.test_pages import _token


@pytest.fixture
def api(world):
    tokens: dict[int, str] = {}

    def call(actor, method, path, payload=None):
        if actor.membership.pk not in tokens:
            tokens[actor.membership.pk] = _token(actor.membership)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[actor.membership.pk]}"}
        client = Client()
        if method == "GET":
            return client.get(f"/api/v1{path}", payload or {}, **headers)
        return client.generic(
            method, f"/api/v1{path}", json.dumps(payload or {}), content_type="application/json", **headers
        )

    return call


def fields(response) -> set[str]:
    assert response["Content-Type"] == "application/problem+json", response.content
    return {e["field"] for e in response.json().get("errors", [])}


def test_days_and_notes_are_written_read_audited_and_hidden_from_strangers(world, api):
    stay = world.admitted()
    base = f"/reablement/stays/{stay.pk}"
    today = timezone.localdate().isoformat()
    made = api(world.unit_worker, "POST", f"{base}/days", {"day": today, "colour": "green"})
    assert made.status_code == 201 and made.json()["colour"] == "green"
    red = api(world.unit_worker, "POST", f"{base}/days", {"day": today, "colour": "red"})
    assert red.status_code == 422 and "reason" in fields(red)
    note = api(world.unit_worker, "POST", f"{base}/notes", {"text": "Walked to the lounge"})
    assert note.status_code == 201
    assert api(world.unit_worker, "POST", f"{base}/notes", {"text": "   "}).status_code in (400, 422)
    days = api(world.clinician, "GET", f"{base}/days")  # the referrer sees the stay too
    assert days.status_code == 200 and [d["colour"] for d in days.json()] == ["green"]
    notes = api(world.unit_worker, "GET", f"{base}/notes").json()
    assert notes[0]["text"] == "Walked to the lounge"
    assert AuditEvent.objects.filter(
        purpose="View reablement daily notes", person_id=world.patient.pk
    ).exists()
    assert api(world.stranger, "GET", f"{base}/days").status_code == 404
    assert api(world.stranger, "POST", f"{base}/notes", {"text": "Hello"}).status_code == 404


def test_measures_and_scores_within_the_measures_range(world, api):
    stay = world.admitted()
    admin = make_actor(Role.ADMIN, world.provider)
    measure = daily.define_measure(
        actor=admin, name="Own mobility score", lowest=0, highest=10, licence="Our own measure"
    )
    listed = api(world.unit_worker, "GET", "/reablement/measures").json()
    assert [m["name"] for m in listed] == ["Own mobility score"]
    base = f"/reablement/stays/{stay.pk}/scores"
    score = {"measure_id": measure.pk, "stage": "admission", "scored_on": timezone.localdate().isoformat()}
    high = api(world.unit_worker, "POST", base, score | {"score": 11})
    assert high.status_code == 422 and "score" in fields(high)
    assert api(world.unit_worker, "POST", base, score | {"score": 4}).status_code == 201
    assert [s["score"] for s in api(world.unit_worker, "GET", base).json()] == [4]


def test_reviews_with_attendees_by_organisation_and_their_actions(world, api):
    stay = world.admitted()
    base = f"/reablement/stays/{stay.pk}"
    review = {
        "held_on": timezone.localdate().isoformat(),
        "attendees": ["nurse", "occupational_therapist"],
        "organisations": {"nurse": world.trust.pk, "occupational_therapist": world.provider.pk},
        "medically_stable": True,
        "decisions": "Home on Friday",
    }
    missing = api(world.unit_worker, "POST", f"{base}/reviews", review | {"organisations": {"nurse": None}})
    assert missing.status_code == 422 and "organisations.nurse" in fields(missing)
    made = api(world.unit_worker, "POST", f"{base}/reviews", review)
    assert made.status_code == 201, made.content
    assert made.json()["attendees"] == [
        {"discipline": "nurse", "organisation_id": world.trust.pk, "organisation": world.trust.name},
        {
            "discipline": "occupational_therapist",
            "organisation_id": world.provider.pk,
            "organisation": world.provider.name,
        },
    ]
    soon = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    action = {"review_id": made.json()["id"], "description": "Order a perching stool", "due_on": soon}
    ownerless = api(world.unit_worker, "POST", f"{base}/actions", action)
    assert ownerless.status_code == 422 and "owner" in fields(ownerless)
    assert not MdtAction.objects.exists()
    added = api(
        world.unit_worker, "POST", f"{base}/actions", action | {"owner_user_id": world.unit_worker.user.pk}
    )
    assert added.status_code == 201
    done = api(
        world.unit_worker, "POST", f"{base}/actions/{added.json()['id']}/done", {"outcome": "Delivered"}
    )
    assert done.status_code == 200 and done.json()["done_on"] == timezone.localdate().isoformat()
    reviews = api(world.clinician, "GET", f"{base}/reviews").json()
    assert reviews[0]["actions"][0]["outcome"] == "Delivered"
    assert api(world.stranger, "GET", f"{base}/reviews").status_code == 404


def test_contracts_are_set_up_changed_and_reported(world, api, month_of_stays):  # noqa: F811
    contract, commissioner = month_of_stays
    body = {
        "unit_id": world.unit.pk,
        "reference": "API-RB-1",
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
        "targets": [{"measure": "occupancy", "target": 1.5}],
    }
    bad = api(commissioner, "POST", "/reablement/contracts", body)
    assert bad.status_code == 422 and "targets.occupancy" in fields(bad)
    body["targets"] = [{"measure": "occupancy", "target": 0.85, "amber_margin": 0.05}]
    made = api(commissioner, "POST", "/reablement/contracts", body)
    assert made.status_code == 201 and made.json()["targets"][0]["target"] == 0.85
    changed = api(
        commissioner,
        "PUT",
        f"/reablement/contracts/{made.json()['id']}",
        body | {"targets": [{"measure": "los_median", "target": 20}]},
    )
    assert changed.status_code == 200 and [t["measure"] for t in changed.json()["targets"]] == ["los_median"]
    other = make_actor(Role.COMMISSIONER, world.practice)
    assert api(other, "PUT", f"/reablement/contracts/{made.json()['id']}", body).status_code == 404
    # A role that may not manage contracts: refused as the API refuses, as absence.
    assert api(world.unit_worker, "POST", "/reablement/contracts", body).status_code == 404
    provider_lead = make_actor(Role.TEAM_LEAD, world.provider)
    listed = api(provider_lead, "GET", "/reablement/contracts").json()
    assert {c["reference"] for c in listed} == {"ICB-RB-001", "API-RB-1"}
    report = api(
        provider_lead,
        "GET",
        f"/reablement/contracts/{contract.pk}/report",
        {"from_month": f"{last_month():%Y-%m}", "months": 1},
    )
    assert report.status_code == 200, report.content
    month = report.json()["months"][0]
    cells = {c["measure"]: c for c in month["cells"]}
    assert cells["los_median"]["actual"] == 7.0 and cells["los_median"]["status"] == "amber"
    assert cells["at_home_91_days"]["status"] == "no data" and month["lost_to_follow_up"] == 0
    assert api(other, "GET", f"/reablement/contracts/{contract.pk}/report").status_code == 404
    assert Contract.objects.count() == 2
