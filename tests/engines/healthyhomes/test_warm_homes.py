"""The warm-homes check (likely fuel poor by LILEE) and grant-scheme rules as data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from homeward.engines.healthyhomes import (
    HealthyHomesInputError,
    WarmHomesCheck,
    assess_fuel_poverty,
    check_eligibility,
    load_scheme,
    parse_scheme,
)

SCHEME = Path(__file__).with_name("illustrative_scheme.yaml")
DAY = dt.date(2026, 1, 12)


def check(**fields) -> WarmHomesCheck:
    return WarmHomesCheck(check_date=DAY, **fields)


@pytest.mark.parametrize("band", ["D", "E", "F", "G"])
def test_low_income_and_epc_band_d_to_g_is_likely_fuel_poor(band):
    result = assess_fuel_poverty(
        check(
            epc_band=band, income_after_housing_costs=14_000, required_energy_costs=2_400, poverty_line=13_000
        )
    )
    assert (result.likely_fuel_poor, result.low_energy_efficiency, result.low_income) == (True, True, True)
    assert (
        "Residual income £11,600 (income after housing costs £14,000 − required energy costs £2,400) is "
        "below the poverty line £13,000." in result.reasons
    )
    assert "LILEE" in result.source


@pytest.mark.parametrize("band", ["A", "B", "C"])
def test_band_a_to_c_is_not_fuel_poor_whatever_the_income(band):
    result = assess_fuel_poverty(check(epc_band=band, receives_means_tested_benefit=True))
    assert result.likely_fuel_poor is False
    assert result.reasons[0] == f"EPC band {band} is A–C: not low energy efficiency, so not fuel poor."


def test_income_above_the_poverty_line_after_energy_costs_is_not_fuel_poor():
    result = assess_fuel_poverty(
        check(
            epc_band="F", income_after_housing_costs=20_000, required_energy_costs=3_000, poverty_line=16_000
        )
    )
    assert result.likely_fuel_poor is False and result.low_income is False


def test_a_means_tested_benefit_is_used_as_a_named_proxy_for_low_income():
    result = assess_fuel_poverty(check(epc_band="E", receives_means_tested_benefit=True))
    assert result.likely_fuel_poor is True
    assert "a proxy, not the residual-income test" in result.reasons[1]


def test_the_recorded_income_band_stands_in_for_the_figures_and_comes_before_the_benefit_proxy():
    below = assess_fuel_poverty(check(epc_band="D", residual_income_below_poverty_line=True))
    assert (below.likely_fuel_poor, below.low_income) == (True, True)
    assert below.reasons[1].startswith("Income band as recorded: residual income")
    above = check(epc_band="G", residual_income_below_poverty_line=False, receives_means_tested_benefit=True)
    assert assess_fuel_poverty(above).likely_fuel_poor is False
    figures = check(
        epc_band="E",
        residual_income_below_poverty_line=False,
        income_after_housing_costs=14_000,
        required_energy_costs=2_400,
        poverty_line=13_000,
    )
    assert assess_fuel_poverty(figures).likely_fuel_poor is True  # the residual-income figures come first


def test_not_enough_to_say_is_none_not_a_guess():
    assert assess_fuel_poverty(check(epc_band="E")).likely_fuel_poor is None
    assert assess_fuel_poverty(check(receives_means_tested_benefit=True)).likely_fuel_poor is None


def test_a_scheme_checks_each_rule_with_its_reason():
    scheme = load_scheme(SCHEME)
    eligible = check_eligibility(
        scheme, check(epc_band="E", tenure="owner_occupier", annual_household_income=24_000)
    )
    assert eligible.eligible is True and eligible.in_force
    assert (
        eligible.reasons[0]
        == "This scheme is marked illustrative: it is an example, not a real scheme's rules."
    )
    assert "Met: epc_band is one of D, E, F, G (recorded: E)." in eligible.reasons
    assert "Met: annual_household_income is at most 31000 (recorded: 24000.0)." in eligible.reasons

    social = check_eligibility(
        scheme, check(epc_band="E", tenure="social_tenant", receives_means_tested_benefit=True)
    )
    assert social.eligible is False
    assert (
        "Not met: tenure is one of owner_occupier, private_tenant (recorded: social_tenant)."
        in social.reasons
    )


def test_the_nested_rule_and_missing_facts():
    scheme = load_scheme(SCHEME)
    older = check(
        epc_band="G",
        tenure="private_tenant",
        receives_means_tested_benefit=False,
        annual_household_income=40_000,
        oldest_occupant_age=81,
        health_condition_worsened_by_cold=True,
    )
    assert check_eligibility(scheme, older).eligible is True
    unknown = check_eligibility(scheme, check(epc_band="G", tenure="private_tenant"))
    assert unknown.eligible is None
    assert unknown.missing_facts == [
        "annual_household_income",
        "health_condition_worsened_by_cold",
        "oldest_occupant_age",
        "receives_means_tested_benefit",
    ]


def test_a_scheme_outside_its_dates_is_not_in_force():
    scheme = load_scheme(SCHEME)
    late = WarmHomesCheck(
        check_date=dt.date(2026, 4, 1),
        epc_band="E",
        tenure="owner_occupier",
        receives_means_tested_benefit=True,
    )
    result = check_eligibility(scheme, late)
    assert (result.in_force, result.eligible) == (False, False)
    assert "Not in force on 1 Apr 2026 (runs from 1 Apr 2025 to 31 Mar 2026)." in result.reasons


def test_a_bad_scheme_is_refused_by_path():
    base = {"format": "homeward-grant-scheme/1", "name": "X", "source": "Y", "valid_from": "2025-04-01"}
    with pytest.raises(HealthyHomesInputError) as caught:
        parse_scheme({**base, "rules": [{"fact": "epc_band", "in": ["D"], "equals": "E"}]})
    assert [str(i) for i in caught.value.issues][0].startswith("rules[0]")
    assert "give exactly one of equals, in, at_most, at_least" in str(caught.value)
    with pytest.raises(HealthyHomesInputError, match="rules: List should have at least 1 item"):
        parse_scheme({**base, "rules": []})
    with pytest.raises(HealthyHomesInputError, match="valid_to: is before valid_from"):
        parse_scheme(
            {**base, "valid_to": "2025-01-01", "rules": [{"fact": "tenure", "equals": "owner_occupier"}]}
        )
