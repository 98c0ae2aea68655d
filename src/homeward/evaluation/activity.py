"""Activity per person per month from Homeward's own records, pseudonymised, as the engine's frames.

Which records: the analyst's own organisation's, and those of the other parties to data-sharing
agreements in force that name the analytics purpose. Keys are keyed pseudonyms (HMAC-SHA256 of the
person id with the installation's HOMEWARD_PSEUDONYM_KEY, governance.pseudonym): never an id, a name,
an NHS number or an address. People's only other columns are their age and age band.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import polars as pl
from django.utils import timezone

from homeward.core.models import Person, Tenancy
from homeward.discharge.models import Attendance, DischargeCase
from homeward.governance.access import Actor, agreements_in_force
from homeward.governance.models import SharingPurpose
from homeward.governance.pseudonym import pseudonymise
from homeward.jobs import limits
from homeward.prevention.models import HousingEvent
from homeward.support.codes import CaseKind
from homeward.support.models import Contact

TENANCY_EVENT_KINDS = ("rent", "asb", "outcomes")
READMISSION_DAYS = 30  # NHS Outcomes Framework indicator 3b: emergency readmission within 30 days
AGE_BANDS = ((0, 18, "0-17"), (18, 65, "18-64"), (65, 75, "65-74"), (75, 85, "75-84"), (85, 200, "85+"))


@dataclass(frozen=True)
class Frames:
    activity: pl.DataFrame
    people: pl.DataFrame
    organisations: list[int]


def analytics_organisations(actor: Actor) -> list[int]:
    """The actor's organisation, and the other parties to agreements in force naming analytics."""
    ids = {actor.organisation_id}
    for agreement in agreements_in_force().filter(parties=actor.organisation_id).prefetch_related("parties"):
        if agreement.allows(SharingPurpose.ANALYTICS):
            ids.update(p.pk for p in agreement.parties.all())
    return sorted(ids)


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _age_band(age: int) -> str:
    return next(label for low, high, label in AGE_BANDS if low <= age < high)


def _bed_days(counts: Counter[tuple[int, str, str]], person: int, first: dt.date, last: dt.date) -> None:
    """Nights in hospital from admission to discharge (or today), counted in the month of each night."""
    day = first
    while day < last:
        counts[person, _month(day), "bed_days"] += 1
        day += dt.timedelta(days=1)


def record_counts(organisations: list[int], today: dt.date) -> Counter[tuple[int, str, str]]:
    """(person id, month, measure) -> count, from the organisations' records."""
    counts: Counter[tuple[int, str, str]] = Counter()
    for person, arrived in Attendance.objects.filter(organisation_id__in=organisations).values_list(
        "person_id", "arrived_at"
    ):
        counts[person, _month(timezone.localtime(arrived).date()), "ae_attendances"] += 1
    last_discharge: dict[int, dt.date] = {}
    cases = DischargeCase.objects.filter(organisation_id__in=organisations).order_by("admitted_on", "pk")
    for person, admitted, discharged in cases.values_list("person_id", "admitted_on", "discharged_on"):
        counts[person, _month(admitted), "admissions"] += 1
        before = last_discharge.get(person)
        if before is not None and 0 <= (admitted - before).days <= READMISSION_DAYS:
            counts[person, _month(admitted), "readmissions"] += 1
        _bed_days(counts, person, admitted, min(discharged or today, today))
        if discharged:
            last_discharge[person] = discharged
    contacts = Contact.objects.filter(
        case__organisation_id__in=organisations, case__kind=CaseKind.SOCIAL_PRESCRIBING
    )
    for person, day in contacts.values_list("case__person_id", "occurred_on"):
        counts[person, _month(day), "link_worker_contacts"] += 1
    tenancy_counts(counts, organisations)
    return counts


