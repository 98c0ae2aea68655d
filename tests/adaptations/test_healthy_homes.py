"""Healthy-homes visits: HHSRS hazards scored by the engine (bands as the engine scores them; a spread
not summing to 100 or a likelihood of 0 refused by field, nothing written), photos checked by content with
their location metadata stripped, handyperson jobs with time and materials, and the falls check creating
jobs; another organisation sees a visit only while an agreement is in force."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from PIL import Image

from homeward.adaptations import visits
from homeward.adaptations.healthy_models import HandypersonJob, HazardFinding, HazardPhoto, HomeVisit
from homeward.adaptations.healthy_selectors import category_1_findings, visible_visits
from homeward.core.errors import NotFound, ValidationFailed
from homeward.engines.healthyhomes import default_checklist
from homeward.engines.hhsrs import HazardAssessment, score_hazard
from homeward.governance.models import AgreementStatus, DataSharingAgreement
from tests.factories import share_case

VISITED = dt.date(2026, 3, 2)


def _visit(world, **overrides) -> HomeVisit:
    fields = {"person_id": world.applicant.pk, "visited_on": VISITED} | overrides
    return visits.open_visit(actor=world.officer, **fields)


def _hazard(world, visit, likelihood=100.0, spread=(0, 10, 30, 60), **overrides) -> HazardFinding:
    fields = {
        "visit_id": visit.pk,
        "hazard": "falls_stairs",
        "likelihood": likelihood,
        "spread": spread,
        "action": "handyperson_job",
    } | overrides
    return visits.add_finding(actor=world.officer, **fields)


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 30.0, 0.0), 1: "N"}  # GPSInfo
    exif[0x010F] = "PhoneMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_hazard_is_scored_by_the_engine_and_stored_with_its_working(world):
    visit = _visit(world)
    finding = _hazard(world, visit)
    expected = score_hazard(HazardAssessment(hazard="falls_stairs", likelihood=100, spread=(0, 10, 30, 60)))
    # (1,000 × 10 + 300 × 30 + 10 × 60) / 100 = 196: band F, Category 2.
    assert finding.score == pytest.approx(196.0) == expected.score
    assert (finding.band, finding.category) == ("F", 2)
    assert "= 19,600 ÷ 100 = 196.00" in finding.explanation
    assert visit.events.filter(title__contains="band F").exists()


@pytest.mark.parametrize(
    ("likelihood", "spread", "band", "category"),
    [
        (2, (1, 0, 0, 99), "A", 1),  # (10,000 + 990) / 2 = 5,495 ≥ 5,000
        (2, (0, 4, 0, 96), "B", 1),  # (4,000 + 960) / 2 = 2,480
        (10, (1, 0, 0, 99), "C", 1),  # 10,990 / 10 = 1,099
        (20, (1, 0, 0, 99), "D", 2),  # 10,990 / 20 = 549.5
        (1000, (0, 0, 0, 100), "J", 2),  # 1,000 / 1,000 = 1
    ],
)
def test_bands_and_category_1_as_the_hhsrs_sets_them(world, likelihood, spread, band, category):
    finding = _hazard(world, _visit(world), likelihood=float(likelihood), spread=spread)
    assert (finding.band, finding.category) == (band, category)


def test_a_spread_not_summing_to_100_is_refused_naming_the_field_and_nothing_is_written(world):
    visit = _visit(world)
    with pytest.raises(ValidationFailed) as exc:
        _hazard(world, visit, spread=(0, 10, 30, 55))
    assert "spread" in exc.value.errors and "sum to 100 (got 95)" in exc.value.errors["spread"]
    assert not HazardFinding.objects.exists()


@pytest.mark.parametrize("likelihood", [0.0, -5.0])
def test_a_likelihood_of_zero_or_less_is_refused(world, likelihood):
    with pytest.raises(ValidationFailed) as exc:
        _hazard(world, _visit(world), likelihood=likelihood)
    assert "more than 0" in exc.value.errors["likelihood"]
    assert not HazardFinding.objects.exists()


def test_an_unknown_hazard_code_and_a_missing_class_are_refused(world):
    visit = _visit(world)
    with pytest.raises(ValidationFailed) as exc:
        _hazard(world, visit, hazard="falls_from_roof")
    assert "Unknown hazard code" in exc.value.errors["hazard"]
    with pytest.raises(ValidationFailed) as exc:
        _hazard(world, visit, spread=(0, None, 30, 70))
    assert "spread" in exc.value.errors
    assert not HazardFinding.objects.exists()


def test_category_1_list_has_hazards_not_yet_removed_highest_score_first(world):
    visit = _visit(world)
    low = _hazard(world, visit, likelihood=10.0, spread=(1, 0, 0, 99))  # 1,099: C
    high = _hazard(world, visit, likelihood=2.0, spread=(1, 0, 0, 99))  # 5,495: A
    _hazard(world, visit)  # Category 2
    assert list(category_1_findings(world.officer)) == [high, low]
    visits.remove_hazard(actor=world.officer, visit_id=visit.pk, finding_id=high.pk, removed_on=VISITED)
    assert list(category_1_findings(world.officer)) == [low]


def test_a_hazard_cannot_be_removed_before_the_visit(world):
    visit = _visit(world)
    finding = _hazard(world, visit)
    with pytest.raises(ValidationFailed) as exc:
        visits.remove_hazard(
            actor=world.officer,
            visit_id=visit.pk,
            finding_id=finding.pk,
            removed_on=VISITED - dt.timedelta(days=1),
        )
    assert "before the visit" in exc.value.errors["removed_on"]
    finding.refresh_from_db()
    assert finding.removed_on is None


def test_a_photo_is_stored_without_its_location_metadata(world):
    visit = _visit(world)
    finding = _hazard(world, visit)
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825) is not None  # the upload has a location
    photo = visits.add_photo(actor=world.officer, visit_id=visit.pk, finding_id=finding.pk, photo=raw)
    stored = Image.open(io.BytesIO(bytes(photo.image)))
    assert stored.format == "JPEG" and (photo.width, photo.height) == (40, 30)
    assert dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in bytes(photo.image)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"%PDF-1.4 not a photo at all", "not a photo"),
        (b"GIF89a" + b"\x00" * 40, "not a photo"),
        (b"", "Choose a photo"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_by_its_content(world, raw, message):
    visit = _visit(world)
    finding = _hazard(world, visit)
    with pytest.raises(ValidationFailed) as exc:
        visits.add_photo(actor=world.officer, visit_id=visit.pk, finding_id=finding.pk, photo=raw)
    assert message in exc.value.errors["photo"]
    assert not HazardPhoto.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(world, settings):
    from homeward.adaptations import photos

    visit = _visit(world)
    finding = _hazard(world, visit)
    raw = _jpeg_with_gps() + b"\x00" * (photos.MAX_BYTES)
    with pytest.raises(ValidationFailed) as exc:
        visits.add_photo(actor=world.officer, visit_id=visit.pk, finding_id=finding.pk, photo=raw)
    assert "5 MB or smaller" in exc.value.errors["photo"]
    assert not HazardPhoto.objects.exists()


def test_a_handyperson_job_records_time_and_materials_and_only_its_organisation_marks_it_done(world):
    visit = _visit(world)
    job = visits.add_job(
        actor=world.officer,
        visit_id=visit.pk,
        kind="key_safe",
        description="Fit a key safe",
        organisation_id=world.county.pk,
    )
    done = {
        "visit_id": visit.pk,
        "job_id": job.pk,
        "done_on": job.requested_on,
        "minutes": 45,
        "materials_cost": Decimal("32.50"),
    }
    with pytest.raises(ValidationFailed) as exc:
        visits.complete_job(actor=world.officer, **done)
    assert "Only the organisation doing the job" in exc.value.errors["job_id"]
    share_case(world.applicant, world.county, case_type="adaptations.visit", case_id=visit.pk)
    visits.complete_job(actor=world.ot, **done)
    job.refresh_from_db()
    assert (job.minutes, job.materials_cost) == (45, Decimal("32.50"))


@pytest.mark.parametrize(
    ("minutes", "materials", "field"),
    [
        (0, Decimal("1.00"), "minutes"),
        (30, Decimal("-1.00"), "materials_cost"),
        (None, Decimal("1"), "minutes"),
    ],
)
def test_a_job_with_bad_time_or_materials_is_refused(world, minutes, materials, field):
    visit = _visit(world)
    job = visits.add_job(
        actor=world.officer, visit_id=visit.pk, kind="grab_rail", description="Rail by the bath"
    )
    with pytest.raises(ValidationFailed) as exc:
        visits.complete_job(
            actor=world.officer,
            visit_id=visit.pk,
            job_id=job.pk,
            done_on=job.requested_on,
            minutes=minutes,
            materials_cost=materials,
        )
    assert field in exc.value.errors
    job.refresh_from_db()
    assert job.done_on is None


def test_a_job_for_an_organisation_without_an_agreement_is_refused(world):
    visit = _visit(world)
    with pytest.raises(ValidationFailed) as exc:
        visits.add_job(
            actor=world.officer,
            visit_id=visit.pk,
            kind="other",
            description="Tidy",
            organisation_id=world.agency.pk,
        )
    assert "organisation_id" in exc.value.errors
    assert not HandypersonJob.objects.exists()


def test_the_falls_check_makes_a_job_for_each_handyperson_action(world):
    visit = _visit(world, kind="falls_check", checker_role="trained_assistant")
    items = default_checklist().items
    answers = {item.code: "no" for item in items}
    handy = [item for item in items if item.action_kind.value == "handyperson_job"][:2]
    other = next(item for item in items if item.action_kind.value != "handyperson_job")
    for item in [*handy, other]:
        answers[item.code] = "yes"
    visits.record_falls_check(actor=world.officer, visit_id=visit.pk, answers=answers)
    visit.refresh_from_db()
    assert visit.falls_summary.startswith("3 hazards found")
    assert sorted(visit.jobs.values_list("description", flat=True)) == sorted(i.action[:300] for i in handy)


def test_a_falls_check_needs_every_answer_and_a_trained_checker(world):
    with pytest.raises(ValidationFailed) as exc:
        _visit(world, kind="falls_check")
    assert "checker_role" in exc.value.errors
    visit = _visit(world, kind="falls_check", checker_role="ot")
    with pytest.raises(ValidationFailed) as exc:
        visits.record_falls_check(actor=world.officer, visit_id=visit.pk, answers={"loose_rugs": "yes"})
    assert "not answered" in exc.value.errors["answers"]
    with pytest.raises(ValidationFailed) as exc:
        visits.record_falls_check(actor=world.officer, visit_id=visit.pk, answers={"no_such_question": "yes"})
    assert "answers.no_such_question" in exc.value.errors
    visit.refresh_from_db()
    assert visit.falls_answers == {} and not visit.jobs.exists()


def test_another_organisation_sees_a_visit_only_while_the_agreement_is_in_force(world):
    visit = _visit(world)
    assert not visible_visits(world.ot).filter(pk=visit.pk).exists()
    share_case(world.applicant, world.county, case_type="adaptations.visit", case_id=visit.pk)
    share_case(world.applicant, world.agency, case_type="adaptations.visit", case_id=visit.pk)
    assert visible_visits(world.ot).filter(pk=visit.pk).exists()
    assert not visible_visits(world.stranger).filter(pk=visit.pk).exists()  # no agreement
    DataSharingAgreement.objects.update(status=AgreementStatus.SUSPENDED)
    assert not visible_visits(world.ot).filter(pk=visit.pk).exists()
    with pytest.raises(NotFound):
        visits.add_finding(
            actor=world.ot,
            visit_id=visit.pk,
            hazard="falls_stairs",
            likelihood=10.0,
            spread=(0, 0, 0, 100),
            action="advice",
        )


def test_a_visit_in_the_future_or_without_an_address_is_refused(world):
    world.applicant.address_line_1 = world.applicant.town = world.applicant.address_line_2 = ""
    world.applicant.save()
    with pytest.raises(ValidationFailed) as exc:
        _visit(world, visited_on=dt.date.today() + dt.timedelta(days=3))
    assert {"visited_on", "address"} <= set(exc.value.errors)
    assert not HomeVisit.objects.exists()
