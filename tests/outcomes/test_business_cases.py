"""Business cases: proposed from casework against the baseline, changed with reasons, scenarios compared,
and reported as HTML, PDF (rendered with pdftoppm) and XLSX whose formulas agree with the engine."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.core.roles import Role
from homeward.discharge.models import DischargeCase, LostBedDays
from homeward.engines.cba import appraise, load_model
from homeward.engines.cba.prices import gdp_deflator
from homeward.outcomes import business_case as bc
from homeward.outcomes.models import BusinessCase
from homeward.outcomes.workbook import build_workbook
from tests.factories import OrganisationFactory, PersonFactory, make_actor, share_case
from tests.outcomes.test_simulator import service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cba"
START, END = dt.date(2026, 4, 1), dt.date(2026, 9, 30)  # 183 days; the baseline is the 183 days before


def _discharge(service, on: dt.date, lost: float, rehoused: bool = False, readmitted: bool = False):  # noqa: F811
    person = PersonFactory(organisation=service["trust"])
    admitted = on - dt.timedelta(days=12)
    case = DischargeCase.objects.create(
        person=person,
        organisation=service["trust"],
        housing_organisation=service["homes"],
        referred_by=service["lead"].user,
        hospital=service["hospital"],
        referral_reason="Stairs",
        admitted_on=admitted,
        referred_at=timezone.make_aware(dt.datetime.combine(admitted, dt.time(10))),
        discharge_ready_on=on - dt.timedelta(days=int(lost)),
        discharged_on=on,
        destination="rehoused" if rehoused else "usual_home",
        status="readmitted" if readmitted else "discharged",
    )
    share_case(person, service["homes"], case_type="discharge.case", case_id=case.pk)
    LostBedDays.objects.create(case=case, category="home_unsuitable", days=lost)


def _history(service):  # noqa: F811
    """40 discharges in the baseline (6 bed-days lost each, 10 readmitted); 50 in the period (2 days lost,
    5 readmitted, 10 rehoused)."""
    for i in range(40):
        _discharge(service, START - dt.timedelta(days=2 + i * 4), 6.0, readmitted=i < 10)
    for i in range(50):
        _discharge(service, START + dt.timedelta(days=1 + i * 3), 2.0, rehoused=i < 10, readmitted=i < 5)


def _create(actor, **changes):
    data = {
        "name": "Ward housing officers",
        "service": "hospital_to_home",
        "period_start": START,
        "period_end": END,
        "years": 3,
        "price_year": 2024,
        "annual_cost": 80_000.0,
        "cost_agency": "Riverside Homes",
        "cost_optimism_bias": 0.1,
    }
    data.update(changes)
    return bc.create_case(actor, **data)


def test_the_proposal_carries_observed_volumes_rates_and_rebased_unit_costs(service):  # noqa: F811
    _history(service)
    case = _create(service["lead"])
    model = case.model
    assert model["cohorts"][0]["participants"] == pytest.approx(50 * 365 / 183, abs=0.01)
    beds, readmit, homeless = model["outcomes"]
    series = gdp_deflator()
    night = round(395 * series[2024] / series[2022], 2)
    # Bed-days: 6 → 2 per patient, 4 days avoided (no spread: every case lost the same), at the night cost.
    assert beds["unit_value"] == pytest.approx(4 * night)
    # Readmissions: 25% → 10%, a fall of 15 points, with its 95% interval as a triangular distribution.
    assert readmit["success_rate"]["mode"] == pytest.approx(0.15)
    assert readmit["success_rate"]["min"] < 0.15 < readmit["success_rate"]["max"]
    assert readmit["unit_value"] == pytest.approx(round(1590 * series[2024] / series[2016], 2))
    assert homeless["success_rate"]["mode"] == pytest.approx(10 / 50)
    # Grades follow the evidence: a before/after difference on 40 and 50 cases is grade 4 at best.
    assert readmit["confidence_grade"] >= 4
    assert "fell from 25.0% of 40 discharges" in case.evidence["outcomes[1].success_rate"]["text"].replace(
        "Readmitted within 30 days: ", "fell from "
    )
    assert case.evidence["outcomes[0].optimism_bias"]["kind"] == "assumption"
    assert "Reference Costs 2016/17" in case.evidence["outcomes[1].unit_value"]["text"]
    appraise(load_model(model))  # the proposal is a valid model


def test_another_organisation_sees_no_cases_and_an_unshared_trust_adds_none(service):  # noqa: F811
    _history(service)
    stranger = make_actor(Role.TEAM_LEAD, OrganisationFactory(name="Elsewhere Homes"))
    case = _create(stranger)
    assert case.model["cohorts"][0]["participants"] == 0
    assert not bc.visible_cases(service["lead"]).filter(pk=case.pk).exists()
    with pytest.raises(Exception, match="No business case"):
        bc.get_case(service["lead"], case.pk)


def test_a_change_needs_a_reason_is_validated_and_is_kept(service):  # noqa: F811
    _history(service)
    case = _create(service["lead"])
    with pytest.raises(ValidationFailed) as exc:
        bc.change_assumption(service["lead"], case, "outcomes[1].deadweight", "0.2", " ")
    assert "reason" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        bc.change_assumption(service["lead"], case, "outcomes[1].deadweight", "1.4", "x")
    assert exc.value.errors["value"] == "must be between 0 and 1 (got 1.4)"
    with pytest.raises(ValidationFailed):
        bc.change_assumption(service["lead"], case, "outcomes[9].deadweight", "0.2", "x")
    case.refresh_from_db()
    assert case.model["outcomes"][1]["deadweight"] == 0.0 and not case.changes.exists()

    before = appraise(load_model(case.model)).npv
    change = bc.change_assumption(
        service["lead"],
        case,
        "outcomes[1].deadweight",
        "0.3",
        "Audit shows 30% would not have been readmitted",
    )
    case.refresh_from_db()
    assert (change.before, change.after, change.label) == (
        0.0,
        0.3,
        "Emergency readmissions within 30 days avoided: deadweight",
    )
    assert appraise(load_model(case.model)).npv < before
    assert case.evidence["outcomes[1].deadweight"]["kind"] == "changed"


def test_scenarios_copy_the_case_and_compare_side_by_side(client, service):  # noqa: F811
    _history(service)
    case = _create(service["lead"])
    more = bc.add_scenario(service["lead"], case, "Two more officers")
    for y in range(3):
        bc.change_assumption(
            service["lead"], more, f"costs[{y}].amount", "160000", "Two more officers at £40k each"
        )
    assert [c.name for c in bc.family(more)] == ["Ward housing officers", "Two more officers"]
    assert case.model["costs"][0]["amount"] == 80_000  # the base case is untouched
    client.force_login(service["lead"].user)
    page = client.get(f"/outcomes/business-cases/{case.pk}/compare/").content.decode()
    assert "Two more officers" in page and "(base)" in page


def test_the_builder_pages_validate_and_refuse_other_roles(client, service):  # noqa: F811
    _history(service)
    client.force_login(service["lead"].user)
    form = {
        "name": "Officers",
        "service": "hospital_to_home",
        "period_start": "2026-09-30",
        "period_end": "2026-04-01",
        "years": "3",
        "price_year": "2024",
        "annual_cost": "80000",
        "cost_agency": "Riverside Homes",
        "cost_optimism_bias": "0.1",
    }
    bad = client.post("/outcomes/business-cases/", form)
    assert bad.status_code == 400 and "The period must end on or after its start" in bad.content.decode()
    assert not BusinessCase.objects.exists()
    form["period_start"], form["period_end"] = "2026-04-01", "2026-09-30"
    created = client.post("/outcomes/business-cases/", form)
    assert created.status_code == 302
    url = created["Location"]
    page = client.get(url).content.decode()
    assert "For every £1 that Riverside Homes invests" in page and "observed" in page
    refused = client.post(url, {"path": "outcomes[0].success_rate", "value": "2", "reason": "typo"})
    assert refused.status_code == 400 and "must be between 0 and 1 (got 2)" in refused.content.decode()
    partner = make_actor(Role.PARTNER, service["homes"])
    client.force_login(partner.user)
    assert client.get(url).status_code == 404
    assert client.get("/outcomes/business-cases/").status_code == 404


@pytest.mark.parametrize(
    "name", ["hospital_at_home", "hospital_to_home_housing_officer", "social_prescribing"]
)
def test_the_spreadsheet_formulas_give_the_engines_figures(name):
    model = load_model(EXAMPLES / f"{name}.yaml")
    result = appraise(model)
    sheet = openpyxl.load_workbook(io.BytesIO(build_workbook(model, name, [])), data_only=True)["Appraisal"]
    got = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value
        for r in range(1, sheet.max_row + 1)
    }
    assert got["Present value of costs"] == pytest.approx(result.pv_costs, abs=0.005)
    for kind in ("fiscal", "economic", "social"):
        assert got[f"Present value of {kind} benefits"] == pytest.approx(
            getattr(result.pv_benefits, kind), abs=0.005
        )
    for agency, value in result.pv_benefits_by_agency.items():
        assert got[f"Present value of benefits to {agency}"] == pytest.approx(value, abs=0.005)
    assert got["Net present value"] == pytest.approx(result.npv, abs=0.005)
    assert got["Financial ROI (fiscal ÷ costs)"] == pytest.approx(result.financial_roi)
    assert got["Social ROI (public value ÷ costs)"] == pytest.approx(result.social_roi)
    payback = got["Payback year (cumulative discounted fiscal benefit ≥ cost)"]
    assert payback == ("never" if result.payback_year is None else result.payback_year)
    formulas = openpyxl.load_workbook(io.BytesIO(build_workbook(model, name, [])))["Appraisal"]
    npv_row = next(
        r
        for r in range(1, formulas.max_row + 1)
        if formulas.cell(row=r, column=1).value == "Net present value"
    )
    assert str(formulas.cell(row=npv_row, column=2).value).startswith("=")  # live, not pasted


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice not installed: formulas not recalculated"
)
def test_libreoffice_recalculates_the_formulas_to_the_engines_npv(tmp_path):
    """Independent of our cached values: LibreOffice recomputes every formula from the inputs."""
    model = load_model(EXAMPLES / "hospital_to_home_housing_officer.yaml")
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(model, "x", [])))
    src = tmp_path / "case.xlsx"
    wb.save(src)  # openpyxl keeps the formulas and drops our cached values
    profile = tmp_path / "profile" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry">'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item></oor:items>"
    )
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ws = openpyxl.load_workbook(tmp_path / "out" / "case.xlsx", data_only=True)["Appraisal"]
    got = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
    assert got["Net present value"] == pytest.approx(appraise(model).npv, abs=0.01)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_the_pdf_and_html_reports_carry_the_summary_and_charts(client, service, tmp_path):  # noqa: F811
    _history(service)
    case = _create(service["lead"])
    client.force_login(service["lead"].user)
    html = client.get(f"/outcomes/business-cases/{case.pk}/report/").content.decode()
    assert "For every £1 that Riverside Homes invests, public bodies avoid £" in html
    for title in (
        "Benefits by agency",
        "Cumulative cash flow and payback",
        "Distribution of net present value",
    ):
        assert f'aria-label="{title}"' in html
    assert "Reference Costs 2016/17" in html  # sources listed
    response = client.get(f"/outcomes/business-cases/{case.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "case.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    assert all(p.stat().st_size > 3000 for p in pages)  # drawn pages, not blank ones
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Who pays and who benefits" in text and "Net present value over 10,000 draws" in text
    xlsx = client.get(f"/outcomes/business-cases/{case.pk}/report.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content), data_only=True)
    assert sheet.sheetnames == ["Appraisal", "Assumptions and sources"]


def test_the_report_buttons_build_the_pdf_and_workbook_as_jobs(client, service):  # noqa: F811
    from homeward.jobs.models import Job

    _history(service)
    case = _create(service["lead"])
    client.force_login(service["lead"].user)
    page = client.get(f"/outcomes/business-cases/{case.pk}/").content.decode()
    assert f'action="/outcomes/business-cases/{case.pk}/export/"' in page
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        response = client.post(f"/outcomes/business-cases/{case.pk}/export/", {"format": fmt})
        job = Job.objects.get(kind="outcomes.report", params__format=fmt)
        assert response["Location"] == f"/jobs/{job.pk}/" and job.status == "succeeded", job.error
        assert job.result["url"] == f"/jobs/{job.pk}/download/"
        shown = client.get(response["Location"]).content.decode()
        assert job.result["link_text"] in shown
        download = client.get(job.result["url"])
        assert download.status_code == 200 and b"".join(download.streaming_content).startswith(magic)
    refused = client.post(f"/outcomes/business-cases/{case.pk}/export/", {"format": "docx"}, follow=True)
    assert "Choose pdf or xlsx" in refused.content.decode()
    outsider = make_actor(Role.TEAM_LEAD)
    client.force_login(outsider.user)
    assert client.get(job.result["url"]).status_code == 404