def tenancy_counts(counts: Counter[tuple[int, str, str]], organisations: list[int]) -> None:
    """Tenancy events from the housing-system extracts prevention imported, on the lead tenant of the
    tenancy they name (`core.Tenancy.reference`): `arrears_episodes` (a rent week in arrears after a clear
    or missing week starts one, counted in its month), `asb_reports` and `tenancy_failures` (the extract's
    recorded "tenancy_failure" outcomes: evictions, abandonment and other ends the landlord did not plan).
    Notices seeking possession are not in the extract's schema, so they are not counted."""
    events = HousingEvent.objects.filter(organisation_id__in=organisations, kind__in=TENANCY_EVENT_KINDS)
    # Keyed by the landlord as well: a tenancy reference is the landlord's own, and two landlords may use one.
    tenants = {
        (organisation, reference): person
        for organisation, reference, person in Tenancy.objects.filter(
            property__organisation_id__in=organisations,
            reference__in=events.values("tenancy_ref"),
        ).values_list("property__organisation_id", "reference", "person_id")
    }
    arrears: dict[tuple[int, str], list[tuple[str, float]]] = {}
    rows = events.values_list("organisation_id", "kind", "tenancy_ref", "data")
    for organisation, kind, ref, data in rows.iterator(chunk_size=2000):
        tenancy = (organisation, ref)
        person = tenants.get(tenancy)
        if person is None:
            continue
        if kind == "rent":
            arrears.setdefault(tenancy, []).append(
                (str(data.get("week_start", "")), _number(data.get("balance")))
            )
        elif kind == "asb":
            counts[person, str(data.get("reported_on", ""))[:7], "asb_reports"] += 1
        elif kind == "outcomes" and data.get("outcome") == "tenancy_failure":
            counts[person, str(data.get("occurred_on", ""))[:7], "tenancy_failures"] += 1
    for tenancy, weeks in arrears.items():
        previous: dt.date | None = None
        for week, balance in sorted(weeks):
            day = dt.date.fromisoformat(week)
            if balance > 0 and (previous is None or (day - previous).days > 7):
                counts[tenants[tenancy], week[:7], "arrears_episodes"] += 1
            previous = day if balance > 0 else None


def _number(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return 0.0


def build_frames(
    actor: Actor, starts: dict[int, dt.date] | None = None, *, today: dt.date | None = None
) -> Frames:
    """The engine's `activity` (key, month, measure, count) and `people` (key, start_date, age, age_band)
    frames for every person the analytics organisations hold. `starts` (person id -> date) is the chosen
    intervention's start per person; everyone else is blank (never helped)."""
    today = today or timezone.localdate()
    organisations = analytics_organisations(actor)
    starts = starts or {}
    people = list(Person.objects.filter(organisation_id__in=organisations).values_list("pk", "date_of_birth"))
    limits.check("people", len(people), "evaluation_people", what="People in the evaluation's data")
    keys = {pk: pseudonymise(pk) for pk, _ in people}
    ages = {pk: (today - born).days // 365 for pk, born in people}
    counts = record_counts(organisations, today)
    activity = pl.DataFrame(
        {
            "key": [keys[p] for (p, _, _) in counts if p in keys],
            "month": [m for (p, m, _) in counts if p in keys],
            "measure": [k for (p, _, k) in counts if p in keys],
            "count": [float(n) for (p, _, _), n in counts.items() if p in keys],
        },
        schema={"key": pl.String, "month": pl.String, "measure": pl.String, "count": pl.Float64},
    )
    frame = pl.DataFrame(
        {
            "key": [keys[pk] for pk, _ in people],
            "start_date": [starts[pk].isoformat() if pk in starts else None for pk, _ in people],
            "age": [float(ages[pk]) for pk, _ in people],
            "age_band": [_age_band(ages[pk]) for pk, _ in people],
        },
        schema={"key": pl.String, "start_date": pl.String, "age": pl.Float64, "age_band": pl.String},
    )
    return Frames(activity=activity, people=frame, organisations=organisations)
