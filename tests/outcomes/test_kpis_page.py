"""KPIs from casework: Hospital to Home, referrals and prevention by month, on a page and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from homeward.casework.kpis import months_back
from homeward.core.roles import Role
from homeward.discharge.kpis import hospital_to_home_kpis
from tests.factories import make_actor
from tests.outcomes.test_simulator import _cases, service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_monthly_referrals_add_up_to_the_cases_in_the_window(service):  # noqa: F811
    _cases(service, 40)  # admitted 10 to 127 days ago, one every 3 days
    kpis = {k.key: k for k in hospital_to_home_kpis(service["lead"], months_back(timezone.localdate()))}
    referrals = kpis["referrals"]
    assert len(referrals.points) == 12
    assert sum(p.value for p in referrals.points) == 40
    assert all(p.low <= p.value <= p.high for p in referrals.points if p.value)
    assert referrals.baseline is not None and referrals.baseline.month == "baseline"
    # No case is discharged in the fixture: the discharge-based KPIs have nothing to count, and say so.
    assert all(p.value is None and p.n == 0 for p in kpis["days_to_discharge"].points)


def test_the_page_and_csv_show_every_provider(client, service):  # noqa: F811
    _cases(service, 25)
    client.force_login(service["lead"].user)
    page = client.get("/outcomes/kpis/").content.decode()
    for heading in ("Hospital to Home", "Onward referrals", "Prevention", "Baseline"):
        assert heading in page
    rows = list(csv.DictReader(io.StringIO(client.get("/outcomes/kpis.csv").content.decode())))
    referrals = [r for r in rows if r["kpi"] == "Referrals" and r["row"] == "month"]
    assert sum(float(r["value"]) for r in referrals) == 25
    admin = make_actor(Role.ADMIN, service["homes"])
    client.force_login(admin.user)
    assert client.get("/outcomes/kpis/").status_code == 404


def test_each_kpi_has_a_headline_in_words_a_chart_and_its_table_on_demand(client, service):  # noqa: F811
    _cases(service, 40)
    client.force_login(service["lead"].user)
    response = client.get("/outcomes/kpis/")
    page = response.content.decode()
    specs = response.context["specs"]
    cards = [card for _, section in response.context["sections"] for card in section]
    assert len(cards) >= 8 and set(specs) == {card.chart for card in cards if card.charted}
    assert referrals_charted(cards) and not all(card.charted for card in cards)  # nothing discharged
    last_full = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%B %Y")
    referrals = next(card for card in cards if card.kpi.key == "referrals")
    assert f"in {last_full}; baseline" in page
    assert referrals.headline.baseline.endswith(" a month")  # a count's baseline is per month
    assert "95% interval: " in referrals.headline.change
    for card in cards:
        assert (f'id="chart-{card.chart}"' in page) == card.charted
        assert card.headline.change in page
    assert page.count('<details class="nhsuk-details">') == len(cards)  # each table on demand
    assert "None" not in page.replace("is None", "")
    # The chart's band is the 95% interval; a count's interval never goes below zero.
    for card in cards:
        if not card.charted:
            continue
        rows = specs[card.chart]["data"]["values"]
        assert rows and {"month", "value", "low", "high"} <= set(rows[0])
        if card.kpi.unit in ("count", "days"):
            assert all(row["low"] >= 0 for row in rows)


def referrals_charted(cards) -> bool:
    return next(card for card in cards if card.kpi.key == "referrals").charted
