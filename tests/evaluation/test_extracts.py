"""Imported activity extracts (all or nothing, row errors named), evaluations on them, and sending a
result to a business case."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from homeward.engines.evaluation import generate
from homeward.evaluation.models import ActivityExtract, Evaluation
from homeward.jobs.models import Job
from homeward.outcomes.models import BusinessCase

pytestmark = pytest.mark.django_db


def _client(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def _csv(frame) -> bytes:
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return buffer.getvalue()


def _planted():
    return generate(people=400, treated=60, months=30, effect=-0.3, seed=5)


def _upload(client, activity: bytes, people: bytes, name="ICB extract"):
    return client.post(
        "/evaluation/import/",
        {
            "name": name,
            "activity": SimpleUploadedFile("activity.csv", activity, content_type="text/csv"),
            "people": SimpleUploadedFile("people.csv", people, content_type="text/csv"),
        },
    )


def test_an_extract_is_imported_checked_and_evaluated(history, jobs_at_once):
    planted = _planted()
    client = _client(history["analyst"])
    response = _upload(client, _csv(planted.activity), _csv(planted.people))
    assert response.status_code == 302
    extract = ActivityExtract.objects.get()
    assert extract.rows == planted.activity.height and extract.measures == ["ae_attendances"]
    assert set(extract.columns) == {"sex", "need", "area", "age"}
    response = client.post(
        "/evaluation/new/",
        {
            "intervention": f"extract:{extract.pk}",
            "question": "Helped by Hospital to Home",
            "outcome": "ae_attendances",
            "pre_months": "12",
            "post_months": "12",
            "pool": "never",
            "rationale": "Same need, same areas, not referred because the service was full.",
            "method": "propensity",
            "exact": "need,sex",
            "covariates": "age,area",
            "caliper": "0.2",
            "robustness": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    result = Evaluation.objects.get().result
    low, high = result["estimate"]["ci95"]
    assert low <= planted.effect_per_year <= high
    assert {run["name"] for run in result["robustness"]} >= {"placebo"} or result["robustness"]


def test_a_bad_row_fails_the_whole_import_naming_file_row_and_column(history, jobs_at_once):
    planted = _planted()
    activity = _csv(planted.activity).decode().splitlines()
    key, month, measure, _ = activity[3].split(",")
    activity[3] = f"{key},{month},{measure},-4"
    _upload(_client(history["analyst"]), "\n".join(activity).encode(), _csv(planted.people))
    job = Job.objects.get()
    assert job.status == "failed"
    assert "activity.csv, row 4, count" in job.error
    assert not ActivityExtract.objects.exists()


def test_the_import_form_refuses_a_file_that_is_not_csv_or_parquet(history):
    response = _client(history["analyst"]).post(
        "/evaluation/import/",
        {
            "name": "Extract",
            "activity": SimpleUploadedFile("activity.xlsx", b"x"),
            "people": SimpleUploadedFile("people.csv", b"key,start_date\n"),
        },
    )
    assert response.status_code == 400
    assert "must be .csv or .parquet" in response.content.decode()
    assert not Job.objects.exists()


def test_a_result_sent_to_a_business_case_replaces_the_observed_rate(history, jobs_at_once):
    from homeward.outcomes.business_case import create_case

    analyst = history["analyst"]
    case = create_case(
        analyst,
        name="Hospital to Home 2024",
        service="hospital_to_home",
        period_start=__import__("datetime").date(2024, 1, 1),
        period_end=__import__("datetime").date(2024, 12, 31),
        years=3,
        price_year=2024,
        annual_cost=100_000,
        cost_agency="Council",
        cost_optimism_bias=0.2,
    )
    from tests.evaluation.conftest import design

    _client(analyst).post("/evaluation/new/", design())
    evaluation = Evaluation.objects.get()
    index = next(i for i, o in enumerate(case.model["outcomes"]) if o["deadweight"] > 0)
    response = _client(analyst).post(
        f"/evaluation/{evaluation.pk}/send/",
        {"outcome": f"{case.pk}:{index}", "unit_cost": "a-and-e-attendance"},
    )
    assert response.status_code == 302 and response["Location"] == f"/outcomes/business-cases/{case.pk}/"
    case = BusinessCase.objects.get(pk=case.pk)
    outcome = case.model["outcomes"][index]
    assert outcome["deadweight"] == 0.0 and outcome["success_rate"] == 1.0
    assert outcome["unit_value"]["dist"] == "triangular"
    basis = case.evidence[f"outcomes[{index}].unit_value"]
    assert basis["kind"] == "measured"
    assert basis["text"].startswith(
        f"Measured, SMS level {evaluation.result['sms_level']}, evaluation #{evaluation.pk}"
    )
    assert Evaluation.objects.get().sent_to_case_id == case.pk


def test_the_demo_evaluation_recovers_its_planted_effect_within_its_ci(history):
    import random

    from homeward.demo.cast import DEMO_SEED
    from homeward.evaluation.demo import PLANTED_EFFECT, seed_evaluation

    evaluation = seed_evaluation(analyst=history["analyst"], rng=random.Random(DEMO_SEED + 22))
    low, high = evaluation.result["estimate"]["ci95"]
    assert low <= PLANTED_EFFECT * 12 <= high
    assert evaluation.result["sms_level"] == 3
    page = _client(history["analyst"]).get(f"/evaluation/{evaluation.pk}/")
    assert page.status_code == 200 and "level 3" in page.content.decode()
