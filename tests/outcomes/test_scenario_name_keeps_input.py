"""A refused scenario name shows the business case page again (400) with the error summary naming the
field and the name as typed; it used to redirect with a flashed message and lose it."""

from __future__ import annotations

import pytest

from homeward.outcomes.models import BusinessCase
from tests.outcomes.test_business_cases import _create, _history
from tests.outcomes.test_simulator import service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_scenario_name_too_long_is_kept_as_typed(client, service):  # noqa: F811
    _history(service)
    case = _create(service["lead"])
    client.force_login(service["lead"].user)
    typed = "Two more housing officers " + "x" * 160
    response = client.post(f"/outcomes/business-cases/{case.pk}/scenario/", {"name": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#id_name"' in page
    assert f'value="{typed}"' in page
    assert BusinessCase.objects.filter(parent=case).count() == 0

    blank = client.post(f"/outcomes/business-cases/{case.pk}/scenario/", {"name": "  "})
    assert blank.status_code == 400 and "Scenario name: This field is required" in blank.content.decode()

    done = client.post(f"/outcomes/business-cases/{case.pk}/scenario/", {"name": "Two more officers"})
    scenario = BusinessCase.objects.get(parent=case)
    assert done.status_code == 302 and done["Location"] == f"/outcomes/business-cases/{scenario.pk}/"
