"""Evaluations from Homeward's own records: pseudonymised frames, the design form checked by the engine,
the run as a background job, the result page and report, and who may see them."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.test import Client

from homeward.core.errors import ValidationFailed
from homeward.core.models import OrganisationKind, Property, Tenancy
from homeward.evaluation import services
from homeward.evaluation.activity import analytics_organisations, build_frames, record_counts
from homeward.evaluation.interventions import INTERVENTIONS, available
from homeward.evaluation.models import Evaluation
from homeward.governance.models import AuditEvent
from homeward.governance.pseudonym import pseudonymise
from homeward.prevention.models import HousingEvent, ImportBatch
from tests.evaluation.conftest import FALL, HELPED, PEOPLE, design
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _client(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_frames_hold_keyed_pseudonyms_and_the_interventions_start_dates(history):
    starts = INTERVENTIONS["hospital_to_home"].starts([history["trust"].pk])
    assert len(starts) == HELPED
    frames = build_frames(history["analyst"], starts)
    people = frames.people
    assert people.height == PEOPLE
    assert set(people.columns) == {"key", "start_date", "age", "age_band"}
    person = history["people"][0]
    assert pseudonymise(person.pk) in people["key"].to_list()
    text = people.write_csv() + frames.activity.write_csv()
    for p in history["people"][:5]:
        assert p.nhs_number not in text and p.family_name not in text and "Secret Street" not in text
    assert str(person.pk) not in people["key"].to_list()
    assert people["start_date"].drop_nulls().len() == HELPED
    measures = set(frames.activity["measure"].unique())
    assert {"ae_attendances", "admissions", "bed_days"} <= measures


def test_only_interventions_with_data_are_offered(history):
    offered = [i.key for i in available([history["trust"].pk])]
    assert offered == ["hospital_to_home"]


def test_partner_records_count_only_under_an_agreement_naming_analytics(history):
    landlord_analyst = history["landlord_analyst"]
    assert analytics_organisations(landlord_analyst) == [history["landlord"].pk]
    AgreementFactory(parties=[history["trust"], history["landlord"]], purposes=["direct_care"])
    assert analytics_organisations(landlord_analyst) == [history["landlord"].pk]
    AgreementFactory(
        parties=[history["trust"], history["landlord"]],
        purposes=["linkage", "analytics"],
        linkage_fields=["given_name", "family_name", "date_of_birth"],
    )
    assert analytics_organisations(landlord_analyst) == sorted([history["trust"].pk, history["landlord"].pk])


def test_the_design_form_runs_the_evaluation_as_a_job_and_recovers_the_planted_fall(history, jobs_at_once):
    response = _client(history["analyst"]).post("/evaluation/new/", design())
    assert response.status_code == 302, response.content.decode()[:2000]
    evaluation = Evaluation.objects.get()
    assert response["Location"] == f"/jobs/{evaluation.job_id}/"
    result = evaluation.result
    assert evaluation.status == "succeeded" and result["matching"]["treated"] == HELPED
    assert result["matching"]["caliper"] is None  # a blank caliper stays "none", not the default
    low, high = result["estimate"]["ci95"]
    assert low <= -FALL * 12 <= high  # the planted fall per person per year is inside the 95% CI
    assert high < 0
    page = _client(history["analyst"]).get(f"/evaluation/{evaluation.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    for text in ("The question", "Balance", "SMD after", "Pre-trend test", "Limitations", "level"):
        assert text in body
    assert "chart-event-study" in body
    listing = _client(history["analyst"]).get("/evaluation/").content.decode()
    for person in history["people"]:  # no page shows an NHS number, an address or a person's id key
        assert person.nhs_number not in body and person.nhs_number not in listing
    assert "Secret Street" not in body + listing
    assert "unmatched" in body
    assert AuditEvent.objects.filter(purpose="Read an evaluation").exists()


def test_the_pdf_report_has_the_result_and_no_identifiers(history, jobs_at_once):
    _client(history["analyst"]).post("/evaluation/new/", design(robustness="on"))
    evaluation = Evaluation.objects.get()
    response = _client(history["analyst"]).get(f"/evaluation/{evaluation.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:  # poppler-utils: installed by .ci/run
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert "Helped by Hospital to Home" in text and "95%" in text
    for person in history["people"]:  # no NHS number, name or address in the report's text
        assert person.nhs_number not in text and f"{person.given_name} {person.family_name}" not in text
    assert "Secret Street" not in text


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"outcome": "ae"}, "outcome", "unknown outcome"),
        ({"outcome": "link_worker_contacts"}, "outcome", ""),
        ({"pre_months": "40"}, "pre_months", ""),
        ({"starts_from": "2030-01", "starts_to": "2030-06"}, "starts_from", ""),
        ({"covariates": "shoe_size"}, "covariates", "shoe_size"),
        ({"caliper": "0"}, "caliper", ""),
    ],
    ids=[
        "unknown-outcome",
        "no-pre-period-data",
        "too-long-pre-period",
        "starts-outside-data",
        "unknown-covariate",
        "bad-caliper",
    ],
)
def test_bad_designs_name_the_field_keep_what_was_typed_and_run_nothing(
    history, jobs_at_once, changes, field, words
):
    data = design(**changes)
    response = _client(history["analyst"]).post("/evaluation/new/", data)
    body = response.content.decode()
    assert response.status_code == 400, body[:500]
    assert f'id="id_{field}-error"' in body
    if words:
        assert words in body
    assert 'value="' + data.get("outcome", "") + '"' in body
    assert not Evaluation.objects.exists()


def test_a_pool_smaller_than_the_treated_without_replacement_is_refused(history):
    from homeward.evaluation.sources import records_data

    data = records_data(history["analyst"], "hospital_to_home")
    assert data.people.height == PEOPLE
    spec = {
        "intervention": "Helped",
        "outcome": "ae_attendances",
        "pre_months": 6,
        "post_months": 6,
        "eligible": {"age_band": ["85+"]},
        "matching": {"replacement": False, "ratio": 10, "caliper": None},
    }
    with pytest.raises(ValidationFailed) as caught:
        services.start_evaluation(
            actor=history["analyst"], source="records", intervention="hospital_to_home", spec=spec
        )
    assert any(f.startswith(("comparison", "eligible", "matching")) for f in caught.value.errors)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "team_lead"])
def test_only_analysts_see_evaluations(history, role):
    client = _client(history[role])
    assert client.get("/evaluation/").status_code == 404
    assert client.get("/evaluation/new/").status_code == 404
    assert client.post("/evaluation/new/", design()).status_code == 404


def test_another_organisations_analyst_gets_404(history, jobs_at_once):
    _client(history["analyst"]).post("/evaluation/new/", design())
    evaluation = Evaluation.objects.get()
    other = _client(history["landlord_analyst"])
    assert other.get(f"/evaluation/{evaluation.pk}/").status_code == 404
    assert other.get(f"/evaluation/{evaluation.pk}/report.pdf").status_code == 404
    assert f"/evaluation/{evaluation.pk}/" not in other.get("/evaluation/").content.decode()


def test_tenancy_events_from_the_landlords_extracts_count_on_the_lead_tenant(db):
    """Arrears episodes (a week in arrears after a clear or missing one), ASB reports and tenancy
    failures, from prevention's imported housing events, keyed to the person holding the tenancy."""
    landlord = OrganisationFactory(name="Tenancy Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    tenant = PersonFactory(organisation=landlord)
    home = Property.objects.create(
        organisation=landlord,
        reference="P-1",
        address_line_1="1 Rent Row",
        town="Leeds",
        postcode="LS1 1AA",
        property_type="flat",
    )
    Tenancy.objects.create(
        property=home, person=tenant, reference="T-1", tenure="assured", start_date=dt.date(2020, 1, 1)
    )
    batch = ImportBatch.objects.create(organisation=landlord, imported_at=dt.datetime.now(dt.UTC), source="x")

    def event(kind, n, **data):
        HousingEvent.objects.create(
            organisation=landlord,
            kind=kind,
            event_id=f"{kind}{n}",
            row_hash="h",
            tenancy_ref="T-1",
            data=data,
            batch=batch,
        )

    weeks = [("2024-01-01", "10.5"), ("2024-01-08", "20"), ("2024-01-15", "0"), ("2024-02-05", "5")]
    weeks += [("2024-02-12", "7"), ("2024-03-04", "3")]  # 02-12 continues; 03-04 follows a gap: a new one
    for n, (week, balance) in enumerate(weeks):
        event("rent", n, week_start=week, balance=balance)
    event("asb", 1, reported_on="2024-02-20", role="subject")
    event("outcomes", 1, outcome="tenancy_failure", occurred_on="2024-04-02")
    event("outcomes", 2, outcome="hospital_admission", occurred_on="2024-04-03")
    counts = record_counts([landlord.pk], dt.date(2024, 6, 1))
    assert {k: v for k, v in counts.items() if k[0] == tenant.pk} == {
        (tenant.pk, "2024-01", "arrears_episodes"): 1,
        (tenant.pk, "2024-02", "arrears_episodes"): 1,
        (tenant.pk, "2024-03", "arrears_episodes"): 1,
        (tenant.pk, "2024-02", "asb_reports"): 1,
        (tenant.pk, "2024-04", "tenancy_failures"): 1,
    }
