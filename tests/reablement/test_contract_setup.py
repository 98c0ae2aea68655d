"""Setting up and changing a commissioner's contract on its page (bounds, errors naming the field, what
was typed kept, nothing written), and the monthly contract report as PDF (drawn pages) and XLSX (cells equal
to the HTML report's figures)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.test import Client

from homeward.core.roles import Role
from homeward.reablement.models import Contract
from tests.factories import make_actor
from tests.reablement.test_contracts_and_what_if import last_month, month_of_stays  # noqa: F401

VALID = {
    "reference": "ICB-RB-777",
    "starts_on": "01/04/2026",
    "ends_on": "31/03/2027",
    "los_median": "21",
    "los_median_margin": "3",
    "occupancy": "85",
    "occupancy_margin": "5",
    "admitted_within_2_days": "80",
    "home_at_discharge": "70",
    "at_home_91_days": "80",
    "readmitted_30_days": "10",
}


def signed_in(role, org) -> tuple[Client, object]:
    actor = make_actor(role, org)
    client = Client()
    client.force_login(actor.user)
    return client, actor


def test_a_commissioner_sets_up_a_contract_with_its_targets_and_changes_it(world):
    client, _ = signed_in(Role.COMMISSIONER, world.trust)
    listing = client.get("/reablement/contracts/").content.decode()
    assert 'href="/reablement/contracts/new/"' in listing
    assert client.get("/reablement/contracts/new/").status_code == 200
    response = client.post("/reablement/contracts/new/", VALID | {"unit": world.unit.pk})
    contract = Contract.objects.get(reference="ICB-RB-777")
    assert response.status_code == 302 and response["Location"] == f"/reablement/contracts/{contract.pk}/"
    targets = {t.measure: (t.target, t.amber_margin) for t in contract.targets.all()}
    assert targets["los_median"] == (21.0, 3.0)
    assert targets["occupancy"] == (pytest.approx(0.85), pytest.approx(0.05))
    assert targets["readmitted_30_days"] == (pytest.approx(0.10), None)
    assert contract.commissioner_id == world.trust.pk

    edit = client.get(f"/reablement/contracts/{contract.pk}/edit/").content.decode()
    assert 'value="85.0"' in edit or 'value="85"' in edit  # shares shown back as percentages
    changed = VALID | {"unit": world.unit.pk, "occupancy": "90", "readmitted_30_days": "", "reference": "V2"}
    assert client.post(f"/reablement/contracts/{contract.pk}/edit/", changed).status_code == 302
    contract.refresh_from_db()
    targets = {t.measure: t.target for t in contract.targets.all()}
    assert contract.reference == "V2" and targets["occupancy"] == pytest.approx(0.9)
    assert "readmitted_30_days" not in targets  # left empty: no target any more


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"occupancy": "120"}, "occupancy", "less than or equal to 100"),
        ({"los_median": "-1"}, "los_median", "greater than or equal to 0"),
        ({"los_median": "400"}, "los_median", "less than or equal to 365"),
        (
            {"home_at_discharge": "", "home_at_discharge_margin": "5"},
            "home_at_discharge_margin",
            "Give the target",
        ),
        ({"ends_on": "01/03/2026"}, "ends_on", "must end after it starts"),
        ({"reference": ""}, "reference", "required"),
        ({"occupancy": "lots"}, "occupancy", "Enter a number"),
    ],
)
def test_bad_contract_input_keeps_what_was_typed_and_names_the_field(world, change, field, text):
    client, _ = signed_in(Role.COMMISSIONER, world.trust)
    data = VALID | {"unit": world.unit.pk} | change
    response = client.post("/reablement/contracts/new/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and f'href="#id_{field}"' in page and text in page
    assert 'value="ICB-RB-777"' in page or field == "reference"  # what was typed stays
    assert not Contract.objects.exists()


def test_no_target_at_all_and_another_commissioners_unit_are_refused(world):
    client, _ = signed_in(Role.COMMISSIONER, world.trust)
    empty = {k: VALID[k] for k in ("reference", "starts_on", "ends_on")}
    response = client.post("/reablement/contracts/new/", empty | {"unit": world.unit.pk})
    assert response.status_code == 400 and "Give at least one target" in response.content.decode()
    other, _ = signed_in(Role.COMMISSIONER, world.practice)
    response = other.post("/reablement/contracts/new/", VALID | {"unit": world.unit.pk})
    assert response.status_code == 400 and 'href="#id_unit"' in response.content.decode()
    assert not Contract.objects.exists()


def test_only_the_commissioner_changes_its_contract(world, month_of_stays):  # noqa: F811
    contract, _ = month_of_stays
    provider_lead, _ = signed_in(Role.TEAM_LEAD, world.provider)
    assert provider_lead.get("/reablement/contracts/new/").status_code == 403
    assert provider_lead.get(f"/reablement/contracts/{contract.pk}/edit/").status_code == 403
    other, _ = signed_in(Role.COMMISSIONER, world.practice)
    assert other.get(f"/reablement/contracts/{contract.pk}/edit/").status_code == 404
    report = provider_lead.get(f"/reablement/contracts/{contract.pk}/").content.decode()
    assert "/edit/" not in report  # the provider sees the report, not the change link


def _html_figures(page: str) -> dict[str, tuple[str, str]]:
    """{measure label: (actual as shown, status)} from the HTML report's table."""
    out = {}
    for row in re.findall(r'<tr class="nhsuk-table__row">(.*?)</tr>', page, re.S):
        cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        label = cells[0].replace("Measure", "", 1).strip()
        actual = cells[1].replace("Actual", "", 1).split("(95%")[0].split("n =")[0].strip()
        out[label] = (actual, cells[3].replace("Status", "", 1).strip())
    return out


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_the_report_as_pdf_and_xlsx_carries_the_html_figures(world, month_of_stays, tmp_path):  # noqa: F811
    contract, _ = month_of_stays
    client, _ = signed_in(Role.COMMISSIONER, world.trust)
    query = f"?from={last_month():%Y-%m}&months=1"
    page = client.get(f"/reablement/contracts/{contract.pk}/{query}").content.decode()
    assert f"/reablement/contracts/{contract.pk}/report.pdf" in page
    shown = _html_figures(page)
    assert shown["Median length of stay (days)"] == ("7.0 days", "Amber")

    xlsx = client.get(f"/reablement/contracts/{contract.pk}/report.xlsx{query}")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Contract report"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=6)]
    by_label = {r[1]: r for r in rows if r[0] == f"{last_month():%Y-%m}"}
    assert set(shown) <= set(by_label)
    for label, (actual, status) in shown.items():
        cell = by_label[label]
        if actual == "No data":
            assert cell[2] is None
        elif actual.endswith("days"):
            assert f"{cell[2]:.1f} days" == actual
        else:
            assert f"{round(cell[2] * 100)}%" == actual
        assert cell[8] == status
    assert by_label["Lost to the 91-day follow-up"][2] == 0

    pdf = client.get(f"/reablement/contracts/{contract.pk}/report.pdf{query}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True, timeout=120
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and all(p.stat().st_size > 3000 for p in pages)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Contract report ICB-RB-001" in text and "7.0 days" in text


def test_the_downloads_are_for_the_commissioner_and_the_provider_only(world, month_of_stays):  # noqa: F811
    contract, _ = month_of_stays
    for path in ("report.pdf", "report.xlsx"):
        other, _ = signed_in(Role.COMMISSIONER, world.practice)
        assert other.get(f"/reablement/contracts/{contract.pk}/{path}").status_code == 404
        caseworker, _ = signed_in(Role.CASEWORKER, world.provider)
        assert caseworker.get(f"/reablement/contracts/{contract.pk}/{path}").status_code == 403
