"""A tenancy-trigger alert's decision can open a people and place case (housing app), through the housing
service: linked both ways (alert page and case page, both timelines), only by staff of the organisation
holding the alert, audited, and never twice for one alert."""

from __future__ import annotations

import pytest
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from homeward.housing.models import PeoplePlaceCase
from homeward.housing.services import open_people_place_case
from homeward.people.timeline import timeline_for
from homeward.prevention import services
from homeward.prevention.models import RiskAlert, RiskRun
from tests.factories import OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


def _alert(name: str = "Riverside Homes") -> tuple[RiskAlert, object]:
    homes = OrganisationFactory(name=name, kind=OrganisationKind.HOUSING_PROVIDER)
    officer = make_actor(Role.CASEWORKER, homes)
    run = RiskRun.objects.create(
        organisation=homes,
        ran_at=timezone.now(),
        as_of=timezone.localdate(),
        mode="rules",
        threshold=50,
        tenancies=1,
        alerts_raised=1,
    )
    alert = RiskAlert.objects.create(
        organisation=homes,
        run=run,
        tenancy_ref="T-0001",
        person=PersonFactory(organisation=homes),
        raised_on=timezone.localdate(),
        score=72,
        reasons=["Three missed visits in 90 days"],
    )
    return alert, officer


def _open(alert, officer, **extra):
    return services.decide_alert(
        actor=officer,
        alert_id=alert.pk,
        decision="people_place",
        note="Rent arrears and missed GP appointments",
        help=["money_advice", "gp_visit"],
        **extra,
    )


def test_the_decision_opens_a_people_and_place_case_linked_to_the_alert():
    alert, officer = _alert()
    _open(alert, officer)
    case = PeoplePlaceCase.objects.get()
    assert (case.person_id, case.organisation_id) == (alert.person_id, alert.organisation_id)
    assert (case.source_type, case.source_id) == ("prevention.alert", alert.pk)
    assert case.help == ["gp_visit", "money_advice"] and case.opened_by == officer.user
    alert.refresh_from_db()
    assert alert.decision == "people_place" and alert.decided_on == timezone.localdate()
    assert (
        AuditEvent.objects.filter(purpose="Open a people and place case", person_id=alert.person_id).count()
        == 1
    )
    assert AuditEvent.objects.filter(purpose="Decide a tenancy-trigger alert").count() == 1


def test_without_the_help_needed_the_error_names_help_and_nothing_is_written(client):
    alert, officer = _alert()
    with pytest.raises(ValidationFailed) as refused:
        services.decide_alert(actor=officer, alert_id=alert.pk, decision="people_place", help=[])
    assert "help" in refused.value.errors
    client.force_login(officer.user)
    page = client.post(f"/prevention/alerts/{alert.pk}/decide/", {"decision": "people_place"})
    assert page.status_code == 400 and 'href="#id_help"' in page.content.decode()
    unknown = client.post(
        f"/prevention/alerts/{alert.pk}/decide/", {"decision": "people_place", "help": ["x"]}
    )
    assert unknown.status_code == 400
    alert.refresh_from_db()
    assert alert.decided_on is None and not PeoplePlaceCase.objects.exists()


def test_another_organisation_cannot_open_a_case_from_the_alert(client):
    alert, _officer = _alert()
    _other_alert, stranger = _alert("Hilltop Housing")
    with pytest.raises(NotFound):
        _open(alert, stranger)
    client.force_login(stranger.user)
    response = client.post(
        f"/prevention/alerts/{alert.pk}/decide/", {"decision": "people_place", "help": ["gp_visit"]}
    )
    assert response.status_code == 404
    # Nor open one for the alert's tenant through the housing service.
    with pytest.raises(NotFound):
        open_people_place_case(actor=stranger, person_id=alert.person_id, help=["gp_visit"])
    alert.refresh_from_db()
    assert alert.decided_on is None and not PeoplePlaceCase.objects.exists()


def test_the_link_is_shown_both_ways_and_on_both_timelines(client):
    alert, officer = _alert()
    client.force_login(officer.user)
    done = client.post(
        f"/prevention/alerts/{alert.pk}/decide/",
        {"decision": "people_place", "help": ["tenancy_sustainment"], "note": "Arrears"},
    )
    assert done.status_code == 302
    case = PeoplePlaceCase.objects.get()
    alert_page = client.get(f"/prevention/alerts/{alert.pk}/").content.decode()
    assert f'href="/housing/people-place/{case.pk}/"' in alert_page and case.reference in alert_page
    case_page = client.get(f"/housing/people-place/{case.pk}/")
    assert case_page.status_code == 200
    text = case_page.content.decode()
    assert f'href="/prevention/alerts/{alert.pk}/"' in text and "Tenancy sustainment" in text
    assert (
        AuditEvent.objects.filter(purpose="View a people and place case", person_id=alert.person_id).count()
        == 1
    )
    titles = [(e.title, e.url) for e in timeline_for(officer, alert.person)]
    assert (
        f"{case.reference}: people and place case opened from a tenancy-trigger alert",
        f"/housing/people-place/{case.pk}/",
    ) in titles
    assert (
        "Tenancy-trigger alert decided: people and place case opened",
        f"/housing/people-place/{case.pk}/",
    ) in titles


def test_the_case_page_is_not_shown_to_another_organisation(client):
    alert, officer = _alert()
    _open(alert, officer)
    _other, stranger = _alert("Hilltop Housing")
    client.force_login(stranger.user)
    assert client.get(f"/housing/people-place/{PeoplePlaceCase.objects.get().pk}/").status_code == 404


def test_one_alert_never_opens_two_cases():
    alert, officer = _alert()
    _open(alert, officer)
    with pytest.raises(ValidationFailed) as again:
        _open(alert, officer)
    assert "decision" in again.value.errors
    # The housing service refuses a second case from the same source too (and the database would).
    with pytest.raises(ValidationFailed) as direct:
        open_people_place_case(
            actor=officer,
            person_id=alert.person_id,
            help=["gp_visit"],
            source_type="prevention.alert",
            source_id=alert.pk,
        )
    assert "source_id" in direct.value.errors
    assert PeoplePlaceCase.objects.count() == 1
