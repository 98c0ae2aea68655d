"""Hospital to Home casework through its services: referral, screen, blockers, lifecycle, readmission."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from homeward.core.errors import IllegalTransition, NotFound, ValidationFailed
from homeward.core.roles import Role
from homeward.discharge import selectors, services
from homeward.discharge.codes import CaseStatus
from homeward.discharge.lifecycle import LIFECYCLE
from homeward.discharge.models import Blocker, CaseEvent, DischargeCase
from tests.factories import OrganisationFactory, make_actor

TODAY = timezone.localdate


def test_a_referral_is_shared_with_the_housing_team_and_starts_the_timeline(world):
    case = world.refer()
    assert case.status == CaseStatus.REFERRED
    assert selectors.get_case(actor=world.officer, case_id=case.pk).pk == case.pk
    assert list(case.events.values_list("title", flat=True)) == ["Referred to the housing team"]


def test_a_housing_provider_outside_the_agreement_sees_nothing(world):
    case = world.refer()
    outsider = make_actor(Role.CASEWORKER, OrganisationFactory(name="Elsewhere Homes"))
    assert not selectors.visible_cases(outsider).exists()
    with pytest.raises(NotFound):
        selectors.get_case(actor=outsider, case_id=case.pk)


def test_referral_to_a_provider_without_an_agreement_is_refused_and_nothing_written(world):
    other = OrganisationFactory(name="No Agreement Homes")
    with pytest.raises(ValidationFailed) as exc:
        world.refer(housing_organisation_id=other.pk)
    assert "no data-sharing agreement" in exc.value.errors["housing_organisation_id"]
    assert DischargeCase.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"discharge_ready_on_offset": -11}, "discharge_ready_on"),
        ({"admitted_on_offset": 1}, "admitted_on"),
        ({"pathway": "7"}, "pathway"),
        ({"setting": "car_park"}, "setting"),
        ({"referral_reason": "  "}, "referral_reason"),
    ],
)
def test_bad_referrals_are_refused_naming_the_field(world, fields, field):
    overrides = {}
    if "discharge_ready_on_offset" in fields:
        overrides["discharge_ready_on"] = TODAY() + dt.timedelta(days=fields["discharge_ready_on_offset"])
    if "admitted_on_offset" in fields:
        overrides["admitted_on"] = TODAY() + dt.timedelta(days=fields["admitted_on_offset"])
    overrides |= {k: v for k, v in fields.items() if not k.endswith("_offset")}
    with pytest.raises(ValidationFailed) as exc:
        world.refer(**overrides)
    assert field in exc.value.errors
    assert DischargeCase.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_the_screen_suggests_blockers_and_moves_the_case_to_screening(world):
    case = world.refer()
    suggested = services.screen_case(
        actor=world.officer, case_id=case.pk, items=["home_unsuitable", "isolation"]
    )
    assert suggested == ["home_unsuitable"]
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING and case.screened_at is not None


def _walk_to(world, case, status):
    """Move a fresh case along the happy path to `status`."""
    path = [
        CaseStatus.SCREENING,
        CaseStatus.ACTIVE,
        CaseStatus.READY,
        CaseStatus.DISCHARGED,
        CaseStatus.FOLLOW_UP,
        CaseStatus.CLOSED,
    ]
    extra = {CaseStatus.DISCHARGED: {"discharged_on": TODAY(), "destination": "usual_home"}}
    if status == CaseStatus.REFERRED:
        return case
    for step in path:
        services.transition_case(actor=world.officer, case_id=case.pk, to_status=step, **extra.get(step, {}))
        if step == status:
            case.refresh_from_db()
            return case
    services.transition_case(actor=world.officer, case_id=case.pk, to_status=status)
    case.refresh_from_db()
    return case


ALL = list(CaseStatus.values)
REACHABLE = [s for s in ALL if s not in (CaseStatus.CANCELLED, CaseStatus.DIED, CaseStatus.READMITTED)]


@pytest.mark.parametrize(("source", "target"), list(itertools.product(REACHABLE, ALL)))
def test_every_transition_is_allowed_exactly_when_the_lifecycle_says_so(world, source, target):
    case = _walk_to(world, world.refer(), source)
    extra = {
        CaseStatus.DISCHARGED: {"discharged_on": TODAY(), "destination": "usual_home"},
        CaseStatus.DIED: {"died_on": TODAY()},
        CaseStatus.CANCELLED: {"note": "Referred in error"},
    }.get(target, {})
    if LIFECYCLE.can_move(source, target):
        services.transition_case(actor=world.officer, case_id=case.pk, to_status=target, **extra)
        case.refresh_from_db()
        assert case.status == target
        assert case.events.last().to_status == target
    else:
        with pytest.raises(IllegalTransition):
            services.transition_case(actor=world.officer, case_id=case.pk, to_status=target, **extra)
        case.refresh_from_db()
        assert case.status == source


def test_discharge_before_admission_is_refused(world):
    case = _walk_to(world, world.refer(), CaseStatus.READY)
    with pytest.raises(ValidationFailed) as exc:
        services.transition_case(
            actor=world.officer,
            case_id=case.pk,
            to_status="discharged",
            discharged_on=case.admitted_on - dt.timedelta(days=1),
            destination="usual_home",
        )
    assert "discharged_on" in exc.value.errors
    case.refresh_from_db()
    assert case.status == CaseStatus.READY


def test_discharge_needs_a_known_destination(world):
    case = _walk_to(world, world.refer(), CaseStatus.READY)
    with pytest.raises(ValidationFailed) as exc:
        services.transition_case(
            actor=world.officer,
            case_id=case.pk,
            to_status="discharged",
            discharged_on=TODAY(),
            destination="the moon",
        )
    assert "destination" in exc.value.errors


def test_discharge_sets_welfare_calls_at_7_and_28_days(world):
    case = _walk_to(world, world.refer(), CaseStatus.DISCHARGED)
    due = sorted((t.kind, (t.due_on - case.discharged_on).days) for t in case.follow_ups.all())
    assert due == [("welfare_call_28", 28), ("welfare_call_7", 7)]


def test_blockers_are_raised_with_an_owner_and_resolved(world):
    case = _walk_to(world, world.refer(), CaseStatus.ACTIVE)
    blocker = services.raise_blocker(
        actor=world.officer,
        case_id=case.pk,
        category="home_unsuitable",
        description="Needs a stairlift",
        due_on=TODAY() + dt.timedelta(days=3),
    )
    assert blocker.owner_organisation_id == world.housing.pk
    services.resolve_blocker(actor=world.officer, blocker_id=blocker.pk, resolution="Moved bed downstairs")
    blocker.refresh_from_db()
    assert blocker.resolved_on == TODAY()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"due_on": -1}, "due_on"), ({"category": "dragons"}, "category"), ({"description": ""}, "description")],
)
def test_bad_blockers_are_refused_naming_the_field(world, overrides, field):
    case = _walk_to(world, world.refer(), CaseStatus.ACTIVE)
    fields = {"category": "care_package", "description": "Waiting for carers", "due_on": 2} | overrides
    fields["due_on"] = TODAY() + dt.timedelta(days=fields["due_on"])
    with pytest.raises(ValidationFailed) as exc:
        services.raise_blocker(actor=world.officer, case_id=case.pk, **fields)
    assert field in exc.value.errors
    assert Blocker.objects.count() == 0


def test_a_blocker_owner_must_take_part_in_the_case(world):
    case = _walk_to(world, world.refer(), CaseStatus.ACTIVE)
    stranger = OrganisationFactory(name="Stranger Care")
    with pytest.raises(ValidationFailed) as exc:
        services.raise_blocker(
            actor=world.officer,
            case_id=case.pk,
            category="care_package",
            description="x",
            due_on=TODAY(),
            owner_organisation_id=stranger.pk,
        )
    assert "owner_organisation_id" in exc.value.errors


def test_a_new_admission_within_30_days_links_to_the_previous_case_as_a_readmission(world):
    first = _walk_to(
        world,
        world.refer(
            admitted_on=TODAY() - dt.timedelta(days=40), discharge_ready_on=TODAY() - dt.timedelta(days=25)
        ),
        CaseStatus.READY,
    )
    services.transition_case(
        actor=world.officer,
        case_id=first.pk,
        to_status="discharged",
        discharged_on=TODAY() - dt.timedelta(days=20),
        destination="usual_home",
    )
    second = world.refer(admitted_on=TODAY() - dt.timedelta(days=2))
    first.refresh_from_db()
    assert second.previous_case_id == first.pk and second.is_readmission
    assert first.status == CaseStatus.READMITTED


def test_an_admission_after_30_days_is_not_a_readmission(world):
    first = _walk_to(
        world,
        world.refer(
            admitted_on=TODAY() - dt.timedelta(days=80), discharge_ready_on=TODAY() - dt.timedelta(days=50)
        ),
        CaseStatus.READY,
    )
    services.transition_case(
        actor=world.officer,
        case_id=first.pk,
        to_status="discharged",
        discharged_on=TODAY() - dt.timedelta(days=45),
        destination="usual_home",
    )
    second = world.refer(admitted_on=TODAY() - dt.timedelta(days=2))
    assert second.previous_case_id is None


def test_the_case_shows_on_the_persons_timeline_and_in_their_subject_access_export(world):
    from homeward.governance.subject_access import export_subject_access
    from homeward.people.timeline import timeline_for

    case = world.refer()
    titles = [entry.title for entry in timeline_for(world.officer, world.patient)]
    assert f"{case.reference}: Referred to the housing team" in titles
    ig = make_actor(Role.IG_OFFICER, world.trust)
    document = export_subject_access(actor=ig, person_id=world.patient.pk)
    assert document["hospital_to_home"][0]["reference"] == case.reference


def test_overdue_blockers_are_escalated_once_with_a_timeline_line(world):
    case = _walk_to(world, world.refer(), CaseStatus.ACTIVE)
    blocker = services.raise_blocker(
        actor=world.officer, case_id=case.pk, category="transport", description="Ambulance", due_on=TODAY()
    )
    assert services.escalate_overdue_blockers(today=TODAY()) == []  # due today is not overdue
    tomorrow = TODAY() + dt.timedelta(days=1)
    assert [b.pk for b in services.escalate_overdue_blockers(today=tomorrow)] == [blocker.pk]
    assert services.escalate_overdue_blockers(today=tomorrow) == []  # only once
    assert case.events.filter(title__startswith="Blocker overdue, escalated").count() == 1


def test_a_follow_up_is_recorded_with_its_outcome_and_cannot_be_done_twice(world):
    case = _walk_to(world, world.refer(), CaseStatus.DISCHARGED)
    task = case.follow_ups.get(kind="welfare_call_7")
    with pytest.raises(ValidationFailed) as exc:
        services.complete_follow_up(actor=world.officer, task_id=task.pk, outcome=" ")
    assert "outcome" in exc.value.errors
    services.complete_follow_up(actor=world.officer, task_id=task.pk, outcome="Settled at home")
    with pytest.raises(ValidationFailed):
        services.complete_follow_up(actor=world.officer, task_id=task.pk, outcome="Again")


def test_the_escalate_command_runs(world):
    import typer
    from typer.testing import CliRunner

    import homeward.cli.discharge as command

    app = typer.Typer()
    command.register(app)
    result = CliRunner().invoke(app, ["discharge", "escalate", "--json"])
    assert result.exit_code == 0 and '"escalated": []' in result.output
