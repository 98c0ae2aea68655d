"""Answering a referral: a refused move (a rejection whose reason is too long, a completion without an
outcome) shows the referral page again (400) with the error summary naming the field and what was typed
at that move's own form; it used to redirect with a flashed message and lose it. Nothing is written."""

from __future__ import annotations

import pytest

from homeward.referrals.models import Referral
from tests.referrals.test_referrals import _send, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_refused_rejection_keeps_the_reason_at_its_own_button(client, world):  # noqa: F811
    referral = _send(world)
    client.force_login(world["adviser"].user)
    typed = "We only take referrals for Oldham & Rochdale " + "x" * 500
    response = client.post(f"/referrals/{referral.pk}/move/", {"to_status": "rejected", "reason": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#reason-rejected"' in page
    kept = 'value="We only take referrals for Oldham &amp; Rochdale'
    assert f'id="reason-rejected" name="reason" maxlength="500" {kept}' in page
    assert page.count('value="We only take referrals') == 1  # at the rejection only, not the other moves
    assert Referral.objects.get(pk=referral.pk).status == "requested"


def test_a_completion_without_an_outcome_keeps_the_note(client, world):  # noqa: F811
    referral = _send(world)
    client.force_login(world["adviser"].user)
    client.post(f"/referrals/{referral.pk}/move/", {"to_status": "accepted"})
    response = client.post(
        f"/referrals/{referral.pk}/move/", {"to_status": "completed", "outcome_note": "Payment plan agreed"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#outcome-completed"' in page and "Choose what came of the referral" in page
    assert 'value="Payment plan agreed"' in page
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    done = client.post(
        f"/referrals/{referral.pk}/move/",
        {"to_status": "completed", "outcome": "partly_met", "outcome_note": "Payment plan agreed"},
    )
    assert done.status_code == 302 and Referral.objects.get(pk=referral.pk).status == "completed"
