"""Supported housing's proposal for a business case: what the stays in the period evidence (tenancy
failure and rough sleeping avoided after a move-on; hospital and residential-care admissions avoided for
extra-care and sheltered residents), valued with the unit-cost database where it holds a cited cost.

Homeward ships no price of its own: residential care has no row in the shipped database, so its value is
0 and marked for the user to choose; the admissions rates are not observed in housing records, so they are
0 and marked for the user to enter from an evaluation. Counts and rates only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from homeward.casework.proposers import Proposal, grade_for_rate
from homeward.governance.access import Actor
from homeward.housing.codes import FollowUpResult, MoveOnDestination, SchemeType
from homeward.housing.models import FollowUp
from homeward.housing.selectors import visible_placements

#: Homeward ships no optimism-bias table (docs/cba.md): a placeholder the user must replace.
PLACEHOLDER_OPTIMISM_BIAS = 0.4
TENANCY_DESTINATIONS = (MoveOnDestination.INDEPENDENT_TENANCY, MoveOnDestination.SUPPORTED_MOVE_ON)
OLDER_PEOPLE = (SchemeType.EXTRA_CARE, SchemeType.SHELTERED)


def _unit_cost(key: str, price_year: int) -> tuple[float, dict[str, Any], list[dict[str, Any]]]:
    """A cited unit cost re-based to the price year, or (0, a note to choose one, no bearers)."""
    from homeward.core.errors import NotFound
    from homeward.outcomes.selectors import rebased_unit_cost, unit_cost

    try:
        uc = unit_cost(key)
    except NotFound:
        return 0.0, {"kind": "assumption", "text": f"To choose: no unit cost '{key}' in the database"}, []
    value = round(rebased_unit_cost(uc, price_year)["value"] or 0.0, 2)
    note = {
        "kind": "unit cost",
        "key": uc.key,
        "grade": uc.confidence_grade,
        "text": f"{uc.name}: £{uc.value} {uc.unit} at {uc.price_year} prices, re-based to {price_year}. "
        f"{uc.source}",
    }
    return value, note, list(uc.bearers)


def _outcome(
    name: str, rate: float, value: float, bearers: list[dict[str, Any]], grade: int
) -> dict[str, Any]:
    return {
        "name": name,
        "engagement_rate": 1.0,
        "success_rate": round(min(max(rate, 0.0), 1.0), 4),
        "deadweight": 0.0,
        "attribution": 1.0,
        "unit_value": value,
        "beneficiaries": bearers
        or [{"agency": "Local authority", "kind": "fiscal", "share": 1.0, "cashable": False}],
        "source": "Observed in Homeward (supported housing stays and follow-ups)",
        "confidence_grade": grade,
        "optimism_bias": PLACEHOLDER_OPTIMISM_BIAS,
        "duration_years": 1,
        "drop_off": 0.0,
    }


def propose_housing(actor: Actor, start: dt.date, end: dt.date, price_year: int) -> Proposal:
    days = (end - start).days + 1
    span = f"{start:%d %b %Y} to {end:%d %b %Y}"
    own = visible_placements(actor).filter(organisation_id=actor.organisation_id)
    left = own.filter(departed_on__gte=start, departed_on__lte=end).exclude(
        destination=MoveOnDestination.DIED
    )
    n_left = left.count()
    moved_on = left.filter(destination__in=TENANCY_DESTINATIONS)
    answered = FollowUp.objects.filter(
        placement__in=moved_on,
        result__in=(FollowUpResult.STILL_HOUSED, FollowUpResult.NOT_HOUSED, FollowUpResult.RETURNED),
    )
    # The latest answered follow-up of each person moved on into a tenancy: still housed then?
    latest: dict[int, tuple[int, str]] = {}
    for pid, months, result in answered.values_list("placement_id", "months", "result"):
        if pid not in latest or months > latest[pid][0]:
            latest[pid] = (months, result)
    housed = sum(r == FollowUpResult.STILL_HOUSED for _, r in latest.values())
    n_moved = moved_on.count()
    n_answered = len(latest)
    not_rough = left.exclude(destination=MoveOnDestination.ROUGH_SLEEPING).count()
    older = own.filter(scheme__scheme_type__in=OLDER_PEOPLE, arrived_on__lte=end).filter(
        Q(departed_on__isnull=True) | Q(departed_on__gte=start)
    )
    n_older = older.count()
    to_care = older.filter(
        departed_on__gte=start, departed_on__lte=end, destination=MoveOnDestination.CARE
    ).count()
    outcomes: list[dict[str, Any]] = []
    evidence: dict[str, dict[str, Any]] = {}

    def add(outcome: dict[str, Any], notes: dict[str, dict[str, Any]]) -> None:
        i = len(outcomes)
        outcomes.append(outcome)
        for key, note in notes.items():
            evidence[f"outcomes[{i}].{key}"] = note
        evidence[f"outcomes[{i}].optimism_bias"] = {
            "kind": "assumption",
            "text": f"Placeholder: replace with your GMCA-table optimism bias for grade "
            f"{outcome['confidence_grade']} (Homeward ships no grade defaults).",
        }
        evidence[f"outcomes[{i}].deadweight"] = {
            "kind": "assumption",
            "text": "0 until you compare with people who were not housed by the scheme: some would have "
            "kept a home anyway",
        }

    share = n_moved / n_left if n_left else 0.0
    sustained = housed / n_answered if n_answered else 0.0
    value, note, bearers = _unit_cost("eviction-into-homelessness", price_year)
    grade = grade_for_rate(n_answered)
    add(
        _outcome("Tenancy failure into homelessness avoided", share * sustained, value, bearers, grade),
        {
            "success_rate": {
                "kind": "observed",
                "text": f"{n_moved} of {n_left} people who left in {span} moved on into a tenancy or move-on "
                f"housing; of the {n_answered} with an answered follow-up, {housed} were still housed at "
                "the latest one (people who could not be contacted are left out)",
                "grade": grade,
            },
            "unit_value": note,
        },
    )
    value, note, bearers = _unit_cost("gmca-ho6-rough-sleeper-year", price_year)
    grade = grade_for_rate(n_left)
    add(
        _outcome(
            "A year of rough sleeping avoided", not_rough / n_left if n_left else 0.0, value, bearers, grade
        ),
        {
            "success_rate": {
                "kind": "observed",
                "text": f"{not_rough} of {n_left} people who left in {span} did not leave to sleep rough",
                "grade": grade,
            },
            "unit_value": note,
        },
    )
    value, note, bearers = _unit_cost("non-elective-admission", price_year)
    add(
        _outcome("Emergency hospital admissions avoided (extra care and sheltered)", 0.0, value, bearers, 6),
        {
            "success_rate": {
                "kind": "assumption",
                "text": "To enter: housing records hold no hospital admissions. Enter the admissions avoided "
                f"per resident per year from an evaluation ({n_older} extra-care and sheltered residents "
                f"in {span}).",
            },
            "unit_value": note,
        },
    )
    grade = grade_for_rate(n_older)
    add(
        _outcome(
            "Moves into residential care avoided (extra care and sheltered)",
            (n_older - to_care) / n_older if n_older else 0.0,
            0.0,
            [{"agency": "Local authority", "kind": "fiscal", "share": 1.0, "cashable": False}],
            grade,
        ),
        {
            "success_rate": {
                "kind": "observed",
                "text": f"{n_older - to_care} of {n_older} extra-care and sheltered residents in {span} did "
                "not move into residential or nursing care",
                "grade": grade,
            },
            "unit_value": {
                "kind": "assumption",
                "text": "To choose: the unit-cost database ships no residential-care cost. Add a cited one "
                "(for example your council's weekly rate) and enter it here. Homeward ships no figure.",
            },
        },
    )
    per_year = n_left * 365.0 / days
    return Proposal(
        participants_per_year=round(per_year, 2),
        participants_note=f"People who left your schemes in {span} (deaths left out), per year",
        outcomes=outcomes,
        evidence=evidence,
    )
