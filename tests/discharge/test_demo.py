"""The demo has Hospital to Home cases the housing officer can work, in many statuses, all valid."""

from __future__ import annotations

import pytest

from homeward.core.models import Membership
from homeward.demo import seed_demo
from homeward.discharge import selectors
from homeward.discharge.models import DischargeCase
from homeward.governance.access import Actor

pytestmark = pytest.mark.django_db


def test_demo_cases_are_valid_varied_and_visible_to_the_housing_officer():
    seed_demo(people=120)
    cases = list(DischargeCase.objects.all())
    assert len(cases) >= 10
    assert len({c.status for c in cases}) >= 4
    for case in cases:
        case.full_clean()
        if case.discharged_on:
            assert case.discharge_ready_on is not None and case.discharged_on >= case.discharge_ready_on
    officer = Membership.objects.get(user__username="caseworker")
    visible = selectors.visible_cases(Actor(officer.user, officer))
    assert visible.count() == len(cases)


def test_the_demo_trust_has_long_stays_for_last_weeks_sitrep():
    """A discharge lead opening the demo's weekly sitrep sees patients delayed 14 and 21 days or more, not a
    page of zeros: most patients still waiting have waited weeks."""
    import datetime as dt

    from django.utils import timezone

    from homeward.discharge.sitrep import trust_sitrep

    seed_demo(people=120)
    trust = DischargeCase.objects.values_list("organisation_id", flat=True).first()
    today = timezone.localdate()
    week = today - dt.timedelta(days=today.weekday() + 7)  # last week's Monday
    report = trust_sitrep(organisation_id=trust, week=week)
    assert report.los_14_plus and report.los_14_plus >= 1
    assert report.los_21_plus and report.los_21_plus >= 1
