"""A refused claim review shows the contract page again (400) with the error summary naming the note and
the decision and note as typed at that claim; it used to redirect and lose them. Nothing is written."""

from __future__ import annotations

import pytest

from homeward.contracts.models import Claim
from tests.contracts.test_contracts import _improved, world  # noqa: F401  (fixture)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_rejection_without_a_reason_keeps_the_decision_and_what_was_typed(world, client):  # noqa: F811
    _improved(world, 14, 21, person=PersonFactory(organisation=world["links"]))
    contract = world["contract"]
    client.force_login(world["lead"].user)
    client.post(f"/contracts/{contract.pk}/claims/")
    claim = Claim.objects.get()
    client.force_login(world["commissioner"].user)
    url = f"/contracts/{contract.pk}/claims/{claim.pk}/review/?status=submitted"

    response = client.post(url, {"decision": "rejected", "note": "   "})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and f'href="#note-{claim.pk}"' in page
    assert "Say why the claim is rejected" in page
    assert '<option value="rejected" selected>' in page  # the decision as chosen
    claim.refresh_from_db()
    assert claim.status == "submitted" and claim.review_note == ""

    too_long = "Evidence form unsigned " + "x" * 500
    response = client.post(url, {"decision": "rejected", "note": too_long})
    assert response.status_code == 400 and f'value="{too_long}"' in response.content.decode()
    assert Claim.objects.get().status == "submitted"

    done = client.post(url, {"decision": "rejected", "note": "Evidence form unsigned"})
    assert done.status_code == 302 and done["Location"].endswith("?status=submitted#claims")
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.review_note == "Evidence form unsigned"
