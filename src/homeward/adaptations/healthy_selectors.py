"""Reads of home visits and Awaab's Law reports, always through the access layer (a visit or report the
actor may not see is NotFound), and the clocks of a report as `engines.hhsrs.awaab` works them out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from homeward.adaptations.healthy_models import AwaabReport, HazardFinding, HomeVisit
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.engines.hhsrs.awaab import (
    AwaabCase,
    AwaabHazard,
    Clock,
    ClockSummary,
    Evidence,
    EvidenceKind,
    awaab_clocks,
    summarise_clocks,
)
from homeward.governance.access import Actor, shared_participations
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

VISIT_TYPE = "adaptations.visit"
AWAAB_TYPE = "adaptations.awaab"
#: Reports the landlord's dashboard works clocks out for at once (the newest first; the rest are paged).
DASHBOARD_LIMIT = 500


def _visible(actor: Actor, model: type[HomeVisit] | type[AwaabReport], case_type: str) -> QuerySet:  # type: ignore[type-arg]
    if not actor.can(Permission.VIEW_PERSON):
        return model.objects.none()
    shared = shared_participations(actor.organisation_id).filter(case_type=case_type, case_id=OuterRef("pk"))
    return model.objects.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


def visible_visits(actor: Actor) -> QuerySet[HomeVisit]:
    """Visits made by the actor's organisation, plus visits it takes part in under an agreement in force."""
    return _visible(actor, HomeVisit, VISIT_TYPE)


def visible_reports(actor: Actor) -> QuerySet[AwaabReport]:
    """Awaab's Law reports held by the actor's organisation, plus those shared under an agreement."""
    return _visible(actor, AwaabReport, AWAAB_TYPE)


@transaction.atomic
def get_visit(*, actor: Actor, visit_id: int, purpose: str = "View home visit") -> HomeVisit:
    visit = (
        visible_visits(actor)
        .select_related("person", "organisation", "visited_by", "case")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise NotFound("No home visit with that id")
    record_event(actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=visit, person_id=visit.person_id)
    return visit


@transaction.atomic
def get_report(*, actor: Actor, report_id: int, purpose: str = "View Awaab's Law report") -> AwaabReport:
    report = (
        visible_reports(actor)
        .select_related("person", "organisation", "opened_by")
        .prefetch_related("evidence")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound("No Awaab's Law report with that id")
    record_event(
        actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=report, person_id=report.person_id
    )
    return report


def visits(actor: Actor) -> QuerySet[HomeVisit]:
    """The visits list: newest first, with the person and counts the row shows."""
    return visible_visits(actor).select_related("person").order_by("-visited_on", "-pk")


def category_1_findings(actor: Actor) -> QuerySet[HazardFinding]:
    """Every Category 1 hazard not yet removed on the visits the actor may see, highest score first."""
    return (
        HazardFinding.objects.filter(visit__in=visible_visits(actor), category=1, removed_on__isnull=True)
        .select_related("visit", "visit__person")
        .order_by("-score", "pk")
    )


def record_list_view(*, actor: Actor, purpose: str, ids: list[int]) -> None:
    """A list shows names: audit it as a search, with the records shown."""
    record_event(actor=actor, action=AuditAction.SEARCH, purpose=purpose, detail={"records": ids})


def engine_case(report: AwaabReport) -> AwaabCase:
    """The report as the engine's input (the evidence prefetched or read)."""
    return AwaabCase(
        hazard=AwaabHazard(report.hazard),
        aware_at=report.aware_at,
        investigation_concluded_at=report.investigation_concluded_at,
        hazard_found=report.hazard_found,
        summary_sent_at=report.summary_sent_at,
        safety_work_done_at=report.safety_work_done_at,
        further_works_begun_at=report.further_works_begun_at,
        further_works_started_at=report.further_works_started_at,
        evidence=[Evidence(kind=EvidenceKind(e.kind), at=e.at, note=e.note) for e in report.evidence.all()],
    )


def report_clocks(report: AwaabReport, *, now: dt.datetime | None = None) -> list[Clock]:
    return awaab_clocks(engine_case(report), now=now or timezone.now())


@dataclass(frozen=True)
class ReportRow:
    report: AwaabReport
    clocks: list[Clock]

    @property
    def breached(self) -> list[Clock]:
        return [c for c in self.clocks if c.is_breached]

    @property
    def next_due(self) -> Clock | None:
        open_clocks = [c for c in self.clocks if c.status.value == "open" and c.due_at is not None]
        return min(open_clocks, key=lambda c: c.due_at or timezone.now()) if open_clocks else None


@dataclass(frozen=True)
class Dashboard:
    rows: list[ReportRow]
    summary: ClockSummary
    total: int
    limited: bool


def awaab_dashboard(actor: Actor, *, view: str = "all", now: dt.datetime | None = None) -> Dashboard:
    """The landlord's dashboard: its reports (newest `DASHBOARD_LIMIT`) with every clock from the engine,
    and the counts of clocks met, breached, open and stopped. `view` "breached" or "open" keeps the reports
    with a breached or an open clock."""
    now = now or timezone.now()
    reports = (
        visible_reports(actor)
        .filter(organisation_id=actor.organisation_id)
        .select_related("person")
        .prefetch_related("evidence")
        .order_by("-aware_at", "-pk")
    )
    total = reports.count()
    rows = [ReportRow(r, report_clocks(r, now=now)) for r in reports[:DASHBOARD_LIMIT]]
    summary = summarise_clocks(c for row in rows for c in row.clocks)
    if view == "breached":
        rows = [row for row in rows if row.breached]
    elif view == "open":
        rows = [row for row in rows if row.next_due is not None]
    return Dashboard(rows, summary, total, total > DASHBOARD_LIMIT)
