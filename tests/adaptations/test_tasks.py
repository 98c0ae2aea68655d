"""The co-located team's tasks (role, organisation, due in working days, done only by the organisation doing
it), the complexity rule and who may assess, and escalation: cases near a statutory deadline on the team
lead's "What needs you today" and the worklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.adaptations import selectors, services, tasks, team
from homeward.adaptations.models import TeamTask
from homeward.casework.workdays import add_working_days
from homeward.core.errors import ValidationFailed
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from tests.adaptations.conftest import VALID_ON
from tests.factories import make_actor


def _task(world, case, **changes):
    fields = {
        "kind": "survey",
        "owner_role": "technical_officer",
        "organisation_id": world.district.pk,
        "working_days": 10,
    } | changes
    return tasks.add_task(actor=world.officer, case_id=case.pk, **fields)


@pytest.mark.parametrize(
    ("route", "structural", "progressive", "age", "level"),
    [
        ("minor", False, False, 70, "simple"),
        ("dfg", False, False, 70, "moderate"),
        ("minor", True, False, 70, "complex"),
        ("dfg", False, True, 70, "complex"),
        ("minor", False, False, 9, "complex"),
    ],
)
def test_the_complexity_rule(world, route, structural, progressive, age, level):
    world.applicant.date_of_birth = dt.date(timezone.localdate().year - age, 1, 1)
    world.applicant.save()
    case = world.open(route=route)
    case = tasks.set_complexity(
        actor=world.officer, case_id=case.pk, structural_works=structural, progressive_condition=progressive
    )
    assert case.complexity == level
    assert case.events.filter(title=f"Complexity rated {level}").exists()


def test_who_may_assess_follows_the_complexity(world):
    case = world.open()
    with pytest.raises(ValidationFailed) as caught:
        _task(world, case, kind="assessment", owner_role="ot")
    assert "Rate the case's complexity first" in caught.value.errors["owner_role"]
    tasks.set_complexity(
        actor=world.officer, case_id=case.pk, structural_works=True, progressive_condition=False
    )
    with pytest.raises(ValidationFailed) as caught:
        _task(world, case, kind="assessment", owner_role="trusted_assessor")
    assert caught.value.errors["owner_role"] == "A complex case is assessed by: occupational therapist"
    assert not TeamTask.objects.exists()
    assert _task(world, case, kind="assessment", owner_role="ot").owner_role == "ot"


def test_a_task_is_due_in_working_days_and_only_its_organisation_marks_it_done(world):
    case = world.open()
    team.add_participant(actor=world.officer, case_id=case.pk, organisation_id=world.county.pk, reason="OT")
    tasks.set_complexity(
        actor=world.officer, case_id=case.pk, structural_works=False, progressive_condition=False
    )
    task = _task(
        world, case, kind="assessment", owner_role="ot", organisation_id=world.county.pk, working_days=5
    )
    assert task.due_on == add_working_days(timezone.localdate(), 5)
    with pytest.raises(ValidationFailed) as caught:
        tasks.complete_task(actor=world.officer, case_id=case.pk, task_id=task.pk)
    assert "only they mark it done" in caught.value.errors["task_id"]
    done = tasks.complete_task(actor=world.ot, case_id=case.pk, task_id=task.pk)
    assert done.done_on == timezone.localdate() and done.done_by == world.ot.user


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"working_days": 0}, "working_days"),
        ({"working_days": 261}, "working_days"),
        ({"kind": "tea"}, "kind"),
        ({"owner_role": "wizard"}, "owner_role"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_bad_task_input_names_the_field_and_writes_nothing(world, changes, field):
    case = world.open()
    with pytest.raises(ValidationFailed) as caught:
        _task(world, case, **changes)
    assert field in caught.value.errors
    assert not TeamTask.objects.exists()


def test_a_task_only_for_the_team_and_not_done_in_the_future(world):
    case = world.open()
    with pytest.raises(ValidationFailed) as caught:
        _task(world, case, organisation_id=world.agency.pk)  # not taking part
    assert "organisation_id" in caught.value.errors
    task = _task(world, case)
    with pytest.raises(ValidationFailed) as caught:
        tasks.complete_task(
            actor=world.officer,
            case_id=case.pk,
            task_id=task.pk,
            done_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "future" in caught.value.errors["done_on"]


def test_cases_near_a_statutory_deadline_are_escalated_to_the_team_lead(world):
    case = world.walk(world.open(), "approval")
    today = timezone.localdate()
    # The decision is due 6 months after the valid application: make it fall due in 10 days.
    from homeward.engines.dfg import add_months

    start = add_months(today + dt.timedelta(days=10), -6)
    type(case).objects.filter(pk=case.pk).update(application_valid_on=start)
    lead = make_actor(Role.TEAM_LEAD, world.district)
    assert list(selectors.worklist(actor=lead, view="at_risk")) == [case]
    assert not selectors.worklist(actor=lead, view="overdue").exists()
    items = {item.label: item for item in selectors.today_items(lead)}
    near = items["Adaptations cases near a statutory deadline (within 20 working days)"]
    assert near.count == 1 and near.url.endswith("?view=at_risk") and near.urgent
    assert not any("near a statutory" in item.label for item in selectors.today_items(world.officer))
    # Far from the deadline, it is not at risk.
    type(case).objects.filter(pk=case.pk).update(application_valid_on=today)
    assert not selectors.worklist(actor=lead, view="at_risk").exists()


def test_overdue_tasks_show_on_the_worklist_and_today(world):
    case = world.open()
    task = _task(world, case)
    TeamTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert list(selectors.worklist(actor=world.officer, view="tasks_overdue")) == [case]
    items = {item.label: item.count for item in selectors.today_items(world.officer)}
    assert items["Adaptations team tasks overdue (your organisation's)"] == 1


def test_the_case_page_lists_tasks_and_the_pages_refuse_bad_input(world, client):
    case = world.open()
    client.force_login(world.officer.user)
    refused = client.post(
        f"/adaptations/cases/{case.pk}/tasks/",
        {"kind": "assessment", "owner_role": "ot", "organisation": world.district.pk, "working_days": "10"},
    )
    assert refused.status_code == 400 and "Rate the case&#x27;s complexity first" in refused.content.decode()
    assert (
        client.post(f"/adaptations/cases/{case.pk}/complexity/", {"structural_works": "on"}).status_code
        == 302
    )
    added = client.post(
        f"/adaptations/cases/{case.pk}/tasks/",
        {"kind": "assessment", "owner_role": "ot", "organisation": world.district.pk, "working_days": "10"},
    )
    assert added.status_code == 302
    page = client.get(f"/adaptations/cases/{case.pk}/").content.decode()
    assert "Assessment of need" in page and "working days left" in page and "Complex" in page
    task = TeamTask.objects.get()
    assert client.post(f"/adaptations/cases/{case.pk}/tasks/done/", {"task_id": task.pk}).status_code == 302
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()
    client.force_login(world.stranger.user)
    assert client.get(f"/adaptations/cases/{case.pk}/tasks/").status_code == 404
    assert client.post(f"/adaptations/cases/{case.pk}/complexity/", {}).status_code == 404


@pytest.mark.parametrize(
    ("ending", "reason"),
    [
        ("withdrawn", "Cancelled because the case was withdrawn"),
        ("refused", "Cancelled because the application was refused"),
        ("closed", "Cancelled because the case was closed"),
    ],
)
def test_a_case_that_ends_cancels_its_open_tasks_with_the_reason(world, ending, reason):
    case = world.open()
    team.add_participant(actor=world.officer, case_id=case.pk, organisation_id=world.county.pk, reason="OT")
    open_task = _task(world, case, kind="other", owner_role="ot", organisation_id=world.county.pk)
    done = tasks.complete_task(actor=world.officer, case_id=case.pk, task_id=_task(world, case).pk)
    if ending == "withdrawn":
        services.move_case(actor=world.officer, case_id=case.pk, to_status="withdrawn", note="Moved away")
    elif ending == "refused":
        world.walk(case, "approval")
        services.move_case(
            actor=world.officer,
            case_id=case.pk,
            to_status="refused",
            on=dt.date(2026, 4, 1),
            application_valid_on=VALID_ON,
            refusal_reason="Not necessary and appropriate",
            review_by=dt.date(2026, 5, 1),
        )
    else:
        world.walk(case, "closed")
    open_task.refresh_from_db()
    assert open_task.done_on == timezone.localdate() and open_task.cancelled_reason == reason
    done.refresh_from_db()
    assert done.cancelled_reason == ""  # a task already done keeps its record
    assert not TeamTask.objects.filter(case=case, done_on__isnull=True).exists()
    event = case.events.get(title="1 open task cancelled")
    assert event.note == f"{reason}: Other (Shire County Council)"
    audit = AuditEvent.objects.filter(purpose="Move an adaptations case").order_by("pk").last()
    assert audit.detail["tasks_cancelled"] == 1


def test_cancelled_tasks_leave_the_overdue_count_and_the_case_page_says_why(world, client):
    case = world.open()
    task = _task(world, case)
    TeamTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    lead = make_actor(Role.TEAM_LEAD, world.district)

    def overdue_count():
        items = {item.label: item.count for item in selectors.today_items(lead)}
        return items["Adaptations team tasks overdue (your organisation's)"]

    assert overdue_count() == 1
    services.move_case(actor=world.officer, case_id=case.pk, to_status="withdrawn", note="Moved away")
    assert overdue_count() == 0
    client.force_login(world.officer.user)
    page = client.get(f"/adaptations/cases/{case.pk}/").content.decode()
    assert "not done. Cancelled because the case was withdrawn" in page
    assert "Mark done" not in page


def test_a_failed_ending_cancels_nothing(world):
    case = world.open()
    task = _task(world, case)
    with pytest.raises(ValidationFailed):
        services.move_case(actor=world.officer, case_id=case.pk, to_status="withdrawn", note="")
    task.refresh_from_db()
    assert task.done_on is None and task.cancelled_reason == ""
    assert not case.events.filter(title__contains="cancelled").exists()
