"""The bed board's version and its conditional poll: every kind of change the board shows moves the unit's
version; an open board polling with the token it holds gets 204 after a bounded few queries and no audit
row while nothing changed, and the changed board (audited) once something did; the cheap path refuses
whoever the page refuses."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from homeward.reablement import beds, board_version, daily, plans, services
from homeward.reablement.models import Unit
from tests.factories import make_actor
from tests.reablement.conftest import days_ago

#: A 204 costs what every signed-in request costs (the session, the user, the membership, and the session
#: written back: SESSION_SAVE_EVERY_REQUEST) and one query: the unit with its version (or, for the
#: provider board, the organisation's units' versions). Nothing about beds or stays.
CHEAP_QUERIES = 5
#: Inside a test's transaction the session's write adds a savepoint and its release.
SAVEPOINTS = 2


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.fixture(autouse=True)
def one_long_window(monkeypatch):
    """The token also moves every REVALIDATE_S seconds; a test that crossed that moment would see a 200
    where it expects a 204. The tests of the window set their own."""
    monkeypatch.setattr(board_version, "REVALIDATE_S", 10**7)


def version(unit) -> int:
    return Unit.objects.get(pk=unit.pk).board_version


def signed_in(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def poll(client: Client, url: str, since: str = ""):
    return client.get(url, {"since": since} if since else {}, HTTP_HX_REQUEST="true")


def held(response) -> str:
    """The token the board just received carries in its own poll URL (as the browser holds it)."""
    found = re.search(r'hx-get="[^"?]+\?since=([0-9a-f]+)"', response.content.decode())
    assert found, response.content.decode()[:300]
    return found.group(1)


def board_searches() -> int:
    return AuditEvent.objects.filter(action="search", purpose__startswith="Reablement bed board").count()


def test_every_kind_of_change_the_board_shows_moves_the_version(world):
    worker, unit = world.unit_worker, world.unit
    seen = [version(unit)]

    def moved(what: str) -> None:
        now = version(unit)
        assert now > seen[-1], f"{what} did not move the board's version"
        seen.append(now)

    stay = world.admitted("1")  # admitted (and the referral accepted before it)
    moved("an admission")
    services.move_bed(actor=worker, stay_id=stay.pk, bed_id=world.bed("2").pk, moved_at=days_ago(1))
    moved("a bed move")
    beds.set_bed_status(actor=worker, bed_id=world.bed("1").pk, status="vacant_clean")
    moved("a bed cleaned")
    beds.set_bed_status(
        actor=worker, bed_id=world.bed("3").pk, status="closed", reason="Leak", on=timezone.localdate()
    )
    moved("a bed closed")
    daily.mark_day(
        actor=worker, stay_id=stay.pk, day=timezone.localdate(), colour="red", reason="No transport"
    )
    moved("a red day")
    blocker = plans.raise_blocker(
        actor=worker,
        stay_id=stay.pk,
        category="care_package",
        description="Two carers, four calls",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    moved("a blocker raised")
    plans.resolve_blocker(actor=worker, stay_id=stay.pk, blocker_id=blocker.pk, resolution="Starts Monday")
    moved("a blocker cleared")
    waiting = world.refer(person_id=world.another_patient().pk, referred_at=days_ago(1))
    beds.set_bed_status(actor=worker, bed_id=world.bed("4").pk, status="reserved", referral_id=waiting.pk)
    moved("a bed reserved")
    services.decide_referral(
        actor=worker, referral_id=waiting.pk, decision="declined", reason="Needs nursing"
    )
    moved("a declined referral freeing its reserved bed")
    quiet = version(unit)
    world.refer(person_id=world.another_patient().pk, referred_at=days_ago(1))
    daily.add_note(actor=worker, stay_id=stay.pk, text="Walked to the day room")
    assert version(unit) == quiet, "a new referral and a note are not on the board: no change"
    seen.append(quiet)
    services.discharge(actor=worker, stay_id=stay.pk, discharged_at=timezone.now(), destination="home")
    moved("a discharge")


def test_admitting_with_an_expected_discharge_moves_the_version_and_shows_the_date(world):
    before = version(world.unit)
    referral = world.refer(referred_at=days_ago(2, 9))
    services.decide_referral(actor=world.unit_worker, referral_id=referral.pk, decision="accepted")
    expected = timezone.localdate() + dt.timedelta(days=10)
    services.admit(
        actor=world.unit_worker,
        referral_id=referral.pk,
        bed_id=world.bed("1").pk,
        admitted_at=days_ago(1, 14),
        expected_discharge_on=expected,
    )
    assert version(world.unit) > before
    body = poll(signed_in(world.unit_worker), f"/reablement/units/{world.unit.pk}/").content.decode()
    assert f"{expected:%-d %b}" in body


def test_an_unchanged_board_answers_204_cheaply_and_unaudited_then_the_change_audited(world):
    world.admitted("2")
    client = signed_in(world.unit_worker)
    url = f"/reablement/units/{world.unit.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    token = held(page)
    audited = board_searches()
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            answer = poll(client, url, token)
        assert answer.status_code == 204 and answer.content == b""
        assert "no-store" in answer["Cache-Control"] and answer["X-Board-Version"] == token
        assert len(statements(queries)) <= CHEAP_QUERIES, statements(queries)
        assert not any("reablement_bed" in q["sql"] or "reablement_stay" in q["sql"] for q in queries)
    assert board_searches() == audited  # nothing was shown: nothing audited

    world.admitted("3")  # someone else changes the unit
    changed = poll(client, url, token)
    assert changed.status_code == 200
    assert changed.content.decode().startswith('<div id="bed-board"')
    assert held(changed) != token
    assert board_searches() == audited + 1  # the changed board is audited
    assert poll(client, url, held(changed)).status_code == 204


def test_the_cheap_poll_is_bounded_with_pytest_djangos_own_counter(world, django_assert_max_num_queries):
    client = signed_in(world.unit_worker)
    url = f"/reablement/units/{world.unit.pk}/"
    token = held(client.get(url))
    with django_assert_max_num_queries(CHEAP_QUERIES + SAVEPOINTS):
        assert poll(client, url, token).status_code == 204


def test_a_stale_or_forged_token_gets_the_board_not_204(world):
    client = signed_in(world.unit_worker)
    url = f"/reablement/units/{world.unit.pk}/"
    assert poll(client, url, "0" * 18).status_code == 200
    assert poll(client, url).status_code == 200  # no token: the board
    # Without HX-Request (a reload), the whole page, whatever the token.
    token = held(client.get(url))
    assert client.get(url, {"since": token}).status_code == 200


def test_the_cheap_path_refuses_whoever_the_page_refuses(world):
    unit = world.unit
    url = f"/reablement/units/{unit.pk}/"
    outsiders = [make_actor(role, world.provider) for role in (Role.COMMISSIONER, Role.ADMIN, Role.ANALYST)]
    for outsider in outsiders:
        token = board_version.token(outsider, [(unit.pk, version(unit))])  # even holding the right token
        client = signed_in(outsider)
        assert client.get(url).status_code == 404
        assert poll(client, url, token).status_code == 404
    # Signed out: to the sign-in page, not a 204.
    token = board_version.token(world.unit_worker, [(unit.pk, version(unit))])
    assert poll(Client(), url, token).status_code == 302
    # An unknown unit: 404 whatever the token.
    assert poll(signed_in(world.unit_worker), "/reablement/units/999999/", token).status_code == 404


def test_a_stranger_polls_the_same_way_and_never_sees_who_is_in_a_bed(world):
    stay = world.admitted("1")
    client = signed_in(world.stranger)
    url = f"/reablement/units/{world.unit.pk}/"
    token = held(client.get(url))
    assert poll(client, url, token).status_code == 204
    world.admitted("2")
    body = poll(client, url, token).content.decode()
    assert body.count("Not shared with you") == 2 and f"/reablement/stays/{stay.pk}/" not in body


def test_the_token_moves_with_the_day_the_membership_and_a_bounded_window(monkeypatch):
    class FakeMembership:
        def __init__(self, pk: int, role: str = Role.CASEWORKER) -> None:
            self.pk, self.role = pk, role

    class FakeActor:
        def __init__(self, pk: int) -> None:
            self.membership = FakeMembership(pk)
            self.role = self.membership.role

    monkeypatch.setattr(board_version, "REVALIDATE_S", 30)
    now = timezone.make_aware(dt.datetime(2026, 12, 4, 10, 0, 0))
    one, two = FakeActor(1), FakeActor(2)
    versions = [(7, 3)]
    base = board_version.token(one, versions, now)  # type: ignore[arg-type]
    assert board_version.token(two, versions, now) != base  # type: ignore[arg-type]
    assert board_version.token(one, [(7, 4)], now) != base  # type: ignore[arg-type]
    assert board_version.token(one, versions, now + dt.timedelta(days=1)) != base  # type: ignore[arg-type]
    later = now + dt.timedelta(seconds=board_version.REVALIDATE_S)
    assert board_version.token(one, versions, later) != base  # type: ignore[arg-type]
    tokens = {
        board_version.token(one, versions, now + dt.timedelta(seconds=s))  # type: ignore[arg-type]
        for s in range(board_version.REVALIDATE_S)
    }
    assert len(tokens) <= 2  # at most one revalidation within a window


def test_a_revalidated_board_showing_the_same_is_not_audited_again(world, monkeypatch):
    world.admitted("1")
    client = signed_in(world.unit_worker)
    url = f"/reablement/units/{world.unit.pk}/"
    token = held(client.get(url))
    audited = board_searches()
    monkeypatch.setattr(board_version, "REVALIDATE_S", 1)
    later = timezone.now() + dt.timedelta(seconds=5)
    monkeypatch.setattr(board_version.timezone, "now", lambda: later)
    again = poll(client, url, token)
    assert again.status_code == 200 and held(again) != token  # rebuilt, the token aged out
    assert board_searches() == audited  # same version, same stays: already audited


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.ADMIN])
def test_the_provider_board_polls_the_same_way(world, role):
    client = signed_in(world.unit_worker)
    page = client.get("/reablement/board/")
    assert page.status_code == 200 and 'hx-trigger="every 1s"' in page.content.decode()
    token = held(page)
    with CaptureQueriesContext(connection) as queries:
        assert poll(client, "/reablement/board/", token).status_code == 204
    assert len(statements(queries)) <= CHEAP_QUERIES, statements(queries)
    audited = board_searches()
    world.admitted("4")
    changed = poll(client, "/reablement/board/", token)
    assert changed.status_code == 200 and changed.content.decode().startswith('<div id="provider-board"')
    assert board_searches() == audited + 1
    # A new unit of the organisation is a change too.
    beds.create_unit(
        actor=make_actor(Role.ADMIN, world.provider),
        name="Brook House",
        address="1 Brook Lane",
        commissioned_beds=1,
        staffing_model="care_24_7",
        bed_labels=["A"],
    )
    assert poll(client, "/reablement/board/", held(changed)).status_code == 200
    outsider = make_actor(role, world.provider)
    stolen = board_version.token(outsider, board_version.provider_versions(world.provider.pk))
    assert poll(signed_in(outsider), "/reablement/board/", stolen).status_code == 404
