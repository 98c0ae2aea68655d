"""The test of resources as a page and a service over engines.dfg: tables missing are named with how to load
them (nothing written), a child needs no tables, a passported applicant skips the test, the worked case
matches the engine's hand-computed figure, bad input names the field, and loading a tables file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from homeward.adaptations import means_test
from homeward.adaptations.models import DfgTablesFile, ResourcesTest
from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.roles import Role
from tests.factories import make_actor

ILLUSTRATIVE = Path(__file__).parents[1] / "engines" / "dfg" / "illustrative_tables.json"
ASSESSED = dt.date(2025, 6, 2)
INCOME = [
    {"description": "State Pensions", "weekly_amount": Decimal("360.00")},
    {"description": "Occupational pension", "weekly_amount": Decimal("95.50")},
    {
        "description": "Attendance Allowance",
        "weekly_amount": Decimal("72.65"),
        "disregard": Decimal("72.65"),
        "disregard_reason": "disregarded in full",
    },
]


def _applicant_aged(world, years: int) -> None:
    world.applicant.date_of_birth = dt.date(ASSESSED.year - years, 1, 1)
    world.applicant.save()


def _load(world) -> DfgTablesFile:
    admin = make_actor(Role.ADMIN, world.district)
    return means_test.load_tables_file(actor=admin, content=ILLUSTRATIVE.read_bytes(), filename="tables.json")


def _worked(world, case, **changes):
    fields = {
        "assessment_date": ASSESSED,
        "benefits": [],
        "personal_allowance": "couple",
        "premiums": ["disability_couple"],
        "income": INCOME,
        "capital_amount": Decimal("8120.00"),
    } | changes
    return means_test.run_test(actor=world.officer, case_id=case.pk, **fields)


def test_without_the_organisations_tables_the_test_names_the_missing_table_and_writes_nothing(world):
    _applicant_aged(world, 74)
    case = world.open()
    with pytest.raises(ValidationFailed) as caught:
        _worked(world, case)
    message = caught.value.errors["tables"]
    assert "tables.passporting_benefits: missing" in message
    assert "administrator loads it on Adaptations › DFG tables" in message
    assert not ResourcesTest.objects.exists()
    assert not case.events.filter(title="Test of resources").exists()


def test_a_disabled_child_is_not_means_tested_and_needs_no_tables(world):
    _applicant_aged(world, 9)
    case = world.open()
    test = means_test.run_test(actor=world.officer, case_id=case.pk, assessment_date=ASSESSED)
    assert test.basis == "child_or_young_person" and test.contribution == 0 and not test.means_tested
    assert "No test of resources: the disabled occupant is a child" in test.steps


def test_a_passported_applicant_skips_the_test_once_the_passporting_table_is_loaded(world):
    _applicant_aged(world, 74)
    _load(world)
    case = world.open()
    test = means_test.run_test(
        actor=world.officer, case_id=case.pk, assessment_date=ASSESSED, benefits=["pension_credit_guarantee"]
    )
    assert test.basis == "passported" and test.contribution == 0
    assert [use["table"] for use in test.tables_used] == ["passporting_benefits", "file"]


def test_the_worked_case_gives_the_hand_computed_contribution_with_its_steps(world):
    _applicant_aged(world, 74)
    _load(world)
    case = world.open()
    test = _worked(world, case)
    # The engine's hand-worked example (tests/engines/dfg/test_dfg_resources.py): £7,588.00.
    assert test.contribution == Decimal("7588.00") and test.basis == "test_of_resources"
    assert "Contribution £7,588.00" in test.steps
    assert "illustrative" in test.warnings
    assert case.events.filter(title="Test of resources", note__contains="£7,588.00").exists()


def test_a_table_with_no_version_in_force_is_named_with_its_dates(world):
    _applicant_aged(world, 74)
    _load(world)
    case = world.open()
    with pytest.raises(ValidationFailed) as caught:
        _worked(world, case, assessment_date=dt.date(2025, 3, 31))
    assert "no version in force on 31 Mar 2025 (versions from 1 Apr 2025)" in caught.value.errors["tables"]


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"personal_allowance": "trio"}, "personal_allowance", "'trio' is not in the personal_allowances"),
        ({"capital_rule": "lottery"}, "capital_rule", "'lottery' is not in the capital table"),
        (
            {
                "income": [
                    {
                        "description": "Pension",
                        "weekly_amount": Decimal("10"),
                        "disregard": Decimal("20"),
                        "disregard_reason": "x",
                    }
                ],
                "income_rows": [3],
            },
            "income_3_disregard",
            "more than the weekly amount",
        ),
        ({"personal_allowance": ""}, "personal_allowance", "required for the test of resources"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, changes, field, text):
    _applicant_aged(world, 74)
    _load(world)
    case = world.open()
    with pytest.raises(ValidationFailed) as caught:
        _worked(world, case, **changes)
    assert text in caught.value.errors[field]
    assert not ResourcesTest.objects.exists()


def test_only_an_administrator_loads_tables_and_a_bad_file_is_refused_naming_the_field(world):
    with pytest.raises(NotAllowed):
        means_test.load_tables_file(actor=world.officer, content=ILLUSTRATIVE.read_bytes(), filename="t.json")
    admin = make_actor(Role.ADMIN, world.district)
    bad = ILLUSTRATIVE.read_text().replace('"tariff_per_step": 1.00', '"tariff_per_step": -1.00', 1)
    with pytest.raises(ValidationFailed) as caught:
        means_test.load_tables_file(actor=admin, content=bad.encode(), filename="t.json")
    assert "tables.capital[0].values.standard.tariff_per_step" in caught.value.errors["file"]
    for content, problem in [
        (b"{not json", "cannot be read as JSON"),
        (b"\xff\xfe", "UTF-8"),
        (b" " * 200_001, "200 KB"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            means_test.load_tables_file(actor=admin, content=content, filename="t.json")
        assert problem in caught.value.errors["file"]
    assert not DfgTablesFile.objects.exists()


def test_the_table_status_says_which_tables_are_shipped_loaded_or_missing(world):
    rows, loaded = means_test.table_status(world.district.pk, ASSESSED)
    states = {row.table: row.state for row in rows}
    assert loaded is None
    assert states["grant_maximum"] == "shipped" and states["loan_factors"] == "missing"
    _load(world)
    rows, loaded = means_test.table_status(world.district.pk, ASSESSED)
    assert {row.table: row.state for row in rows}["loan_factors"] == "loaded" and loaded is not None
    # Another organisation's tables are its own.
    other = {row.table: row.state for row in means_test.table_status(world.county.pk, ASSESSED)[0]}
    assert other["loan_factors"] == "missing"


def test_the_page_shows_the_missing_tables_then_records_the_test_and_keeps_what_was_typed(world, client):
    _applicant_aged(world, 74)
    case = world.open(enquiry_received_on=dt.date(2025, 5, 1))
    client.force_login(world.officer.user)
    page = client.get(f"/adaptations/cases/{case.pk}/resources/").content.decode()
    assert "<code>loan_factors</code> (Loan-generating factors)" in page and "Missing" in page
    form = {
        "assessment_date": "02/06/2025",
        "personal_allowance": "couple",
        "premiums": "disability_couple",
        "income_0_description": "State Pensions",
        "income_0_weekly_amount": "360.00",
        "income_1_description": "Occupational pension",
        "income_1_weekly_amount": "95.50",
        "income_2_description": "Attendance Allowance",
        "income_2_weekly_amount": "72.65",
        "income_2_disregard": "72.65",
        "income_2_disregard_reason": "disregarded in full",
        "capital_amount": "8120.00",
        "capital_rule": "standard",
    }
    refused = client.post(f"/adaptations/cases/{case.pk}/resources/", form)
    assert refused.status_code == 400
    assert "tables.passporting_benefits: missing" in refused.content.decode()
    assert 'value="Occupational pension"' in refused.content.decode()
    _load(world)
    half = client.post(f"/adaptations/cases/{case.pk}/resources/", form | {"income_4_weekly_amount": "5"})
    assert half.status_code == 400 and "Say what income 5 is" in half.content.decode()
    done = client.post(f"/adaptations/cases/{case.pk}/resources/", form)
    assert done.status_code == 302
    result = client.get(done["Location"]).content.decode()
    assert "£7,588.00" in result and "Illustrative tables" in result
    grant_page = client.get(f"/adaptations/cases/{case.pk}/grant/").content.decode()
    assert 'value="7588.00"' in grant_page


def test_the_tables_page_loads_a_file_for_an_administrator_only(world, client):
    client.force_login(world.officer.user)
    assert "Load a tables file" not in client.get("/adaptations/tables/").content.decode()
    upload = SimpleUploadedFile("t.json", ILLUSTRATIVE.read_bytes(), content_type="application/json")
    assert client.post("/adaptations/tables/", {"file": upload}).status_code == 403
    admin = make_actor(Role.ADMIN, world.district)
    client.force_login(admin.user)
    bad = SimpleUploadedFile(
        "t.json", b'{"format": "homeward-dfg-tables/1", "name": "x", "tables": {"allowances": []}}'
    )
    response = client.post("/adaptations/tables/", {"file": bad})
    assert (
        response.status_code == 400
        and "tables.allowances: is not a field of this format" in response.content.decode()
    )
    upload = SimpleUploadedFile("t.json", ILLUSTRATIVE.read_bytes(), content_type="application/json")
    assert client.post("/adaptations/tables/", {"file": upload}).status_code == 302
    assert "Loaded by your organisation" in client.get("/adaptations/tables/").content.decode()


def test_another_organisation_gets_404_on_the_test_pages(world, client):
    case = world.open()
    client.force_login(world.stranger.user)
    assert client.get(f"/adaptations/cases/{case.pk}/resources/").status_code == 404
    assert client.get(f"/adaptations/cases/{case.pk}/resources/result/").status_code == 404
