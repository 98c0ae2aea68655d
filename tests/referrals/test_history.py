"""The referral history: everything sent or received, newest first, paged by cursors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.roles import Role
from homeward.governance.models import AgreementStatus
from homeward.referrals.models import Referral
from homeward.referrals.selectors import history
from homeward.referrals.services import send_referral
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


def test_history_pages_through_sent_and_received_newest_first_and_only_while_shared():
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    agreement = AgreementFactory(parties=[ours, theirs])
    me, them = make_actor(Role.CASEWORKER, ours), make_actor(Role.CASEWORKER, theirs)
    made = []
    for n in range(65):
        sender, receiver = (me, theirs) if n % 2 else (them, ours)
        person = PersonFactory(organisation=sender.organisation)
        made.append(
            send_referral(
                actor=sender,
                person_id=person.pk,
                to_organisation_id=receiver.pk,
                service_kind="other",
                reason="Help",
            )
        )
    start = timezone.now() - dt.timedelta(days=100)
    for n, referral in enumerate(made):  # one a day, and two at the very same moment
        Referral.objects.filter(pk=referral.pk).update(requested_at=start + dt.timedelta(days=n // 2 * 2))
    seen, cursor, pages = [], None, 0
    while True:
        page = history(me, cursor)
        seen += page.object_list
        pages += 1
        if not page.older:
            break
        cursor = page.older
    assert pages == 2 and len(seen) == 65 == len({r.pk for r in seen})
    assert seen == sorted(seen, key=lambda r: (r.requested_at, r.pk), reverse=True)
    assert history(me, "not a cursor").is_first
    agreement.status = AgreementStatus.SUSPENDED
    agreement.save()
    shown = history(me).object_list
    assert shown and all(r.from_organisation_id == ours.pk for r in shown)
    assert history(make_actor(Role.ANALYST, ours)).object_list == []
