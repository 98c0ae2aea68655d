"""The DFG test of resources: children not tested, passported applicants at 100%, a worked case, and the
tables: missing ones named, bad ones refused by table and field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dfg_examples import WORKED, illustrative_raw, illustrative_tables, worked

from homeward.engines.dfg import (
    DfgInputError,
    TablesMissing,
    assess_contribution,
    decide,
    parse_application,
    parse_tables,
    statutory_tables,
)


def test_a_passported_applicant_gets_a_100_per_cent_grant():
    application = parse_application(worked(benefits=["universal_credit"], household=None, income=[]))
    decision = decide(application, illustrative_tables())
    assert decision.assessment.basis == "passported"
    assert decision.assessment.contribution == 0
    assert decision.grant.grant == Decimal("14500.00")  # the whole eligible cost
    assert decision.grant.applicant_pays == 0
    assert decision.steps[0].startswith("Passported: the relevant person receives Universal Credit")
    assert decision.steps[-1] == "Contribution £0.00; grant £14,500.00"


@pytest.mark.parametrize(
    ("occupant", "tested"),
    [
        ({"age": 7}, False),
        ({"age": 15}, False),
        ({"age": 17, "child_benefit_payable": True}, False),  # a young person
        ({"age": 17, "child_benefit_payable": False}, True),
        ({"age": 19, "child_benefit_payable": True}, True),
    ],
)
def test_a_disabled_child_or_young_person_is_not_means_tested(occupant, tested):
    application = parse_application(worked(disabled_occupant=occupant))
    assessment = assess_contribution(application, illustrative_tables())
    assert assessment.means_tested is tested
    if not tested:
        assert assessment.basis == "child_or_young_person" and assessment.contribution == 0
        assert "no relevant person to assess" in assessment.steps[0]


def test_a_child_needs_no_organisation_tables_at_all():
    # Only the shipped statutory figures: no allowances, premiums, loan factors or passporting list.
    decision = decide(parse_application(worked(disabled_occupant={"age": 9})), statutory_tables())
    assert decision.grant.grant == Decimal("14500.00")
    assert decision.assessment.tables_used == []
    assert decision.assessment.warnings == []


def test_a_worked_case_with_its_explanation():
    # By hand, with the tests-only illustrative tables (owner-occupier couple, one disability premium):
    #   income: 360.00 + 95.50 + 72.65 − 72.65 disregarded = 455.50 a week
    #   tariff: 8,120 − 5,000 = 3,120 → 12.48 steps of £250, a part counts → 13 × £1 = 13.00
    #   allowances: couple 110.00 + disability (couple) 45.00 + housing allowance 61.30 (statutory) = 216.30
    #   surplus: 455.50 + 13.00 − 216.30 = 252.20
    #   loan: 50 × 10 + 50 × 20 + 152.20 × 40 = 500 + 1,000 + 6,088 = 7,588.00
    #   grant: 14,500 − 7,588 = 6,912.00; land charge 6,912 − 5,000 = 1,912.00
    decision = decide(parse_application(WORKED), illustrative_tables())
    a = decision.assessment
    assert (a.weekly_income, a.tariff_income, a.allowances, a.surplus) == (
        Decimal("455.50"),
        Decimal("13.00"),
        Decimal("216.30"),
        Decimal("252.20"),
    )
    assert a.contribution == Decimal("7588.00") and a.loan_years == 10
    assert decision.grant.grant == Decimal("6912.00")
    assert decision.grant.land_charge.amount == Decimal("1912.00")
    assert decision.steps == [
        "Not passported: attendance_allowance is not in the passporting table.",
        "Weekly income £455.50 (from State Pensions £360.00; Occupational pension £95.50; Attendance "
        "Allowance £72.65 less £72.65 disregarded (disregarded in full))",
        "Tariff income £13.00 a week: capital £8,120.00 is £3,120.00 above the £5,000.00 disregarded; £1.00 "
        "for each £250.00 or part (13 × £1.00; standard rule)",
        "Allowances £216.30 (personal allowance couple £110.00, disability_couple premium £45.00, housing "
        "allowance £61.30)",
        "Surplus £252.20 a week (income £455.50 + tariff income £13.00 − allowances £216.30)",
        "Affordable loan over 10 years at the loan factors for an owner-occupier: £50.00 × 10 + £50.00 × 20 "
        "+ £152.20 × 40 = £7,588.00",
        "Contribution £7,588.00",
        "Grant £6,912.00: cost £14,500.00 − contribution £7,588.00, within the DFG maximum of £30,000.00",
        "Land charge £1,912.00: the part of the £6,912.00 grant above £5,000.00, up to £10,000.00, repayable "
        "if the home is disposed of within 10 years of the certified date (the council may decide not to "
        "demand it).",
        "Contribution £7,588.00; grant £6,912.00",
    ]
    assert a.warnings == [
        "These tables are marked illustrative: the figures are examples, not statutory amounts."
    ]
    housing = next(use for use in a.tables_used if use.table == "housing_allowance")
    assert "SI 2008/1190 reg. 4(2)" in housing.source and housing.valid_from == dt.date(2008, 5, 22)


def test_a_tenant_repays_over_5_years_and_has_no_land_charge():
    # Same surplus 252.20; tenant factors: 50 × 5 + 50 × 10 + 152.20 × 20 = 250 + 500 + 3,044 = 3,794.00
    decision = decide(parse_application(worked(tenure="tenant")), illustrative_tables())
    assert decision.assessment.contribution == Decimal("3794.00")
    assert "over 5 years at the loan factors for a tenant" in decision.steps[5]
    assert decision.grant.grant == Decimal("10706.00") and decision.grant.land_charge is None


def test_income_below_the_allowances_means_no_contribution():
    application = parse_application(
        worked(income=[{"description": "Pension", "weekly_amount": 150.00}], capital=None)
    )
    assessment = assess_contribution(application, illustrative_tables())
    assert assessment.surplus == 0 and assessment.contribution == 0
    assert "Surplus £0.00: income £150.00 is not above the allowances £216.30" in assessment.steps


def test_the_pension_age_capital_rule_and_a_capital_below_the_disregard():
    application = parse_application(worked(capital={"amount": 9000, "rule": "pension_age"}))
    assessment = assess_contribution(application, illustrative_tables())
    assert assessment.tariff_income == 0
    assert "is not above the £10,000.00 disregarded (pension_age rule)" in assessment.steps[2]


def test_missing_tables_are_named():
    with pytest.raises(TablesMissing) as caught:
        assess_contribution(parse_application(WORKED), statutory_tables())
    assert caught.value.table == "passporting_benefits"
    assert str(caught.value).startswith(
        "tables.passporting_benefits: missing — the test of resources needs it"
    )

    raw = illustrative_raw()
    del raw["tables"]["loan_factors"]
    with pytest.raises(TablesMissing, match=r"^tables.loan_factors: missing") as caught:
        assess_contribution(parse_application(WORKED), parse_tables(raw))
    assert caught.value.table == "loan_factors"


def test_a_table_with_no_version_in_force_is_named():
    early = parse_application(worked(assessment_date="2025-03-31"))
    with pytest.raises(TablesMissing) as caught:
        assess_contribution(early, illustrative_tables())
    assert str(caught.value) == (
        "tables.passporting_benefits: no version in force on 31 Mar 2025 (versions from 1 Apr 2025)"
    )


def test_the_version_in_force_on_the_assessment_date_is_used():
    raw = illustrative_raw()
    later = {
        **raw["tables"]["premiums"][0],
        "valid_from": "2026-04-01",
        "source": "Illustrative 2026 example",
    }
    later["values"] = {**later["values"], "disability_couple": 50.00}
    raw["tables"]["premiums"].append(later)
    tables = parse_tables(raw)
    before = assess_contribution(parse_application(worked(assessment_date="2026-03-31")), tables)
    after = assess_contribution(parse_application(worked(assessment_date="2026-04-01")), tables)
    assert (before.allowances, after.allowances) == (Decimal("216.30"), Decimal("221.30"))


def test_a_code_not_in_the_tables_is_named_by_its_path():
    application = parse_application(
        worked(household={"personal_allowance": "couple", "premiums": ["disabled"]})
    )
    with pytest.raises(DfgInputError) as caught:
        assess_contribution(application, illustrative_tables())
    assert [str(i) for i in caught.value.issues] == [
        "household.premiums[0]: 'disabled' is not in the premiums table (known: carer, disability_couple, "
        "disability_single, family)"
    ]


def _table_issues(change) -> list[str]:
    raw = illustrative_raw()
    change(raw["tables"])
    with pytest.raises(DfgInputError) as caught:
        parse_tables(raw)
    return [str(i) for i in caught.value.issues]


def test_bad_tables_are_refused_naming_the_table_and_field():
    def unsorted_bands(t):
        t["loan_factors"][0]["values"]["owner_occupier"][1]["up_to"] = 40

    assert _table_issues(unsorted_bands) == [
        "tables.loan_factors[0].values.owner_occupier[1].up_to: bands must rise (got 40.00 after 50.00)"
    ]

    def negative(t):
        t["premiums"][0]["values"]["family"] = -1

    assert _table_issues(negative) == [
        "tables.premiums[0].values.family: Input should be greater than or equal to 0"
    ]

    def no_source(t):
        del t["capital"][0]["source"]

    assert _table_issues(no_source) == ["tables.capital[0].source: is required"]

    def unknown_table(t):
        t["allowances"] = t.pop("personal_allowances")

    assert _table_issues(unknown_table) == ["tables.allowances: is not a field of this format"]

    def same_date(t):
        t["premiums"].append(dict(t["premiums"][0]))

    assert _table_issues(same_date) == ["tables.premiums: two versions share a valid_from date"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"tenure": "lodger"}, "tenure: Input should be 'owner_occupier' or 'tenant'"),
        (
            {"disabled_occupant": {"age": 200}},
            "disabled_occupant.age: Input should be less than or equal to 130",
        ),
        (
            {
                "income": [
                    {"description": "Pay", "weekly_amount": 100, "disregard": 120, "disregard_reason": "x"}
                ]
            },
            "income[0].disregard: is more than the weekly amount",
        ),
        (
            {"income": [{"description": "Pay", "weekly_amount": 100, "disregard": 20}]},
            "income[0].disregard_reason: is required when part of the income is disregarded",
        ),
        ({"cost_of_works": 2_000_000}, "cost_of_works: Input should be less than or equal to 1000000"),
        (
            {"assessment_date": "soon"},
            "assessment_date: Input should be a valid date or datetime, input is too short",
        ),
    ],
)
def test_a_bad_application_is_refused_naming_the_field(change, expected):
    with pytest.raises(DfgInputError) as caught:
        parse_application(worked(**change))
    assert [str(i) for i in caught.value.issues] == [expected]
