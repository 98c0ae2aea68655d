"""Reads of Hospital to Home cases, always through the access layer."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.models import Membership, Organisation, OrganisationKind
from homeward.core.roles import Permission, Role
from homeward.discharge.models import Blocker, DischargeCase
from homeward.governance.access import Actor, agreements_in_force, visible_case_rows
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

CASE_TYPE = "discharge.case"

#: Organisations that can run a Hospital to Home housing team.
HOUSING_KINDS = (
    OrganisationKind.HOUSING_PROVIDER,
    OrganisationKind.LOCAL_AUTHORITY,
    OrganisationKind.VOLUNTARY_SECTOR,
)


def housing_teams() -> QuerySet[Organisation]:
    """Organisations that can act on a Hospital to Home referral: a housing kind, with someone active in a
    role that works cases (not, say, an integrated care board or a care provider)."""
    workers = Membership.objects.filter(
        organisation_id=OuterRef("pk"), is_active=True, role__in=(Role.CASEWORKER, Role.TEAM_LEAD)
    )
    return Organisation.objects.filter(kind__in=HOUSING_KINDS).filter(Exists(workers))


def visible_cases(actor: Actor) -> QuerySet[DischargeCase]:
    """Cases held by the actor's organisation, plus cases it takes part in under an agreement in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return DischargeCase.objects.none()
    return visible_case_rows(DischargeCase.objects.all(), actor, CASE_TYPE)


def cases_for_aggregates(actor: Actor) -> QuerySet[DischargeCase]:
    """Cases whose counts (never rows) the actor may see on a dashboard.

    Staff who may see records count their organisation's caseload (cases it holds or is the housing team
    for) among those they can see. Commissioners and analysts (pseudonymised data
    only) count the cases of organisations that have a data-sharing agreement in force with theirs, e.g. an
    integrated care board's outcomes agreement with a trust; they never get names, rows or identifiers.
    """
    if actor.can(Permission.VIEW_PERSON):
        return visible_cases(actor).filter(caseload(actor))
    if not actor.can(Permission.VIEW_PSEUDONYMISED):
        return DischargeCase.objects.none()
    agreements = agreements_in_force().filter(parties=actor.organisation_id)
    partners = Organisation.objects.filter(agreements__in=agreements).exclude(pk=actor.organisation_id)
    return DischargeCase.objects.filter(Q(organisation__in=partners) | Q(housing_organisation__in=partners))


