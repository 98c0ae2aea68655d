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


def _referrals(sender, receiver, count: int, start: dt.datetime) -> list[Referral]:
    """`count` referrals from `sender` to `receiver`, a day apart from `start` (the first is the newest)."""
    made = []
    for n in range(count):
        person = PersonFactory(organisation=sender.organisation)
        referral = send_referral(
            actor=sender,
            person_id=person.pk,
            to_organisation_id=receiver.pk,
            service_kind="other",
            reason="Help",
        )
        Referral.objects.filter(pk=referral.pk).update(requested_at=start - dt.timedelta(days=n))
        made.append(referral)
    return made


def test_history_of_one_side_skips_referrals_no_longer_shared_however_many_come_first():
    """A partner's agreement is suspended: its 60 newest referrals to us are hidden, and the page fills
    with the older ones from a partner still sharing, found past a whole batch of hidden ones."""
    ours, suspended, sharing = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    gone = AgreementFactory(parties=[ours, suspended])
    AgreementFactory(parties=[ours, sharing])
    me = make_actor(Role.CASEWORKER, ours)
    now = timezone.now()
    hidden = _referrals(make_actor(Role.CASEWORKER, suspended), ours, 60, now)
    shown = _referrals(make_actor(Role.CASEWORKER, sharing), ours, 5, now - dt.timedelta(days=100))
    sent = _referrals(me, sharing, 3, now)
    gone.status = AgreementStatus.SUSPENDED
    gone.save()

    incoming = history(me, box="incoming")
    assert [r.pk for r in incoming.object_list] == [r.pk for r in shown] and not incoming.older
    assert [r.pk for r in history(me, box="outgoing").object_list] == [r.pk for r in sent]
    everything = history(me).object_list
    assert {r.pk for r in everything} == {r.pk for r in shown + sent}
    assert not {r.pk for r in everything} & {r.pk for r in hidden}


def test_worklist_pages_count_open_referrals_and_page_history_by_older_links(client):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    AgreementFactory(parties=[ours, theirs])
    me, them = make_actor(Role.CASEWORKER, ours), make_actor(Role.CASEWORKER, theirs)
    received = _referrals(them, ours, 53, timezone.now())
    Referral.objects.filter(pk=received[0].pk).update(urgency="urgent")
    Referral.objects.filter(pk__in=[r.pk for r in received[50:]]).update(status="completed")
    _referrals(me, theirs, 2, timezone.now())
    client.force_login(me.user)

    body = client.get("/referrals/?box=incoming&show=open").content.decode()
    assert "50 referrals" in body and "Page 1 of 1" not in body
    first_row = body.index('href="/referrals/', body.index("<tbody"))
    assert body.startswith(f'href="/referrals/{received[0].pk}/"', first_row)  # urgent first
    assert body.index(f"/referrals/{received[49].pk}/") < body.index(f"/referrals/{received[1].pk}/")

    body = client.get("/referrals/?box=incoming&show=all").content.decode()
    assert "Everything sent to us, newest first" in body and body.count('href="/referrals/') >= 50
    older = body.split("before=")[1].split('"')[0].replace("&amp;", "&")
    assert older and "box=incoming" in body.split("before=")[0].rsplit("<a", 1)[1]
    body = client.get(f"/referrals/?box=incoming&show=all&before={older}").content.decode()
    listed = [r.pk for r in received if f'href="/referrals/{r.pk}/"' in body]
    assert listed == [r.pk for r in received[50:]] and "Older" not in body and "Newest" in body


def test_worklist_rows_show_uk_dates_flags_and_escape_what_people_typed():
    from homeward.referrals.templatetags.referral_rows import referral_rows

    ours, theirs = OrganisationFactory(name="Riverside & Co"), OrganisationFactory()
    AgreementFactory(parties=[ours, theirs])
    me = make_actor(Role.CASEWORKER, ours)
    (referral,) = _referrals(me, theirs, 1, timezone.now())
    referral.person.family_name, referral.person.given_name = "<script>O'Neil", "Ann"
    referral.person.save()
    late = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 July in London (BST)
    Referral.objects.filter(pk=referral.pk).update(requested_at=late, urgency="urgent")
    row = str(referral_rows(history(me).object_list))
    assert "&lt;SCRIPT&gt;O&#x27;NEIL, Ann" in row and "<script>" not in row.lower()
    assert "1 Jul 2026" in row and "Riverside &amp; Co" in row
    assert "Urgent" in row and "Answer overdue" in row and 'nhsuk-tag--blue">Requested<' in row
