"""The unit costs the issue found missing, seeded from the GMCA Unit Cost Database v1.4 workbook and the
National Audit of Intermediate Care 2014, each with its code, price year, source and caveats."""

from __future__ import annotations

import pytest

from homeward.outcomes.models import UnitCost

pytestmark = pytest.mark.django_db

EXPECTED = {
    "gmca-ho3-homelessness-application": (2501, 2010, "HO3.0"),
    "gmca-ho1-complex-eviction": (6680, 2010, "HO1.0"),
    "gmca-ho6-rough-sleeper-year": (7900, 2010, "HO6.0"),
    "gmca-he14-mental-health-bed-day": (410, 2011, "HE14.0.1"),
    "naic-home-based-intermediate-care": (1045, 2013, "Intermediate Care"),
    "naic-reablement": (1722, 2013, "Intermediate Care"),
    "naic-bed-based-intermediate-care": (5549, 2013, "Intermediate Care"),
}


def test_each_missing_unit_cost_is_seeded_with_its_code_price_year_and_source():
    for key, (value, year, code) in EXPECTED.items():
        uc = UnitCost.objects.get(key=key)
        assert uc.seeded and uc.value == value and uc.price_year == year, key
        assert code in uc.source


def test_the_workbooks_caveats_travel_with_the_figures():
    eviction = UnitCost.objects.get(key="gmca-ho1-complex-eviction").source
    assert "economic, not fiscal" in eviction and "housing association" in eviction
    rough = UnitCost.objects.get(key="gmca-ho6-rough-sleeper-year").source
    assert "not the whole public cost" in rough
