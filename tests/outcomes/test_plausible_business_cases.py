"""Business cases a manager can trust: absurd values are refused naming the field, the wording follows the
figures (rose vs fell), the discount rate is shown as 3.5% and numbers are shown for people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from homeward.core.errors import ValidationFailed
from homeward.outcomes import business_case as bc
from homeward.outcomes.report import tornado_label
from tests.outcomes.test_business_cases import _create, _history
from tests.outcomes.test_simulator import service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"annual_cost": 1e308}, "annual_cost"),
        ({"annual_cost": float("inf")}, "annual_cost"),
        ({"cost_optimism_bias": 5.0}, "cost_optimism_bias"),
        ({"period_end": dt.date.today() + dt.timedelta(days=30)}, "period_end"),
        ({"name": "x" * 200}, "name"),
    ],
)
def test_absurd_values_are_refused_naming_the_field(service, changes, field):  # noqa: F811
    with pytest.raises(ValidationFailed) as refused:
        _create(service["lead"], **changes)
    assert field in refused.value.errors


@pytest.mark.parametrize(
    ("path", "value"),
    [("costs[0].amount", "1e308"), ("costs[0].amount", "1e999"), ("costs[0].optimism_bias", "5")],
)
def test_an_absurd_assumption_change_is_refused_and_nothing_is_written(service, path, value):  # noqa: F811
    _history(service)
    case = _create(service["lead"])
    with pytest.raises(ValidationFailed) as refused:
        bc.change_assumption(service["lead"], case, path, value, "Trying it")
    assert "value" in refused.value.errors
    case.refresh_from_db()
    assert not case.changes.exists()


def test_a_very_long_reason_is_refused(service):  # noqa: F811
    _history(service)
    case = _create(service["lead"])
    with pytest.raises(ValidationFailed) as refused:
        bc.change_assumption(service["lead"], case, "outcomes[1].deadweight", "0.2", "x" * 10_000)
    assert "reason" in refused.value.errors


def test_the_page_says_discounted_at_3_5_percent_and_labels_each_years_cost(client, service):  # noqa: F811
    _history(service)
    case = _create(service["lead"])
    client.force_login(service["lead"].user)
    page = client.get(f"/outcomes/business-cases/{case.pk}/").content.decode()
    assert "discounted at 3.5% a year" in page and "discounted at 4%" not in page
    assert "Service cost (year 0): amount" in page and "Service cost (year 2): amount" in page


def test_with_no_baseline_the_wording_says_rose_not_fell(service):  # noqa: F811
    from tests.outcomes.test_business_cases import END, START, _discharge

    for i in range(20):
        _discharge(service, START + dt.timedelta(days=1 + i * 3), 5.0)
    case = _create(service["lead"], period_start=START, period_end=END)
    text = case.evidence["outcomes[0].unit_value"]["text"]
    assert "rose from 0.00" in text and "fell from" not in text
    readmissions = case.evidence["outcomes[1].success_rate"]["text"]
    assert "a fall of 0.0%" not in readmissions and "no baseline" in readmissions


def test_numbers_are_shown_for_people():
    rendered = Template(
        "{% load money %}{{ a|quantity }} {{ b|quantity }} {{ c|quantity }} {{ d|percent }} {{ e|percent }}"
    ).render(Context({"a": 476.9043, "b": 1e308, "c": 0.035, "d": 0.035, "e": 0.1}))
    assert rendered == "476.9 out of range 0.035 3.5% 10%"


def test_sensitivity_labels_stay_distinct_when_cut_short():
    name = "Homelessness at discharge prevented (rehoused at discharge)"
    labels = {tornado_label(f"{name}: {what}") for what in ("success rate", "deadweight", "unit value")}
    assert len(labels) == 3 and all(label.startswith(("Success", "Deadweight", "Unit")) for label in labels)


@pytest.mark.parametrize(
    ("changes", "field"), [({"warmup_days": 200}, "warmup_days"), ({"horizon_days": 100_000}, "horizon_days")]
)
def test_a_warm_up_as_long_as_the_period_or_an_endless_period_is_refused(client, service, changes, field):  # noqa: F811
    from homeward.outcomes.models import SimulationRun
    from tests.outcomes.test_simulator import _form

    client.force_login(service["lead"].user)
    response = client.post("/outcomes/simulate/", _form(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not SimulationRun.objects.exists()
