"""JSON API for the records of a stay and of a scheme: needs and risk assessments and risks, the support
plan (goals and reviews), key-work sessions, incidents, departures with their follow-ups, resident
feedback, and a scheme's standards evidence (counts only). Thin handlers over the services and
selectors; operations join the housing router (`api.py`). Every read that names someone is audited
through the selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Schema, Status
from pydantic import AwareDatetime, ConfigDict, Field

from homeward.api.base import Id, InputSchema, Offset, PathId
from homeward.api.context import actor_of
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data, personal_data
from homeward.housing import assessment, feedback, keywork, operations, selectors, standards
from homeward.housing.api import SessionOut, router
from homeward.housing.codes import (
    DepartureReason,
    DomainOutcome,
    FeedbackFrom,
    FeedbackKind,
    GoalProgress,
    IncidentKind,
    MoveOnDestination,
    NeedLevel,
    OutcomeDomain,
    Readiness,
    RiskCategory,
    RiskLevel,
    RiskTo,
    SupportArea,
)
from homeward.housing.models import Incident, NeedsAssessment, Placement, PlanGoal, PlanReview, Risk

# Needs and risk assessment ------------------------------------------------------------------------------


class HousingNeedOut(Schema):
    domain: OutcomeDomain
    level: NeedLevel
    note: str


class HousingAssessmentOut(Schema):
    id: int
    assessed_on: dt.date
    assessor_id: int
    needs: list[HousingNeedOut]

    @staticmethod
    def resolve_needs(obj: NeedsAssessment) -> list[dict[str, str]]:
        return [
            {"domain": d, "level": v.get("level", ""), "note": v.get("note", "")}
            for d, v in obj.needs.items()
            if d in OutcomeDomain.values and v.get("level") in NeedLevel.values
        ]


class HousingRiskOut(Schema):
    id: int
    to_whom: RiskTo
    category: RiskCategory
    level: RiskLevel
    description: str
    mitigation: str
    identified_on: dt.date
    closed_on: dt.date | None
    closed_reason: str


class HousingAssessmentsOut(Schema):
    placement_id: int
    due_on: dt.date | None
    first_assessed_on: dt.date | None
    is_overdue: bool = Field(description="Not assessed by the scheme's due day, or assessed late")
    welfare_check_hours: int | None
    assessments: list[HousingAssessmentOut]
    risks: list[HousingRiskOut]


class HousingNeedIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    domain: OutcomeDomain
    level: NeedLevel
    note: str = Field(default="", max_length=500)


class HousingAssessmentIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    assessed_on: dt.date
    needs: list[HousingNeedIn] = Field(
        min_length=1, max_length=len(OutcomeDomain.values), description="One entry per outcome domain"
    )
    welfare_check_hours: int | None = Field(default=None, ge=1, le=168)


class HousingRiskIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"mitigation"})
    to_whom: RiskTo
    category: RiskCategory
    level: RiskLevel
    description: str = Field(max_length=500)
    mitigation: str = Field(max_length=1000)
    identified_on: dt.date


@router.get(
    "/housing/placements/{placement_id}/assessments",
    response=HousingAssessmentsOut,
    summary="A resident's needs and risk assessments and risks (audited)",
)
@personal_data("placement_id", Permission.VIEW_PERSON)
def list_housing_assessments(request: HttpRequest, placement_id: PathId) -> dict[str, Any]:
    placement = selectors.get_placement(
        actor=actor_of(request), placement_id=placement_id, purpose="View needs and risk assessments (API)"
    )
    return {
        "placement_id": placement.pk,
        "due_on": assessment.assessment_due_on(placement),
        "first_assessed_on": placement.assessed_needs_on,
        "is_overdue": assessment.is_assessment_overdue(placement),
        "welfare_check_hours": placement.welfare_check_hours,
        "assessments": list(placement.assessments.all()[:50]),
        "risks": list(placement.risks.all()[:100]),
    }


@router.post(
    "/housing/placements/{placement_id}/assessments",
    response={201: HousingAssessmentOut},
    summary="Record a needs and risk assessment",
)
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def record_housing_assessment(
    request: HttpRequest, placement_id: PathId, payload: HousingAssessmentIn
) -> Status[NeedsAssessment]:
    domains = [n.domain for n in payload.needs]
    if len(set(domains)) != len(domains):
        raise ValidationFailed.single("needs", "Give each outcome domain once")
    return Status(
        201,
        assessment.record_assessment(
            actor=actor_of(request),
            placement_id=placement_id,
            assessed_on=payload.assessed_on,
            needs={str(n.domain): str(n.level) for n in payload.needs},
            notes={str(n.domain): n.note for n in payload.needs},
            welfare_check_hours=payload.welfare_check_hours,
        ),
    )


@router.post(
    "/housing/placements/{placement_id}/risks",
    response={201: HousingRiskOut},
    summary="Record a risk and how it is managed",
)
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def record_housing_risk(request: HttpRequest, placement_id: PathId, payload: HousingRiskIn) -> Status[Risk]:
    return Status(
        201, assessment.add_risk(actor=actor_of(request), placement_id=placement_id, **payload.model_dump())
    )


class HousingRiskCloseIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"reason"})
    on: dt.date
    reason: str = Field(min_length=1, max_length=500, description="Why the risk is closed")


@router.post(
    "/housing/placements/{placement_id}/risks/{housing_risk_id}/close",
    response=HousingRiskOut,
    summary="Close a risk, with the date and the reason",
)
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def close_housing_risk(
    request: HttpRequest, placement_id: PathId, housing_risk_id: PathId, payload: HousingRiskCloseIn
) -> Risk:
    return assessment.close_risk(
        actor=actor_of(request), placement_id=placement_id, risk_id=housing_risk_id, **payload.model_dump()
    )


# Support plan: goals and reviews ------------------------------------------------------------------------


class HousingGoalOut(Schema):
    id: int
    area: SupportArea
    description: str
    target_on: dt.date | None
    progress: GoalProgress
    progress_on: dt.date | None
    set_on: dt.date


class HousingReviewOut(Schema):
    id: int
    reviewed_on: dt.date
    summary: str
    readiness: Readiness
    next_review_on: dt.date
    outcomes: dict[str, str] = Field(description="Outcome domain -> how far its need was met")


class HousingPlanOut(Schema):
    placement_id: int
    agreed_on: dt.date | None = Field(description="The day the first goal was agreed")
    due_on: dt.date | None
    is_overdue: bool
    next_review_on: dt.date | None
    is_review_overdue: bool
    readiness: Readiness
    move_on_plan: str
    goals: list[HousingGoalOut]
    reviews: list[HousingReviewOut]


class HousingGoalIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"description"})
    area: SupportArea
    description: str = Field(min_length=1, max_length=500)
    target_on: dt.date | None = None
    set_on: dt.date | None = Field(default=None, description="Default today")


class HousingDomainOutcomeIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    domain: OutcomeDomain
    outcome: DomainOutcome


class HousingReviewIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"summary", "move_on_plan"})
    non_blank = frozenset({"summary"})
    reviewed_on: dt.date
    summary: str = Field(min_length=1, max_length=2000)
    readiness: Readiness
    next_review_on: dt.date
    move_on_plan: str = Field(default="", max_length=2000)
    outcomes: list[HousingDomainOutcomeIn] = Field(default=[], max_length=len(OutcomeDomain.values))


@router.get(
    "/housing/placements/{placement_id}/plan",
    response=HousingPlanOut,
    summary="A resident's support plan: goals, reviews and what is due (audited)",
)
@personal_data("placement_id", Permission.VIEW_PERSON)
def get_housing_plan(request: HttpRequest, placement_id: PathId) -> dict[str, Any]:
    placement = selectors.get_placement(
        actor=actor_of(request), placement_id=placement_id, purpose="View a support plan (API)"
    )
    return {
        "placement_id": placement.pk,
        "agreed_on": placement.plan_agreed_on,
        "due_on": keywork.plan_due_on(placement),
        "is_overdue": assessment.is_plan_overdue(placement),
        "next_review_on": keywork.next_review_due(placement),
        "is_review_overdue": assessment.is_review_overdue(placement),
        "readiness": placement.readiness,
        "move_on_plan": placement.move_on_plan,
        "goals": list(placement.goals.all()[:100]),
        "reviews": list(placement.reviews.all()[:50]),
    }


@router.post(
    "/housing/placements/{placement_id}/goals",
    response={201: HousingGoalOut},
    summary="Agree a support plan goal (the first one agrees the plan)",
)
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def add_housing_goal(request: HttpRequest, placement_id: PathId, payload: HousingGoalIn) -> Status[PlanGoal]:
    return Status(
        201, keywork.add_goal(actor=actor_of(request), placement_id=placement_id, **payload.model_dump())
    )


class HousingGoalProgressIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    progress: GoalProgress = Field(description="met (attained), partly_met, not_met, or working / agreed")
    on: dt.date = Field(description="The day the progress was judged")


@router.post(
    "/housing/placements/{placement_id}/goals/{housing_goal_id}/progress",
    response=HousingGoalOut,
    summary="Record how far a support plan goal has got",
)
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def record_housing_goal_progress(
    request: HttpRequest, placement_id: PathId, housing_goal_id: PathId, payload: HousingGoalProgressIn
) -> PlanGoal:
    return keywork.update_goal(
        actor=actor_of(request), placement_id=placement_id, goal_id=housing_goal_id, **payload.model_dump()
    )


@router.post(
    "/housing/placements/{placement_id}/reviews",
    response={201: HousingReviewOut},
    summary="Review the support plan",
)
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def review_housing_plan(
    request: HttpRequest, placement_id: PathId, payload: HousingReviewIn
) -> Status[PlanReview]:
    data = payload.model_dump()
    data["outcomes"] = {str(o["domain"]): str(o["outcome"]) for o in data["outcomes"]}
    return Status(201, keywork.record_review(actor=actor_of(request), placement_id=placement_id, **data))


# Key-work sessions --------------------------------------------------------------------------------------


class HousingPageQuery(InputSchema):
    limit: int = Field(default=50, ge=1, le=200)
    offset: Offset = 0


@router.get(
    "/housing/placements/{placement_id}/sessions",
    response=list[SessionOut],
    summary="A resident's key-work sessions, latest first (audited)",
)
@personal_data("placement_id", Permission.VIEW_PERSON)
def list_housing_sessions(
    request: HttpRequest, placement_id: PathId, page: Query[HousingPageQuery]
) -> list[Any]:
    placement = selectors.get_placement(
        actor=actor_of(request), placement_id=placement_id, purpose="View key-work sessions (API)"
    )
    return list(placement.sessions.all()[page.offset : page.offset + page.limit])


# A scheme's records: incidents, departures, standards evidence ------------------------------------------


class HousingPeriodQuery(InputSchema):
    start: dt.date | None = Field(default=None, description="First day (default a year before `end`)")
    end: dt.date | None = Field(default=None, description="Last day, included (default today)")

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        end = self.end or today
        start = self.start or end - dt.timedelta(days=364)
        errors = standards.check_period(start, end, today)
        if errors:
            raise ValidationFailed({"end" if "to" in errors else "start": next(iter(errors.values()))})
        return start, end


class HousingPeriodPageQuery(HousingPeriodQuery):
    limit: int = Field(default=50, ge=1, le=200)
    offset: Offset = 0


class HousingIncidentOut(Schema):
    id: int
    occurred_at: dt.datetime
    kind: IncidentKind
    description: str
    action_taken: str
    resident_ids: list[int] = Field(description="Placements of the residents involved")
    others_involved: str
    is_safeguarding: bool
    police_called: bool
    ambulance_called: bool
    safeguarding_alerted_at: dt.datetime | None
    reviewed_on: dt.date | None
    review_note: str

    @staticmethod
    def resolve_resident_ids(obj: Incident) -> list[int]:
        return sorted(p.pk for p in obj.residents.all())


class HousingIncidentIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"description", "action_taken"})
    occurred_at: AwareDatetime
    kind: IncidentKind
    description: str = Field(
        default="", max_length=4000, description="Required; a safeguarding incident is refused without it"
    )
    action_taken: str = Field(max_length=2000)
    resident_ids: list[Id] = Field(default=[], max_length=100)
    others_involved: str = Field(default="", max_length=500)
    is_safeguarding: bool = False
    police_called: bool = False
    ambulance_called: bool = False


class HousingFollowUpOut(Schema):
    months: int
    due_on: dt.date
    done_on: dt.date | None
    result: str


class HousingDepartureOut(Schema):
    placement_id: int
    reference: str
    person_id: int
    arrived_on: dt.date | None
    departed_on: dt.date
    reason: DepartureReason
    destination: MoveOnDestination
    note: str
    follow_ups: list[HousingFollowUpOut]

    @staticmethod
    def resolve_placement_id(obj: Placement) -> int:
        return obj.pk

    @staticmethod
    def resolve_reason(obj: Placement) -> str:
        return obj.departure_reason

    @staticmethod
    def resolve_note(obj: Placement) -> str:
        return obj.departure_note

    @staticmethod
    def resolve_follow_ups(obj: Placement) -> list[Any]:
        return list(obj.follow_ups.all())


class HousingEvidenceOut(Schema):
    key: str
    label: str
    count: int | None
    of: int | None
    share: float | None
    text: str
    held: bool = Field(description="False: Homeward keeps no record that could evidence this")
    note: str


class HousingStandardOut(Schema):
    key: str
    title: str
    asks: str
    evidence: list[HousingEvidenceOut]


class HousingStandardsOut(Schema):
    scheme_id: int
    scheme: str
    start: dt.date
    end: dt.date
    source: str
    standards: list[HousingStandardOut]


@router.get(
    "/housing/schemes/{scheme_id}/incidents",
    response=list[HousingIncidentOut],
    summary="A scheme's incidents in a period, latest first (audited)",
)
@personal_data("scheme_id", Permission.VIEW_PERSON, reach="own")
def list_housing_incidents(
    request: HttpRequest, scheme_id: PathId, filters: Query[HousingPeriodPageQuery]
) -> list[Any]:
    start, end = filters.period()
    return selectors.scheme_incidents(
        actor=actor_of(request),
        scheme_id=scheme_id,
        start=start,
        end=end,
        limit=filters.limit,
        offset=filters.offset,
    )


@router.post(
    "/housing/schemes/{scheme_id}/incidents",
    response={201: HousingIncidentOut},
    summary="Record an incident (safeguarding tells the lead at once, a link only)",
)
@personal_data("scheme_id", Permission.EDIT_PERSON, reach="own")
def record_housing_incident(
    request: HttpRequest, scheme_id: PathId, payload: HousingIncidentIn
) -> Status[Incident]:
    data = payload.model_dump()
    data["placement_ids"] = data.pop("resident_ids")
    return Status(201, operations.record_incident(actor=actor_of(request), scheme_id=scheme_id, **data))


@router.get(
    "/housing/schemes/{scheme_id}/departures",
    response=list[HousingDepartureOut],
    summary="Who left a scheme in a period, how and where to, with follow-ups (audited)",
)
@personal_data("scheme_id", Permission.VIEW_PERSON, reach="own")
def list_housing_departures(
    request: HttpRequest, scheme_id: PathId, filters: Query[HousingPeriodPageQuery]
) -> list[Placement]:
    start, end = filters.period()
    return selectors.scheme_departures(
        actor=actor_of(request),
        scheme_id=scheme_id,
        start=start,
        end=end,
        limit=filters.limit,
        offset=filters.offset,
    )


@router.get(
    "/housing/schemes/{scheme_id}/standards",
    response=HousingStandardsOut,
    summary="A scheme's standards evidence for a period: counts only (export, audited)",
)
@no_personal_data("Counts and shares of a scheme's records for each standard; nobody is named")
def export_housing_standards(
    request: HttpRequest, scheme_id: PathId, filters: Query[HousingPeriodQuery]
) -> dict[str, Any]:
    """The provider's own staff, or the commissioning organisation (a council licensing officer)."""
    actor = actor_of(request)
    scheme = selectors.scheme_for_standards(actor=actor, scheme_id=scheme_id)
    if scheme is None:
        raise NotFound("No scheme with that id")
    start, end = filters.period()
    evidence = standards.standards_evidence(scheme, start, end)
    selectors.record_standards_export(actor=actor, scheme=scheme, start=start, end=end, fmt="api")
    exported = standards.as_json(scheme, start, end, evidence)
    return {
        "scheme_id": scheme.pk,
        "scheme": scheme.name,
        "start": start,
        "end": end,
        "source": exported["source"],
        "standards": exported["standards"],
    }


