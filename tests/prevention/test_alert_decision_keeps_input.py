"""A refused decision on a tenancy-trigger alert shows the alert page again (400) with the error summary
naming the note and the decision and note as typed; it used to redirect and lose them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.prevention.models import RiskAlert, RiskRun
from tests.factories import OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


def _alert() -> tuple[RiskAlert, object]:
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
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


def test_a_false_alarm_without_a_note_keeps_the_choice_and_the_error_names_the_note(client):
    alert, officer = _alert()
    client.force_login(officer.user)
    response = client.post(f"/prevention/alerts/{alert.pk}/decide/", {"decision": "false_alarm", "note": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#id_note"' in page
    assert "Say why, so the rules can learn from it" in page
    assert 'value="false_alarm" checked' in page
    # Empty lists say what is empty (the crawl's rule: no bare "None" in page text).
    assert "No earlier alerts for this tenancy" in page and "No concerns raised" in page
    assert "<li>None</li>" not in page
    alert.refresh_from_db()
    assert alert.decided_on is None and alert.decision == ""

    typed = "Tenant in hospital; " + "x" * 500
    response = client.post(
        f"/prevention/alerts/{alert.pk}/decide/", {"decision": "false_alarm", "note": typed}
    )
    assert response.status_code == 400 and f'value="{typed}"' in response.content.decode()
    missing = client.post(f"/prevention/alerts/{alert.pk}/decide/", {"note": "No decision chosen"})
    assert missing.status_code == 400 and 'href="#id_decision"' in missing.content.decode()
    assert 'value="No decision chosen"' in missing.content.decode()

    done = client.post(
        f"/prevention/alerts/{alert.pk}/decide/", {"decision": "false_alarm", "note": "Tenant in hospital"}
    )
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.decision == "false_alarm" and alert.decision_note == "Tenant in hospital"
