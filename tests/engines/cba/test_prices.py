"""Re-basing to a price year with the shipped GDP deflator."""

from __future__ import annotations

import pytest

from homeward.engines.cba.prices import PriceYearError, gdp_deflator, parse_series, rebase


def test_the_shipped_series_is_indexed_to_2024_and_rises_over_the_long_run():
    series = gdp_deflator()
    assert series[2024] == 100
    assert min(series) <= 2010 and max(series) == 2024
    assert series[2000] < series[2010] < series[2020] < series[2024]


def test_rebasing_scales_by_the_ratio_of_indices_and_round_trips():
    series = {2016: 80.0, 2024: 100.0}
    assert rebase(148.0, 2016, 2024, series) == pytest.approx(185.0)
    assert rebase(rebase(148.0, 2016, 2024, series), 2024, 2016, series) == pytest.approx(148.0)
    assert rebase(148.0, 2016, 2016, series) == 148.0


def test_a_year_outside_the_series_is_refused_with_the_covered_range():
    with pytest.raises(PriceYearError, match=r"price year 1850 is outside the deflator series \(1990–2024\)"):
        rebase(100.0, 1850, 2024)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year,index\n2020,abc", "row 2: need a whole-number year and a numeric index"),
        ("year,index\n2020,0", "row 2: index must be above 0"),
        ("year,index\n2020,90\n2020,91", "row 3: year 2020 appears twice"),
        ("# only a comment", "the series has no rows"),
    ],
)
def test_a_bad_series_names_the_row(text, message):
    with pytest.raises(PriceYearError, match=message):
        parse_series(text)
