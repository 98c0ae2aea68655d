"""Words and numbers a manager can trust: What if? shares as percentages with a plain-English summary of
what changed, and KPI intervals that a count or a duration cannot go below zero."""

from __future__ import annotations

import pytest

from homeward.casework.kpis import mean_point
from homeward.outcomes import simulation
from homeward.outcomes.forms import ScenarioForm
from tests.outcomes.test_simulator import _form, service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _run(actor, **overrides):
    form = ScenarioForm(_form(**overrides))
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    return simulation.simulate(
        actor=actor,
        name=data["name"],
        scenario=form.scenario(),
        replications=data["replications"],
        seed=data["seed"],
    )


def test_what_if_shows_shares_as_percentages_and_says_what_changed(client, service):  # noqa: F811
    base = _run(service["lead"], replications=20)
    other = _run(service["lead"], name="Two more officers", officers=3, replications=20)
    client.force_login(service["lead"].user)
    result = client.get(f"/outcomes/simulate/{base.pk}/").content.decode()
    utilisation = base.summary["officer_utilisation"]["mean"]
    assert f"{utilisation * 100:.1f}".rstrip("0").rstrip(".") + "%" in result
    assert f">{utilisation:.3f}<" not in result
    page = client.get(f"/outcomes/simulate/compare/?base={base.pk}&other={other.pk}").content.decode()
    assert "What changed" in page and "bed-days a year compared with Baseline" in page
    assert "With Two more officers, housing officer utilisation falls from" in page
    assert " points (" in page


def test_a_mean_of_durations_has_no_interval_below_zero():
    point = mean_point("2026-01", [0.0, 0.0, 0.0, 0.0, 9.0], non_negative=True)
    assert point.low == 0.0 and point.high > point.value > 0
    # a change in a score can be negative, even when every change seen so far was a gain
    change = mean_point("2026-01", [0.0, 0.0, 0.0, 0.0, 9.0])
    assert change.low is not None and change.low < 0
