"""Withdrawing consent on the person page: a refused reason is shown again as typed, never lost."""

from __future__ import annotations

import pytest

from homeward.core.roles import Role
from homeward.governance import services
from tests.factories import OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent():
    trust = OrganisationFactory()
    worker = make_actor(Role.CASEWORKER, trust)
    person = PersonFactory(organisation=trust)
    given = services.record_consent(
        actor=worker, person_id=person.pk, purpose="share_with_housing", status="given", lawful_basis="6.1.a"
    )
    return worker, person, given


def test_a_refused_reason_is_kept_at_its_consent_with_the_error_summary(client, consent):
    worker, person, given = consent
    client.force_login(worker.user)
    url = f"/people/{person.pk}/consent/{given.pk}/withdraw/"
    typed = "Does not want the council involved\x01"  # a control character pasted in
    response = client.post(url, {"reason": typed})
    page = response.content.decode()
    assert response.status_code == 400
    given.refresh_from_db()
    assert given.status == "given"
    assert "There is a problem" in page
    assert f'<a href="#reason-{given.pk}">' in page and "control characters" in page
    assert f'id="reason-{given.pk}-error"' in page
    assert "Does not want the council involved" in page
    assert "Say why consent was withdrawn" not in page  # the old message blamed an empty box

    response = client.post(url, {"reason": "x" * 2001})
    assert response.status_code == 400 and "x" * 2001 in response.content.decode()


def test_an_empty_reason_asks_for_one_and_a_good_one_withdraws(client, consent):
    worker, person, given = consent
    client.force_login(worker.user)
    url = f"/people/{person.pk}/consent/{given.pk}/withdraw/"
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Does not want the council involved"})
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.status == "withdrawn" and given.withdrawal_reason == "Does not want the council involved"
