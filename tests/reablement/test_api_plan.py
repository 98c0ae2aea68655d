"""The API of a stay's plan for going home, over HTTP with bearer tokens: goals and their progress,
blockers with owners and NHS England's community delay reasons, and arrangements (support as an onward
referral, an adaptation as an adaptations case). Errors are problem+json naming the field and write
nothing; another organisation's stay is a 404."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.adaptations.models import AdaptationCase
from homeward.reablement.models import DischargeArrangement, Goal, StayBlocker
from homeward.referrals.models import Referral
from tests.reablement.test_api_records import api, fields  # noqa: F401


def test_goals_are_agreed_progressed_and_listed_and_strangers_get_404(world, api):  # noqa: F811
    stay = world.admitted()
    base = f"/reablement/stays/{stay.pk}/goals"
    later = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    blank = api(world.unit_worker, "POST", base, {"description": "   ", "target_on": later})
    assert blank.status_code in (400, 422) and not Goal.objects.exists()
    made = api(world.unit_worker, "POST", base, {"description": "Walk to the shop", "target_on": later})
    assert made.status_code == 201, made.content
    goal = made.json()
    assert (goal["progress"], goal["agreed_with_person"]) == ("not_started", True)
    bad = api(world.unit_worker, "POST", f"{base}/{goal['id']}/progress", {"progress": "done"})
    assert bad.status_code == 422 and "progress" in fields(bad)
    moved = api(world.unit_worker, "POST", f"{base}/{goal['id']}/progress", {"progress": "partly"})
    assert moved.status_code == 200 and moved.json()["progress"] == "partly"
    listed = api(world.clinician, "GET", base)  # the referring trust sees the stay's plan
    assert [g["description"] for g in listed.json()] == ["Walk to the shop"]
    assert api(world.stranger, "GET", base).status_code == 404
    assert api(world.stranger, "POST", base, {"description": "X", "target_on": later}).status_code == 404
    # A goal of another stay is not this stay's.
    other = world.admitted(bed="2")
    path = f"/reablement/stays/{other.pk}/goals/{goal['id']}/progress"
    assert api(world.unit_worker, "POST", path, {"progress": "attained"}).status_code == 404
    assert Goal.objects.get().progress == "partly"


def test_blockers_are_raised_with_a_delay_reason_and_cleared_once(world, api):  # noqa: F811
    stay = world.admitted()
    base = f"/reablement/stays/{stay.pk}/blockers"
    soon = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    stranger_owner = {
        "category": "equipment",
        "description": "Hoist",
        "due_on": soon,
        "owner_user_id": 999999,
    }
    early = api(world.unit_worker, "POST", base, stranger_owner)
    assert early.status_code == 422 and "owner_user_id" in fields(early) and not StayBlocker.objects.exists()
    made = api(
        world.unit_worker, "POST", base, {"category": "equipment", "description": "Hoist", "due_on": soon}
    )
    assert made.status_code == 201, made.content
    blocker = made.json()
    assert blocker["owner_organisation_id"] == world.provider.pk and blocker["resolved_on"] is None
    url = f"{base}/{blocker['id']}/resolve"
    cleared = api(world.unit_worker, "POST", url, {"resolution": "Delivered"})
    assert cleared.status_code == 200 and cleared.json()["resolved_on"] == timezone.localdate().isoformat()
    again = api(world.unit_worker, "POST", url, {"resolution": "Again"})
    assert again.status_code == 422 and "blocker_id" in fields(again)
    assert StayBlocker.objects.get().resolution == "Delivered"
    assert [b["id"] for b in api(world.clinician, "GET", base).json()] == [blocker["id"]]
    assert api(world.stranger, "GET", base).status_code == 404


def test_support_goes_out_as_a_referral_and_an_adaptation_opens_a_case(world, api):  # noqa: F811
    stay = world.admitted()
    base = f"/reablement/stays/{stay.pk}/arrangements"
    as_support = api(
        world.unit_worker,
        "POST",
        f"{base}/support",
        {"kind": "adaptation", "description": "Rail", "to_organisation_id": world.trust.pk},
    )
    assert as_support.status_code == 422 and "kind" in fields(as_support)
    care = api(
        world.unit_worker,
        "POST",
        f"{base}/support",
        {"kind": "care_package", "description": "Two calls a day", "to_organisation_id": world.trust.pk},
    )
    assert care.status_code == 201, care.content
    referral = Referral.objects.get(pk=care.json()["referral_id"])
    assert (referral.source_type, referral.source_id, referral.to_organisation_id) == (
        "reablement.stay",
        stay.pk,
        world.trust.pk,
    )
    no_tenure = api(world.unit_worker, "POST", f"{base}/adaptation", {"needs": "A rail by the back door"})
    assert no_tenure.status_code == 422 and "tenure" in fields(no_tenure)
    assert not AdaptationCase.objects.exists()
    adapt = api(
        world.unit_worker,
        "POST",
        f"{base}/adaptation",
        {"needs": "A rail by the back door", "tenure": "owner_occupier", "address": "1 Mill Lane"},
    )
    assert adapt.status_code == 201, adapt.content
    case = AdaptationCase.objects.get(pk=adapt.json()["adaptation_case_id"])
    assert (case.person_id, case.priority) == (world.patient.pk, "urgent")  # waiting in a bed for it
    kinds = [a["kind"] for a in api(world.clinician, "GET", base).json()]
    assert kinds == ["care_package", "adaptation"] and DischargeArrangement.objects.count() == 2
    assert api(world.stranger, "GET", base).status_code == 404
