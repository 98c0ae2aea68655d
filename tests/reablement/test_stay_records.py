"""Red and green days, daily notes, functional measures, MDT actions as tasks, the MDT list and the community
delay reasons on blockers: services first (bad input names the field and writes nothing), then pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Role
from homeward.discharge.models import DelayReason
from homeward.reablement import daily, mdt, plans
from homeward.reablement.models import DailyNote, MdtAction, MeasureScore, StayDay
from tests.factories import make_actor

TODAY = timezone.localdate


def signed_in(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def review(world, stay, **overrides):
    fields = {
        "held_on": TODAY() - dt.timedelta(days=1),
        "attendees": ["nurse", "physiotherapist"],
        "medically_stable": True,
        "decisions": "Home with a package next week",
    } | overrides
    return plans.record_review(actor=world.unit_worker, stay_id=stay.pk, **fields)


def community_reason(order: int) -> DelayReason:
    return DelayReason.objects.get(reason_list__key="community-2024-01", order=order)


# Red and green days


def test_a_red_day_needs_its_reason_and_nothing_is_written_without_it(world):
    stay = world.admitted("1")
    with pytest.raises(ValidationFailed) as refused:
        daily.mark_day(actor=world.unit_worker, stay_id=stay.pk, day=TODAY(), colour="red", reason=" ")
    assert set(refused.value.errors) == {"reason"}
    assert not StayDay.objects.exists()
    red = daily.mark_day(
        actor=world.unit_worker,
        stay_id=stay.pk,
        day=TODAY(),
        colour="red",
        reason="Waited all day for the physiotherapist",
        delay_reason_id=community_reason(2).pk,
    )
    assert red.colour == "red" and red.delay_reason.order == 2


def test_marking_a_day_again_changes_it_and_green_drops_the_delay_reason(world):
    stay = world.admitted("1")
    day = TODAY() - dt.timedelta(days=2)
    args = {"actor": world.unit_worker, "stay_id": stay.pk, "day": day}
    daily.mark_day(**args, colour="red", reason="No transport", delay_reason_id=community_reason(5).pk)
    daily.mark_day(**args, colour="green")
    marked = StayDay.objects.get(stay=stay)
    assert StayDay.objects.count() == 1 and marked.colour == "green" and marked.delay_reason is None


def test_a_day_outside_the_stay_or_in_the_future_and_an_unknown_colour_are_refused(world):
    stay = world.admitted("1", admitted_days_ago=3)
    for day in (TODAY() - dt.timedelta(days=10), TODAY() + dt.timedelta(days=1), None):
        with pytest.raises(ValidationFailed) as refused:
            daily.mark_day(actor=world.unit_worker, stay_id=stay.pk, day=day, colour="green")
        assert "day" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        daily.mark_day(actor=world.unit_worker, stay_id=stay.pk, day=TODAY(), colour="amber")
    assert "colour" in refused.value.errors
    assert not StayDay.objects.exists()


def test_a_red_days_delay_reason_must_come_from_the_community_list(world):
    stay = world.admitted("1")
    acute = DelayReason.objects.filter(reason_list__key="acute-2024-01").first()
    with pytest.raises(ValidationFailed) as refused:
        daily.mark_day(
            actor=world.unit_worker,
            stay_id=stay.pk,
            day=TODAY(),
            colour="red",
            reason="Waiting",
            delay_reason_id=acute.pk,
        )
    assert "delay_reason_id" in refused.value.errors


# Delay reasons on blockers


def test_the_community_list_is_the_shipped_twenty_reasons_with_source_and_date(world):
    from homeward.reablement.delays import community_list, community_reasons

    reasons = list(community_reasons(TODAY()))
    assert len(reasons) == 20
    assert reasons[16].text == "No Plan"
    reason_list = community_list(TODAY())
    assert reason_list.in_use_from == dt.date(2024, 1, 1) and "NHS England" in reason_list.source
    assert community_list(dt.date(2023, 12, 31)) is None  # nothing was in force before it


def test_a_blocker_takes_the_reason_its_category_maps_to_or_the_one_chosen(world):
    stay = world.admitted("1")
    due = TODAY() + dt.timedelta(days=3)
    args = {"actor": world.unit_worker, "stay_id": stay.pk, "due_on": due}
    mapped = plans.raise_blocker(**args, category="homeless", description="No home to go to")
    assert mapped.delay_reason.order == 14  # the list's own mapping, not a code in Homeward
    chosen = plans.raise_blocker(
        **args, category="equipment", description="Hoist", delay_reason_id=community_reason(12).pk
    )
    assert chosen.delay_reason.order == 12
    with pytest.raises(ValidationFailed) as refused:
        plans.raise_blocker(**args, category="equipment", description="Hoist", delay_reason_id=999_999)
    assert "delay_reason_id" in refused.value.errors
    assert stay.blockers.count() == 2


# Daily notes and functional measures


def test_a_daily_note_is_kept_with_its_author_and_an_empty_or_long_note_is_refused(world):
    stay = world.admitted("1")
    for text in ("  ", "x" * 2001):
        with pytest.raises(ValidationFailed) as refused:
            daily.add_note(actor=world.unit_worker, stay_id=stay.pk, text=text)
        assert "text" in refused.value.errors
    note = daily.add_note(actor=world.unit_worker, stay_id=stay.pk, text="Walked to the lounge with a frame")
    assert note.author == world.unit_worker.user and DailyNote.objects.count() == 1
    with pytest.raises(NotFound):
        daily.add_note(actor=world.stranger, stay_id=stay.pk, text="Not mine to write")


def _measure(world, **overrides):
    admin = make_actor(Role.ADMIN, world.provider)
    fields = {
        "name": "Riverside mobility score",
        "lowest": 0,
        "highest": 20,
        "licence": "Our own measure",
    } | overrides
    return daily.define_measure(actor=admin, **fields)


def test_an_organisation_sets_up_its_own_measure_with_its_licence_and_bad_ranges_are_refused(world):
    assert not daily.measures_for(world.provider.pk)  # Homeward ships no instrument
    with pytest.raises(ValidationFailed) as refused:
        _measure(world, lowest=10, highest=10, licence="")
    assert set(refused.value.errors) == {"highest", "licence"}
    with pytest.raises(NotAllowed):  # a caseworker may not set up measures
        daily.define_measure(actor=world.unit_worker, name="X", lowest=0, highest=1, licence="Own")
    measure = _measure(world)
    with pytest.raises(ValidationFailed) as refused:
        _measure(world)
    assert "name" in refused.value.errors
    assert daily.measures_for(world.provider.pk) == [measure]


def test_scores_at_admission_review_and_discharge_within_the_measures_range(world):
    stay = world.admitted("1", admitted_days_ago=5)
    measure = _measure(world)
    args = {"actor": world.unit_worker, "stay_id": stay.pk, "measure_id": measure.pk}
    daily.record_score(**args, stage="admission", score=6, scored_on=TODAY() - dt.timedelta(days=5))
    daily.record_score(**args, stage="review", score=9, scored_on=TODAY() - dt.timedelta(days=2))
    daily.record_score(**args, stage="review", score=11, scored_on=TODAY())
    for bad, field in (
        ({"stage": "admission", "score": 7, "scored_on": TODAY()}, "stage"),  # a second admission score
        ({"stage": "discharge", "score": 21, "scored_on": TODAY()}, "score"),
        ({"stage": "discharge", "score": None, "scored_on": TODAY()}, "score"),
        ({"stage": "discharge", "score": 5, "scored_on": TODAY() - dt.timedelta(days=30)}, "scored_on"),
        ({"stage": "later", "score": 5, "scored_on": TODAY()}, "stage"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            daily.record_score(**args, **bad)
        assert field in refused.value.errors, bad
    assert [s.score for s in MeasureScore.objects.order_by("scored_on", "pk")] == [6, 9, 11]


def test_another_organisations_measure_cannot_be_scored(world):
    stay = world.admitted("1")
    other = daily.define_measure(
        actor=make_actor(Role.ADMIN, world.practice), name="Theirs", lowest=0, highest=5, licence="Own"
    )
    with pytest.raises(ValidationFailed) as refused:
        daily.record_score(
            actor=world.unit_worker,
            stay_id=stay.pk,
            measure_id=other.pk,
            stage="admission",
            score=1,
            scored_on=TODAY(),
        )
    assert "measure_id" in refused.value.errors


# MDT actions and the MDT list


def test_an_mdt_action_without_an_owner_is_refused_and_nothing_is_written(world):
    stay = world.admitted("1")
    held = review(world, stay)
    with pytest.raises(ValidationFailed) as refused:
        mdt.add_action(
            actor=world.unit_worker,
            stay_id=stay.pk,
            review_id=held.pk,
            description="Order a perching stool",
            due_on=TODAY() + dt.timedelta(days=2),
        )
    assert set(refused.value.errors) == {"owner"}
    assert not MdtAction.objects.exists()


def test_an_action_needs_a_review_of_this_stay_a_due_date_and_an_owner_in_the_organisation(world):
    stay = world.admitted("1")
    other = world.admitted("2")
    held = review(world, other)
    with pytest.raises(ValidationFailed) as refused:
        mdt.add_action(
            actor=world.unit_worker,
            stay_id=stay.pk,
            review_id=held.pk,
            description="",
            due_on=None,
            owner_user_id=world.clinician.user.pk,  # works for the trust, not the unit
        )
    assert set(refused.value.errors) == {"review_id", "description", "due_on", "owner"}
    assert not MdtAction.objects.exists()


def test_an_action_becomes_a_task_for_its_owner_until_done(world):
    stay = world.admitted("1")
    held = review(world, stay)
    action = mdt.add_action(
        actor=world.unit_worker,
        stay_id=stay.pk,
        review_id=held.pk,
        description="Order a perching stool",
        due_on=TODAY() - dt.timedelta(days=0),
        owner_user_id=world.unit_worker.user.pk,
    )
    assert list(mdt.my_open_actions(world.unit_worker)) == [action]
    items = mdt.today_items(world.unit_worker)
    assert items[0].count == 1 and items[0].url == "/reablement/actions/"
    assert not mdt.my_open_actions(world.clinician).exists()
    mdt.complete_action(actor=world.unit_worker, stay_id=stay.pk, action_id=action.pk, outcome="Delivered")
    assert not mdt.my_open_actions(world.unit_worker).exists()
    assert mdt.today_items(world.unit_worker) == []
    with pytest.raises(ValidationFailed) as refused:
        mdt.complete_action(actor=world.unit_worker, stay_id=stay.pk, action_id=action.pk)
    assert "action_id" in refused.value.errors


def test_the_mdt_list_counts_days_in_days_since_ready_actions_blockers_and_red_days(world):
    long_stay = world.admitted("1", referred_days_ago=12, admitted_days_ago=10)
    world.patient = world.another_patient()
    short_stay = world.admitted("2", referred_days_ago=4, admitted_days_ago=3)
    held = review(world, long_stay, held_on=TODAY() - dt.timedelta(days=4), ready_to_leave=True)
    review(world, long_stay, held_on=TODAY() - dt.timedelta(days=1), ready_to_leave=True)  # keeps the first
    owner = {"owner_user_id": world.unit_worker.user.pk}
    for due in (TODAY() - dt.timedelta(days=1), TODAY() + dt.timedelta(days=3)):
        mdt.add_action(
            actor=world.unit_worker,
            stay_id=long_stay.pk,
            review_id=held.pk,
            description="Chase",
            due_on=max(due, held.held_on),
            **owner,
        )
    plans.raise_blocker(
        actor=world.unit_worker,
        stay_id=long_stay.pk,
        category="equipment",
        description="Hoist",
        due_on=TODAY() + dt.timedelta(days=2),
    )
    for back in (1, 2):
        daily.mark_day(
            actor=world.unit_worker,
            stay_id=long_stay.pk,
            day=TODAY() - dt.timedelta(days=back),
            colour="red",
            reason="Waiting for the hoist",
        )
    rows = mdt.mdt_list(world.unit_worker, world.unit)
    assert [r.stay.pk for r in rows] == [long_stay.pk, short_stay.pk]
    first, second = rows
    assert (first.days_in, first.days_since_ready, first.open_actions, first.overdue_actions) == (10, 4, 2, 1)
    assert (first.open_blockers, first.red_days, first.last_review_on) == (1, 2, TODAY() - dt.timedelta(1))
    assert (second.days_in, second.days_since_ready, second.open_actions, second.red_days) == (3, None, 0, 0)
    assert mdt.mdt_list(world.stranger, world.unit) == []


# Pages


def test_a_red_day_without_a_reason_shows_the_stay_again_with_the_error_and_what_was_typed(world):
    stay = world.admitted("1")
    client = signed_in(world.unit_worker)
    day = TODAY().strftime("%d/%m/%Y")
    page = client.post(f"/reablement/stays/{stay.pk}/days/", {"day": day, "colour": "red", "reason": ""})
    body = page.content.decode()
    assert page.status_code == 400 and "nhsuk-error-summary" in body
    assert "Say why the day added nothing to the recovery" in body and 'id="day-reason"' in body
    assert not StayDay.objects.exists()
    done = client.post(
        f"/reablement/stays/{stay.pk}/days/",
        {"day": day, "colour": "red", "reason": "No physio", "delay_reason": community_reason(2).pk},
    )
    assert done.status_code == 302 and StayDay.objects.get().reason == "No physio"
    assert "Red day" in client.get(f"/reablement/units/{world.unit.pk}/").content.decode()


def test_an_mdt_action_without_an_owner_is_refused_on_the_page_and_keeps_what_was_typed(world):
    stay = world.admitted("1")
    held = review(world, stay)
    client = signed_in(world.unit_worker)
    url = f"/reablement/stays/{stay.pk}/actions/"
    typed = {"review": held.pk, "description": "Order a perching stool", "owner": "", "due_on": "01/06/2027"}
    page = client.post(url, typed)
    body = page.content.decode()
    assert page.status_code == 400 and "Choose who owns the action" in body
    assert 'value="Order a perching stool"' in body
    assert not MdtAction.objects.exists()
    due = (TODAY() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    done = client.post(url, typed | {"owner": f"user:{world.unit_worker.user.pk}", "due_on": due})
    assert done.status_code == 302
    action = MdtAction.objects.get()
    assert "Order a perching stool" in client.get("/reablement/actions/").content.decode()
    client.post(f"/reablement/stays/{stay.pk}/actions/done/", {"action_id": action.pk, "outcome": "Done"})
    action.refresh_from_db()
    assert action.done_on == TODAY()


def test_the_mdt_list_page_names_the_people_in_the_unit_to_the_unit_only(world):
    stay = world.admitted("1")
    body = signed_in(world.unit_worker).get(f"/reablement/units/{world.unit.pk}/mdt/").content.decode()
    assert f'href="/reablement/stays/{stay.pk}/"' in body and "BROWN, Alice" in body
    stranger = signed_in(world.stranger).get(f"/reablement/units/{world.unit.pk}/mdt/").content.decode()
    assert "BROWN" not in stranger and f"/reablement/stays/{stay.pk}/" not in stranger


def test_the_provider_board_shows_every_unit_of_the_organisation_and_refreshes_itself(world):
    from homeward.reablement import beds

    admin = make_actor(Role.ADMIN, world.provider)
    second = beds.create_unit(
        actor=admin,
        name="Oak Lodge",
        address="12 High Street",
        commissioned_beds=2,
        staffing_model="nurse_led",
        bed_labels=["A", "B"],
    )
    stay = world.admitted("3")
    client = signed_in(world.unit_worker)
    body = client.get("/reablement/board/").content.decode()
    assert "Willow Court" in body and "Oak Lodge" in body and f"/reablement/stays/{stay.pk}/" in body
    assert f'data-bed="{second.pk}-A"' in body and 'hx-trigger="every 1s"' in body
    partial = client.get("/reablement/board/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="provider-board"')
    stranger = signed_in(world.stranger).get("/reablement/board/").content.decode()
    assert "Willow Court" not in stranger and "runs no reablement units" in stranger


def test_a_score_outside_the_range_is_refused_on_the_page(world):
    stay = world.admitted("1")
    measure = _measure(world)
    client = signed_in(world.unit_worker)
    page = client.post(
        f"/reablement/stays/{stay.pk}/scores/",
        {
            "measure": measure.pk,
            "stage": "admission",
            "score": "25",
            "scored_on": TODAY().strftime("%d/%m/%Y"),
        },
    )
    assert page.status_code == 400 and "scores from 0 to 20" in page.content.decode()
    assert not MeasureScore.objects.exists()
