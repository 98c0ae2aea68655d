"""Resident feedback about a scheme: recorded on a page (errors keep what was typed and write nothing),
listed on the day-to-day page, counted by kind in the standards evidence (no names in the export) and
available through the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from homeward.core.errors import ValidationFailed
from homeward.housing import feedback, standards
from homeward.housing.models import Feedback
from tests.factories import PASSWORD
from tests.housing.conftest import TODAY


def _token(client, actor):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": actor.user.username, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_feedback_is_recorded_on_a_page_and_a_bad_form_keeps_what_was_typed(world, client):
    placement = world.house()
    client.force_login(world.worker.user)
    url = f"/housing/schemes/{world.scheme.pk}/record/feedback/"
    typed = {
        "received_on": TODAY.strftime("%d/%m/%Y"),
        "kind": "complaint",
        "from_whom": "resident",
        "resident": str(placement.pk),
        "summary": "The laundry has been broken for two weeks",
        "action_taken": "",
    }
    refused = client.post(url, typed)
    body = refused.content.decode()
    assert refused.status_code == 400 and "nhsuk-error-summary" in body
    assert "what was done about the complaint" in body and "broken for two weeks" in body
    assert not Feedback.objects.exists()
    done = client.post(url, typed | {"action_taken": "Engineer booked for Friday; residents told"})
    assert done.status_code == 302
    page = client.get(f"/housing/schemes/{world.scheme.pk}/operations/").content.decode()
    assert "Resident feedback" in page and "Engineer booked for Friday" in page
    assert world.resident.family_name.upper() in page


def test_only_a_resident_of_the_scheme_is_named_and_the_date_is_checked(world):
    placement = world.house()
    base = {
        "actor": world.worker,
        "scheme_id": world.scheme.pk,
        "kind": "compliment",
        "summary": "Thank you",
        "action_taken": "Shared with the team",
    }
    with pytest.raises(ValidationFailed) as named_visitor:
        feedback.record_feedback(**base, received_on=TODAY, from_whom="visitor", placement_id=placement.pk)
    assert "placement_id" in named_visitor.value.errors
    with pytest.raises(ValidationFailed) as future:
        feedback.record_feedback(**base, received_on=TODAY + dt.timedelta(days=1), from_whom="visitor")
    assert "received_on" in future.value.errors
    assert not Feedback.objects.exists()


def test_the_standards_evidence_counts_feedback_by_kind_without_names(world, client):
    placement = world.house()
    for kind, from_whom, who in (
        ("compliment", "visitor", None),
        ("complaint", "resident", placement.pk),
        ("complaint", "other", None),
        ("suggestion", "resident", None),
    ):
        feedback.record_feedback(
            actor=world.worker,
            scheme_id=world.scheme.pk,
            received_on=TODAY - dt.timedelta(days=3),
            kind=kind,
            from_whom=from_whom,
            placement_id=who,
            summary=f"A {kind}",
            action_taken="Answered in writing",
        )
    e = {
        x.key: x
        for s in standards.standards_evidence(world.scheme, TODAY - dt.timedelta(days=30), TODAY)
        for x in s.evidence
    }
    assert e["resident_feedback"].count == 4
    assert (
        e["resident_feedback_compliment"].count,
        e["resident_feedback_suggestion"].count,
        e["resident_feedback_complaint"].count,
    ) == (1, 1, 2)
    before = standards.standards_evidence(
        world.scheme, TODAY - dt.timedelta(days=90), TODAY - dt.timedelta(days=30)
    )
    assert {x.key: x.count for s in before for x in s.evidence}["resident_feedback"] == 0
    client.force_login(world.worker.user)
    export = client.get(f"/housing/schemes/{world.scheme.pk}/standards/", {"format": "json"})
    text = export.content.decode()
    assert "resident_feedback_complaint" in text and "A complaint" not in text
    assert world.resident.family_name not in text


def test_feedback_through_the_api(world, client):
    placement = world.house()
    url = f"/api/v1/housing/schemes/{world.scheme.pk}/feedback"
    made = client.post(
        url,
        json.dumps(
            {
                "received_on": str(TODAY),
                "kind": "suggestion",
                "from_whom": "resident",
                "placement_id": placement.pk,
                "summary": "A film night on Fridays",
                "action_taken": "Put on the residents' meeting agenda",
            }
        ),
        content_type="application/json",
        **_token(client, world.worker),
    )
    assert made.status_code == 201, made.content
    listed = client.get(url, **_token(client, world.worker)).json()
    assert [(f["kind"], f["placement_id"]) for f in listed] == [("suggestion", placement.pk)]
    assert client.get(url, **_token(client, world.probation_officer)).status_code == 404