# Resident feedback --------------------------------------------------------------------------------------


class HousingFeedbackOut(Schema):
    id: int
    received_on: dt.date
    kind: FeedbackKind
    from_whom: FeedbackFrom
    placement_id: int | None = Field(description="The resident who gave it, if they chose to be named")
    summary: str
    action_taken: str


class HousingFeedbackIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"summary", "action_taken"})
    received_on: dt.date
    kind: FeedbackKind
    from_whom: FeedbackFrom
    placement_id: Id | None = None
    summary: str = Field(max_length=2000)
    action_taken: str = Field(max_length=2000, description="What was done about it")


@router.get(
    "/housing/schemes/{scheme_id}/feedback",
    response=list[HousingFeedbackOut],
    summary="Resident feedback about a scheme in a period, latest first (audited)",
)
@personal_data("scheme_id", Permission.VIEW_PERSON, reach="own")
def list_housing_feedback(
    request: HttpRequest, scheme_id: PathId, filters: Query[HousingPeriodPageQuery]
) -> list[Any]:
    start, end = filters.period()
    return selectors.scheme_feedback(
        actor=actor_of(request),
        scheme_id=scheme_id,
        start=start,
        end=end,
        limit=filters.limit,
        offset=filters.offset,
    )


@router.post(
    "/housing/schemes/{scheme_id}/feedback",
    response={201: HousingFeedbackOut},
    summary="Record a compliment, suggestion or complaint and what was done",
)
@personal_data("scheme_id", Permission.EDIT_PERSON, reach="own")
def record_housing_feedback(
    request: HttpRequest, scheme_id: PathId, payload: HousingFeedbackIn
) -> Status[Any]:
    return Status(
        201, feedback.record_feedback(actor=actor_of(request), scheme_id=scheme_id, **payload.model_dump())
    )
