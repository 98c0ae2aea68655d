"""The KPI CSV's rows mean what the page says: the months as in each table, the baseline as the headline,
the chart and the table show it (a count per month, over the months named, not a three-month total), and
the headline's change with its 95% interval and verdict."""

from __future__ import annotations

import csv
import io

import pytest

from homeward.casework.headlines import _amount
from tests.outcomes.test_simulator import _cases, service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _close(text: str, figure: float | None) -> bool:
    return (text == "" and figure is None) or (figure is not None and abs(float(text) - figure) < 1e-9)


def test_the_csv_figures_are_the_pages_figures(client, service):  # noqa: F811
    _cases(service, 120)  # admitted 10 to 367 days ago: the baseline months have referrals too
    client.force_login(service["lead"].user)
    response = client.get("/outcomes/kpis/")
    page = response.content.decode()
    cards = {card.kpi.label: card for _, section in response.context["sections"] for card in section}
    rows = list(csv.DictReader(io.StringIO(client.get("/outcomes/kpis.csv").content.decode())))
    assert {r["row"] for r in rows} == {"month", "baseline", "change"}

    for label, card in cards.items():
        mine = [r for r in rows if r["kpi"] == label]
        months = [r for r in mine if r["row"] == "month"]
        assert [r["months"] for r in months] == [p.month for p in card.kpi.points]
        assert all(_close(r["value"], p.value) for r, p in zip(months, card.kpi.points, strict=True))
        (change,) = [r for r in mine if r["row"] == "change"]
        assert change["verdict"] == card.headline.verdict
        assert _close(change["ci95_low"], card.headline.low) and _close(
            change["ci95_high"], card.headline.high
        )
        baseline = [r for r in mine if r["row"] == "baseline"]
        if card.baseline is None:
            assert not baseline
            continue
        (base,) = baseline
        assert base["months"] == card.baseline_period and card.baseline_period in page
        assert _close(base["value"], card.baseline.value)
        if card.baseline.value is not None:  # the headline's "baseline 13.3 a month" is the CSV's figure
            assert card.headline.baseline == _amount(card.kpi, float(base["value"]), monthly=True)

    referrals = cards["Referrals"]
    total = referrals.kpi.baseline.value  # three months' referrals
    (base,) = [r for r in rows if r["kpi"] == "Referrals" and r["row"] == "baseline"]
    assert total and abs(float(base["value"]) - total / 3) < 1e-9  # per month, as the page says
    assert f"Baseline, a month ({referrals.baseline_period})" in page
