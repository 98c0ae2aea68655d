"""The simulator in the product: calibrated from our own cases, run, compared, and handed to cost–benefit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge.models import Blocker, DischargeCase
from homeward.engines.cba import appraise
from homeward.jobs.models import Job
from homeward.outcomes.calibration import MIN_CASES, calibrate
from homeward.outcomes.models import SimulationRun
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor, share_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    trust = OrganisationFactory(name="Northgate Trust", kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, homes])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    lead = make_actor(Role.TEAM_LEAD, homes)
    return {"trust": trust, "homes": homes, "hospital": hospital, "lead": lead}


def _cases(service, n: int) -> None:
    today = timezone.localdate()
    clinician = make_actor(Role.CLINICIAN, service["trust"])
    for i in range(n):
        person = PersonFactory(organisation=service["trust"])
        admitted = today - dt.timedelta(days=10 + i * 3)
        case = DischargeCase.objects.create(
            person=person,
            organisation=service["trust"],
            housing_organisation=service["homes"],
            referred_by=clinician.user,
            hospital=service["hospital"],
            referral_reason="Stairs",
            admitted_on=admitted,
            referred_at=timezone.make_aware(dt.datetime.combine(admitted, dt.time(10))),
            discharge_ready_on=admitted + dt.timedelta(days=4 + i % 5),
            status="active",
        )
        share_case(person, service["homes"], case_type="discharge.case", case_id=case.pk)
        if i % 2 == 0:  # half need housing help, taking 2 to 4 days
            Blocker.objects.create(
                case=case,
                category="home_unsuitable",
                description="x",
                owner_organisation=service["homes"],
                raised_on=admitted,
                due_on=admitted,
                resolved_on=admitted + dt.timedelta(days=2 + i % 3),
            )
        if i % 3 == 0:
            Blocker.objects.create(
                case=case,
                category="care_package",
                description="x",
                owner_organisation=service["trust"],
                raised_on=admitted,
                due_on=admitted,
                resolved_on=admitted + dt.timedelta(days=5),
            )


def test_calibration_reads_our_cases(service):
    _cases(service, 40)
    scenario, evidence = calibrate(service["lead"])
    assert evidence["cases"] == 40
    assert scenario["arrivals"]["rate_per_day"] == pytest.approx(40 / 365, abs=1e-3)
    assert sum(scenario["arrivals"]["weekday_profile"]) == pytest.approx(7, abs=0.01)
    assert scenario["length_of_stay"]["dist"] == "empirical"
    assert sorted(set(scenario["length_of_stay"]["samples"])) == [4, 5, 6, 7, 8]
    assert scenario["housing_need"]["probability"] == pytest.approx(0.5)
    assert scenario["housing_officers"]["service"]["mean_days"] == pytest.approx(3.0, abs=0.1)
    [care] = scenario["blockers"]
    assert care["name"] == "care_package" and care["probability"] == pytest.approx(14 / 40, abs=1e-3)


def test_too_few_cases_fall_back_to_examples_and_say_so(service):
    _cases(service, MIN_CASES - 1)
    scenario, evidence = calibrate(service["lead"])
    assert "example values" in evidence["note"] and scenario["length_of_stay"]["dist"] == "lognormal"


def _form(**overrides):
    data = {
        "name": "Baseline",
        "horizon_days": 200,
        "warmup_days": 20,
        "rate_per_day": 3,
        "weekday_profile": "",
        "beds": "",
        "los_dist": "gamma",
        "los_mean": 6,
        "los_sd": 3,
        "los_samples": "",
        "housing_need": 0.5,
        "officers": 1,
        "officer_mean": 1.5,
        "officer_sd": 1,
        "officer_start": "at_discharge_ready",
        "readmit_within": 30,
        "readmit_met": 0.05,
        "readmit_unmet": 0.15,
        "replications": 40,
        "seed": 7,
        "b0_name": "care_package",
        "b0_probability": 0.2,
        "b0_mean": 3,
        "b0_sd": 2,
    }
    return data | overrides


def test_run_compare_and_send_the_bed_days_saved_to_cost_benefit(client, service):
    _cases(service, 40)
    client.force_login(service["lead"].user)
    page = client.get("/outcomes/simulate/").content.decode()
    assert "Prefilled from your organisation" in page and "40 cases" in page
    response = client.post("/outcomes/simulate/", _form())
    base = SimulationRun.objects.get(name="Baseline")
    job = Job.objects.get(kind="outcomes.simulation")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded" and job.result["url"] == f"/outcomes/simulate/{base.pk}/"
    assert f'href="/outcomes/simulate/{base.pk}/"' in client.get(response["Location"]).content.decode()
    result = client.get(job.result["url"]).content.decode()
    assert "Delayed bed-days per patient" in result and "chart-occupancy" in result
    assert (
        len(base.series["occupancy"]) == 180
        and base.series["occupancy"][0]["lo"] <= base.series["occupancy"][0]["mean"]
    )
    client.post("/outcomes/simulate/", _form(name="Two more officers", officers=3))
    other = SimulationRun.objects.get(name="Two more officers")
    compared = client.get(f"/outcomes/simulate/compare/?base={base.pk}&other={other.pk}")
    cmp = compared.context["cmp"]
    assert cmp["paired"] and cmp["bed_days_saved_per_patient"] > 0
    low, high = cmp["bed_days_saved_per_year_ci"]
    assert 0 < low <= cmp["bed_days_saved_per_year"] <= high

    money = {
        "bed_day_cost": 400,
        "bed_day_source": "Trust finance, 2026",
        "service_cost": 60000,
        "years": 3,
        "optimism_bias": 0.25,
        "discount_rate": 0.035,
    }
    url = f"/outcomes/simulate/compare/cost-benefit/?base={base.pk}&other={other.pk}"
    appraised = client.post(url, money)
    assert appraised.status_code == 200
    shown = appraised.context["result"]
    model = appraised.context["model"]
    assert model["outcomes"][0]["unit_value"] == pytest.approx(
        cmp["bed_days_saved_per_patient"] * 400, abs=0.01
    )
    assert shown.npv == pytest.approx(appraise(model).npv)
    assert "Net present value" in appraised.content.decode()
    download = client.post(url, money | {"format": "json"})
    assert json.loads(download.content)["outcomes"][0]["source"].endswith("Trust finance, 2026")


def test_bad_scenarios_name_the_field_and_run_nothing(client, service):
    client.force_login(service["lead"].user)
    response = client.post("/outcomes/simulate/", _form(rate_per_day=-2))
    assert response.status_code == 400
    assert response.context["form"].errors["rate_per_day"]
    response = client.post("/outcomes/simulate/", _form(b0_probability=1.5))
    assert response.status_code == 400 and response.context["form"].errors["b0_probability"]
    response = client.post("/outcomes/simulate/", _form(weekday_profile="1, 2, 3"))
    assert response.status_code == 400 and response.context["form"].errors["weekday_profile"]
    assert not SimulationRun.objects.exists()


def test_runs_are_the_organisations_own_and_roles_without_data_have_no_simulator(client, service):
    client.force_login(service["lead"].user)
    client.post("/outcomes/simulate/", _form())
    run = SimulationRun.objects.get()
    outsider = make_actor(Role.TEAM_LEAD)
    client.force_login(outsider.user)
    assert client.get(f"/outcomes/simulate/{run.pk}/").status_code == 404
    admin = make_actor(Role.ADMIN, service["homes"])
    client.force_login(admin.user)
    assert client.get("/outcomes/simulate/").status_code == 404


def test_cost_benefit_refuses_impossible_money(client, service):
    client.force_login(service["lead"].user)
    client.post("/outcomes/simulate/", _form())
    client.post("/outcomes/simulate/", _form(name="More", officers=2))
    base, other = SimulationRun.objects.order_by("pk")
    url = f"/outcomes/simulate/compare/cost-benefit/?base={base.pk}&other={other.pk}"
    response = client.post(
        url,
        {
            "bed_day_cost": -5,
            "bed_day_source": "x",
            "service_cost": 1,
            "years": 3,
            "optimism_bias": 2,
            "discount_rate": 0.035,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "bed_day_cost" in errors and "optimism_bias" in errors and response.context["result"] is None


def test_a_change_that_saves_nothing_is_not_valued(client, service):
    client.force_login(service["lead"].user)
    client.post("/outcomes/simulate/", _form(officers=3))
    client.post("/outcomes/simulate/", _form(name="Fewer officers", officers=1))
    base, other = SimulationRun.objects.order_by("pk")
    url = f"/outcomes/simulate/compare/cost-benefit/?base={base.pk}&other={other.pk}"
    response = client.post(
        url,
        {
            "bed_day_cost": 300,
            "bed_day_source": "x",
            "service_cost": 1,
            "years": 3,
            "optimism_bias": 0.2,
            "discount_rate": 0.035,
        },
    )
    assert response.status_code == 400 and "saves no bed-days" in response.content.decode()
    assert f"?base={other.pk}&amp;other={base.pk}" in response.content.decode()
