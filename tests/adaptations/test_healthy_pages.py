"""Healthy-homes pages through the Django test client: a visit from the person page, a hazard scored on the
page, a refused hazard or photo re-shown (400) with the error summary and what was typed, the falls check
making jobs, and an Awaab's Law report with its clocks and the landlord's dashboard."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from homeward.adaptations.healthy_models import AwaabReport, HazardFinding, HazardPhoto, HomeVisit
from homeward.engines.healthyhomes import default_checklist

pytestmark = pytest.mark.django_db


def _visit(client, world) -> HomeVisit:
    response = client.post(
        f"/adaptations/visits/new/{world.applicant.pk}/", {"kind": "home_safety", "visited_on": "02/03/2026"}
    )
    visit = HomeVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/adaptations/visits/{visit.pk}/"
    return visit


def _hazard(**overrides):
    return {
        "hazard": "damp_and_mould",
        "likelihood": "180",
        "class_i": "0",
        "class_ii": "4",
        "class_iii": "22",
        "class_iv": "74",
        "action": "landlord_repair",
        "action_note": "Treat and ventilate",
    } | overrides


def test_a_hazard_recorded_on_the_page_shows_its_score_band_and_working(client, world):
    client.force_login(world.officer.user)
    assert (
        f'href="/adaptations/visits/new/{world.applicant.pk}/"'
        in client.get(f"/people/{world.applicant.pk}/").content.decode()
    )
    visit = _visit(client, world)
    response = client.post(
        f"/adaptations/visits/{visit.pk}/hazards/", _hazard(action_organisation=world.district.pk)
    )
    assert response.status_code == 302
    page = client.get(f"/adaptations/visits/{visit.pk}/").content.decode()
    assert "band G" in page and "= 11,340 ÷ 180 = 63.00" in page
    assert "None" not in page.replace("nhsuk-", "")


def test_a_refused_hazard_names_the_field_and_keeps_what_was_typed(client, world):
    client.force_login(world.officer.user)
    visit = _visit(client, world)
    response = client.post(
        f"/adaptations/visits/{visit.pk}/hazards/",
        _hazard(class_iv="70", action_note="Typed note kept", action_organisation=world.district.pk),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and "sum to 100 (got 96)" in body
    assert 'value="Typed note kept"' in body
    assert not HazardFinding.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_on_the_page(client, world):
    client.force_login(world.officer.user)
    visit = _visit(client, world)
    client.post(f"/adaptations/visits/{visit.pk}/hazards/", _hazard(action_organisation=world.district.pk))
    finding = HazardFinding.objects.get()
    fake = SimpleUploadedFile("mould.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = client.post(
        f"/adaptations/visits/{visit.pk}/photos/",
        {"finding_id": finding.pk, "photo": fake, "caption": "Wall"},
    )
    assert response.status_code == 400 and "not a photo" in response.content.decode()
    assert not HazardPhoto.objects.exists()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="PNG")
    good = SimpleUploadedFile("wall.png", buffer.getvalue(), content_type="image/png")
    response = client.post(
        f"/adaptations/visits/{visit.pk}/photos/", {"finding_id": finding.pk, "photo": good}
    )
    photo = HazardPhoto.objects.get()
    served = client.get(f"/adaptations/visits/{visit.pk}/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    client.force_login(world.stranger.user)
    assert client.get(f"/adaptations/visits/{visit.pk}/photos/{photo.pk}/").status_code == 404


def test_the_falls_check_on_the_page_makes_handyperson_jobs(client, world):
    client.force_login(world.officer.user)
    client.post(
        f"/adaptations/visits/new/{world.applicant.pk}/",
        {"kind": "falls_check", "visited_on": "02/03/2026", "checker_role": "ot"},
    )
    visit = HomeVisit.objects.get()
    items = default_checklist().items
    answers = {item.code: "no" for item in items}
    missing = dict(answers)
    missing.pop(items[0].code)
    response = client.post(f"/adaptations/visits/{visit.pk}/falls/", missing)
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    handy = next(item for item in items if item.action_kind.value == "handyperson_job")
    answers[handy.code] = "yes"
    response = client.post(f"/adaptations/visits/{visit.pk}/falls/", answers)
    assert response.status_code == 302
    page = client.get(f"/adaptations/visits/{visit.pk}/").content.decode()
    assert handy.action in page and "1 hazard found" in page


def test_an_awaab_report_shows_its_clocks_and_the_dashboard_counts_them(client, world):
    client.force_login(world.officer.user)
    response = client.post(
        f"/adaptations/damp/new/{world.applicant.pk}/",
        {"hazard": "emergency", "aware_at": "02/11/2026 09:00", "description": "Ceiling leaking onto wiring"},
    )
    report = AwaabReport.objects.get()
    assert response.status_code == 302
    page = client.get(f"/adaptations/damp/{report.pk}/").content.decode()
    assert "Make the emergency hazard safe within 24 hours" in page and "Breached" in page
    board = client.get("/adaptations/damp/?view=breached").content.decode()
    assert f'href="/adaptations/damp/{report.pk}/"' in board
    refused = client.post(
        f"/adaptations/damp/{report.pk}/steps/", {"step": "summary_sent_at", "at": "03/11/2026 10:00"}
    )
    assert refused.status_code == 400 and "before the investigation concluded" in refused.content.decode()


def test_an_awaab_report_with_a_bad_time_is_re_shown(client, world):
    client.force_login(world.officer.user)
    response = client.post(
        f"/adaptations/damp/new/{world.applicant.pk}/",
        {"hazard": "emergency", "aware_at": "31/02/2026 09:00", "description": "Kept text"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in body and "Kept text" in body
    assert not AwaabReport.objects.exists()
