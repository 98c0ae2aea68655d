"""The standards evidence export for one scheme: each theme's records counted by hand, what Homeward does
not hold said so, the CSV and JSON downloads, a bad period refused, and who may read it (the provider and
the scheme's commissioner; nobody else)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from homeward.housing import assessment, keywork, moveon, operations, standards
from homeward.housing.codes import OutcomeDomain
from homeward.housing.models import Placement
from tests.factories import PersonFactory
from tests.housing.conftest import ARRIVED, TODAY

NEEDS = {d.value: "none" for d in OutcomeDomain}


def _by_key(evidence):
    return {e.key: e for s in evidence for e in s.evidence}


def test_the_evidence_counts_the_schemes_records_by_theme(world):
    on_time = world.house()  # arrived 50 days ago; the scheme gives 28 days
    late = world.house(PersonFactory(organisation=world.provider), world.rooms[1], on=ARRIVED)
    assessment.record_assessment(
        actor=world.worker, placement_id=on_time.pk, assessed_on=ARRIVED + dt.timedelta(days=5), needs=NEEDS
    )
    assessment.record_assessment(
        actor=world.worker, placement_id=late.pk, assessed_on=ARRIVED + dt.timedelta(days=40), needs=NEEDS
    )
    keywork.add_goal(
        actor=world.worker,
        placement_id=on_time.pk,
        area="physical_health",
        description="GP",
        set_on=ARRIVED + dt.timedelta(days=5),
    )
    keywork.record_review(
        actor=world.worker,
        placement_id=on_time.pk,
        reviewed_on=ARRIVED + dt.timedelta(days=10),
        summary="Going well",
        readiness="not_yet",
        next_review_on=ARRIVED + dt.timedelta(days=20),
        outcomes={"be_healthy": "met"},
    )
    keywork.record_review(  # 20 days after the date the first review set: not on time
        actor=world.worker,
        placement_id=on_time.pk,
        reviewed_on=ARRIVED + dt.timedelta(days=40),
        summary="Second",
        readiness="not_yet",
        next_review_on=TODAY + dt.timedelta(days=30),
    )
    moveon.depart(
        actor=world.worker,
        placement_id=late.pk,
        on=TODAY - dt.timedelta(days=1),
        reason="abandoned",
        destination="unknown",
        note="Left",
    )
    incident = operations.record_incident(
        actor=world.worker,
        scheme_id=world.scheme.pk,
        occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=5),
        kind="overdose",
        description="Found unresponsive; naloxone given",
        action_taken="Ambulance called",
        placement_ids=[on_time.pk],
        is_safeguarding=True,
        ambulance_called=True,
    )
    operations.review_incident(
        actor=world.worker, scheme_id=world.scheme.pk, incident_id=incident.pk, reviewed_on=TODAY, note="Done"
    )
    operations.record_incident(
        actor=world.worker,
        scheme_id=world.scheme.pk,
        occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3),
        kind="damage",
        description="Broken window",
        action_taken="Repair ordered",
    )
    operations.write_handover(
        actor=world.worker,
        scheme_id=world.scheme.pk,
        shift_on=TODAY,
        shift="early",
        staff_on_duty="Sam",
        handover="All well",
    )
    start, end = TODAY - dt.timedelta(days=89), TODAY
    evidence = standards.standards_evidence(world.scheme, start, end)
    assert [s.key for s in evidence] == [
        "person_centred",
        "empowerment",
        "environment",
        "staff_and_safeguarding",
        "local_need",
    ]
    e = _by_key(evidence)
    assert (e["assessed_on_time"].count, e["assessed_on_time"].of) == (1, 2)
    assert (e["plan_on_time"].count, e["plan_on_time"].of) == (1, 2)
    assert (e["reviews_on_time"].count, e["reviews_on_time"].of) == (1, 2)
    assert (e["outcomes_at_review"].count, e["outcomes_at_review"].of) == (1, 2)
    assert (e["review_overdue_now"].count, e["review_overdue_now"].of) == (0, 1)
    assert (e["planned_move_on"].count, e["planned_move_on"].of) == (0, 1)
    assert (e["incidents"].count, e["incidents_reviewed"].count, e["incidents_reviewed"].of) == (2, 1, 2)
    assert (e["safeguarding_alerted"].count, e["safeguarding_alerted"].of) == (1, 1)
    assert e["emergency_services"].count == 1
    assert (e["handovers"].count, e["handovers"].of) == (1, 3 * 90)
    assert (e["referrals"].count, e["referrals_homelessness_team"].count) == (2, 2)
    assert (e["contracted_units"].count, e["contracted_units"].of) == (3, 3)
    assert e["resident_feedback"].held and e["resident_feedback"].count == 0
    assert not e["repairs"].held and standards.share_text(e["repairs"]) == "Not held in Homeward"
    assert standards.share_text(e["assessed_on_time"]) == "1 of 2 (50%)"
    # A period before anyone arrived counts nothing, and says 0 of 0 rather than a share.
    early = _by_key(
        standards.standards_evidence(
            world.scheme, start - dt.timedelta(days=300), start - dt.timedelta(days=200)
        )
    )
    assert (early["assessed_on_time"].count, early["assessed_on_time"].of) == (0, 0)
    assert early["assessed_on_time"].share is None


def test_the_export_is_readable_by_the_provider_and_the_commissioner_only(client, world):
    placement = world.house()
    url = f"/housing/schemes/{world.scheme.pk}/standards/"
    client.force_login(world.worker.user)
    page = client.get(url).content.decode()
    assert "Person-centred support" in page and "Not held in Homeward" in page
    assert world.resident.family_name not in page and "None" not in page.replace("nhsuk", "")
    download = client.get(url, {"format": "csv"})
    assert download["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert {r["standard"] for r in rows} >= {"Empowerment", "Local need"}
    assert not any(placement.reference in v for r in rows for v in r.values())
    data = client.get(url, {"format": "json"}).json()
    assert data["scheme"]["name"] == "Harbour House" and len(data["standards"]) == 5
    # The council commissions the scheme: its staff read the evidence (counts only), whatever their role.
    client.force_login(world.officer.user)
    assert client.get(url).status_code == 200
    client.force_login(world.probation_officer.user)
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "csv"}).status_code == 404


def test_a_bad_period_is_refused_with_the_field_named(client, world):
    client.force_login(world.worker.user)
    url = f"/housing/schemes/{world.scheme.pk}/standards/"
    response = client.get(url, {"from": "2026-13-01", "format": "csv"})
    assert response.status_code == 400 and "nhsuk-error-summary" in response.content.decode()
    assert "YYYY-MM-DD" in response.content.decode()
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    assert "cannot end in the future" in client.get(url, {"to": future}).content.decode()
    backwards = {"from": TODAY.isoformat(), "to": (TODAY - dt.timedelta(days=3)).isoformat()}
    assert "on or after its start" in client.get(url, backwards).content.decode()
    long = {"from": (TODAY - dt.timedelta(days=2000)).isoformat()}
    assert "up to three years" in client.get(url, long).content.decode()


def test_the_evidence_reads_only_its_own_scheme(world):
    from homeward.housing import schemes

    other = schemes.create_scheme(
        actor=world.worker, name="Other", scheme_type="foyer", staffing="day", contracted_units=1
    )
    world.house()
    e = _by_key(standards.standards_evidence(other, TODAY - dt.timedelta(days=90), TODAY))
    assert e["assessed_on_time"].of == 0 and e["referrals"].count == 0
    assert e["handovers"].of is None  # not a 24/7 scheme: a count with no expected number
    assert Placement.objects.count() == 1
