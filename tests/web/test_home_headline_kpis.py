"""The home page of a commissioner: headline KPIs against the baseline, saying that no target is set."""

from __future__ import annotations

import pytest

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.discharge.models import DischargeCase
from tests.factories import AgreementFactory, OrganisationFactory, make_actor
from tests.outcomes.test_simulator import _cases, service  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner(service):  # noqa: F811
    icb = OrganisationFactory(name="Northgate Integrated Care Board", kind=OrganisationKind.ICB)
    AgreementFactory(parties=[icb, service["trust"]])
    return make_actor(Role.COMMISSIONER, icb)


def test_a_commissioner_starts_from_headline_kpis_with_no_invented_target(client, service, commissioner):  # noqa: F811
    _cases(service, 40)
    assert DischargeCase.objects.count() == 40
    client.force_login(commissioner.user)
    response = client.get("/")
    page = response.content.decode()
    headlines = response.context["headlines"]
    assert {h.key for h in headlines} == {"bed_days_lost", "discharged_on_drd", "readmitted_30d"}
    assert "Headline KPIs" in page
    assert "Homeward holds no targets for these KPIs" in page
    assert "target:" not in page.lower()
    for h in headlines:
        assert h.label in page and h.change in page
        assert f"No figure for {h.month}; no baseline." in page  # the fixture discharges no one
        assert f'href="/outcomes/kpis/#kpi-{h.key}"' in page
        assert h.verdict in ("better", "worse", "no clear change", "not enough data")
    assert (
        "The latest month is incomplete until 30 days have passed." in page
    )  # the KPI's caveat goes with it
    assert "None" not in page
    # A commissioner sees no records: no search box that could only come back empty.
    assert "Find a person" not in page


def test_the_kpi_a_headline_links_to_is_on_the_kpi_page(client, service, commissioner):  # noqa: F811
    _cases(service, 10)
    client.force_login(commissioner.user)
    home = client.get("/")
    kpis = client.get("/outcomes/kpis/").content.decode()
    for h in home.context["headlines"]:
        assert f'id="kpi-{h.key}"' in kpis


def test_staff_who_work_cases_see_what_needs_them_not_the_headlines(client, service):  # noqa: F811
    _cases(service, 5)
    for actor in (service["lead"], make_actor(Role.CASEWORKER, service["homes"])):
        client.force_login(actor.user)
        response = client.get("/")
        assert response.context["headlines"] == []
        assert "Headline KPIs" not in response.content.decode()