@transaction.atomic  # the read and its audit row commit together, or neither
def get_case(*, actor: Actor, case_id: int, purpose: str = "View Hospital to Home case") -> DischargeCase:
    case = (
        visible_cases(actor)
        .select_related(
            "person", "organisation", "housing_organisation", "hospital", "ward", "team", "assigned_to"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("No case with that id")
    record_event(actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=case, person_id=case.person_id)
    return case


OPEN_STATUSES = ("referred", "screening", "active", "ready")
WORKLIST_VIEWS = {
    "mine": "My cases",
    "team": "My team's cases",
    "overdue": "Overdue blockers",
    "ready": "Discharge-ready",
    "all": "All open cases (incl. shared with us)",
}


def caseload(actor: Actor) -> Q:
    """Cases the actor's organisation works as the trust holding them or as their housing team."""
    return Q(organisation_id=actor.organisation_id) | Q(housing_organisation_id=actor.organisation_id)


def worklist(
    *,
    actor: Actor,
    view: str = "all",
    hospital_id: int | None = None,
    ward_id: int | None = None,
    pathway: str = "",
    category: str = "",
    order: str = "ready",
) -> QuerySet[DischargeCase]:
    """Open cases for a worklist, with what each row shows computed in the one query."""
    from django.db.models import Count, DateField, IntegerField, Min, Subquery
    from django.utils import timezone

    today = timezone.localdate()
    cases = visible_cases(actor).filter(status__in=OPEN_STATUSES)
    open_blockers_of_case = Blocker.objects.filter(case=OuterRef("pk"), resolved_on__isnull=True)
    if view == "mine":
        cases = cases.filter(assigned_to=actor.user)
    elif view == "team":
        cases = cases.filter(team_id=actor.membership.team_id) if actor.membership.team_id else cases.none()
    elif view == "overdue":
        # The organisation's own caseload (it holds the case or is its housing team): an index-sized set.
        cases = cases.filter(caseload(actor), Exists(open_blockers_of_case.filter(due_on__lt=today)))
    elif view == "ready":
        cases = cases.filter(caseload(actor), discharge_ready_on__lte=today)
    if hospital_id:
        cases = cases.filter(hospital_id=hospital_id)
    if ward_id:
        cases = cases.filter(ward_id=ward_id)
    if pathway:
        cases = cases.filter(pathway=pathway)
    if category:
        cases = cases.filter(Exists(open_blockers_of_case.filter(category=category)))
    # Per-row figures as correlated subqueries, not a join and GROUP BY: PostgreSQL then works them out
    # only for the page of rows it returns (unless the list is sorted by one of them).
    per_case = open_blockers_of_case.order_by().values("case")
    cases = cases.select_related("person", "hospital", "ward", "assigned_to").annotate(
        open_blockers=Subquery(per_case.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        next_due=Subquery(per_case.annotate(d=Min("due_on")).values("d"), output_field=DateField()),
    )
    orderings: dict[str, list[Any]] = {
        "ready": [F("discharge_ready_on").asc(nulls_last=True), "pk"],
        "referred": ["-referred_at"],
        "name": ["person__family_name", "person__given_name"],
        "due": [F("next_due").asc(nulls_last=True), "pk"],
    }
    return cases.order_by(*orderings.get(order, orderings["ready"]))


def record_worklist_view(*, actor: Actor, view: str, case_ids: list[int]) -> None:
    """A worklist shows names: audit it as a search, with the cases shown."""
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose=f"Hospital to Home worklist: {view}",
        detail={"cases": case_ids},
    )


def today_items(actor: Actor) -> list[Any]:
    """Hospital to Home counts for the home page, each linking to the worklist view that lists them."""
    from django.urls import reverse
    from django.utils import timezone

    from homeward.casework.today import TodayItem
    from homeward.core.roles import Role

    if not actor.can(Permission.EDIT_PERSON):
        return []
    today = timezone.localdate()
    worklist_url = reverse("discharge:worklist")
    ours = visible_cases(actor).filter(caseload(actor), status__in=OPEN_STATUSES)
    overdue = Blocker.objects.filter(case__in=ours, resolved_on__isnull=True, due_on__lt=today)
    items = []
    if actor.role == Role.TEAM_LEAD:
        team = ours.filter(team_id=actor.membership.team_id) if actor.membership.team_id else ours
        items += [
            TodayItem(
                "Escalated blockers (past their due date)",
                overdue.filter(escalated_at__isnull=False).values("case").distinct().count(),
                f"{worklist_url}?view=overdue",
                urgent=True,
            ),
            TodayItem(
                "Open cases in my team" if actor.membership.team_id else "Open cases in our caseload",
                team.count(),
                f"{worklist_url}?view={'team' if actor.membership.team_id else 'all'}",
            ),
        ]
    else:
        mine = ours.filter(assigned_to=actor.user)
        items.append(
            TodayItem(
                "My cases with an overdue blocker",
                overdue.filter(case__in=mine).values("case").distinct().count(),
                f"{worklist_url}?view=mine",
                urgent=True,
            )
        )
    items.append(
        TodayItem(
            "Discharge-ready patients still waiting",
            ours.filter(discharge_ready_on__lte=today, discharged_on__isnull=True).count(),
            f"{worklist_url}?view=ready",
            urgent=True,
        )
    )
    return items
