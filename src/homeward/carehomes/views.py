"""Care-home pages: the provider's homes, a home's residents, a resident's page (plan, observations, triage
calls and their outcomes), and the forms that record them. Thin: parse, call a service or selector, render.
Writing is for the home's own organisation: to anyone else a form is absent (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homeward.carehomes import clinical, hospital, protocols, selectors, services, visits
from homeward.carehomes.charts import observation_chart_spec
from homeward.carehomes.forms import (
    AdmitForm,
    DeathForm,
    EmergencyCallForm,
    HomeAssessmentForm,
    HospitalCaseForm,
    ObservationForm,
    PlanForm,
    TransferForm,
    TriageForm,
    VisitForm,
)
from homeward.carehomes.models import CareHome, Resident
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.discharge.selectors import OPEN_STATUSES, visible_cases
from homeward.governance.routes import no_personal_data, personal_data
from homeward.people.selectors import get_person
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form

EDIT_REFUSAL = "Your role cannot change care home records"


def resident_or_404(
    request: ActorRequest, resident_id: int, purpose: str = "View care home resident"
) -> Resident:
    try:
        return selectors.get_resident(actor=request.actor, resident_id=resident_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def own_resident_or_404(request: ActorRequest, resident_id: int, purpose: str) -> Resident:
    """A resident of one of the actor's organisation's homes (the only ones it may write about)."""
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    resident = resident_or_404(request, resident_id, purpose)
    if resident.home.organisation_id != request.actor.organisation_id:
        raise Http404("No care home resident with that id")
    return resident


@actor_required
@no_personal_data("the organisation's own homes and their counts, no names")
def homes(request: ActorRequest) -> HttpResponse:
    rows = [
        {"home": home, "residents": home.residents.filter(left_on__isnull=True).count()}
        for home in selectors.own_homes(request.actor)[:100]
    ]
    can_add = request.actor.can(Permission.EDIT_PERSON) and request.actor.organisation.kind == "care_provider"
    context = {
        "rows": rows,
        "can_add": can_add,
        "can_choose_scheme": request.actor.can(Permission.MANAGE_ORGANISATION),
    }
    return render(request, "carehomes/homes.html", context)


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def home(request: ActorRequest, home_id: int) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role cannot see residents")
    residents = list(selectors.residents_of_home(actor=request.actor, home_id=home_id)[:200])
    found = CareHome.objects.filter(pk=home_id).first()
    if found is None or (found.organisation_id != request.actor.organisation_id and not residents):
        raise Http404("No care home with that id")
    deteriorating = selectors.deterioration_list(actor=request.actor, home_id=home_id)
    shown = [r.pk for r in residents] + [o.resident_id for o in deteriorating]
    selectors.record_list_view(
        actor=request.actor, purpose="Care home residents", resident_ids=list(dict.fromkeys(shown))
    )
    today = timezone.localdate()
    rows = [
        {"resident": r, "room": selectors.current_room(r, today), "plan": selectors.current_plan(r)}
        for r in residents
    ]
    recent = list(selectors.visits_of_home(actor=request.actor, home_id=home_id)[:10])
    own_protocols = []
    if found.organisation_id == request.actor.organisation_id:
        own_protocols = list(found.protocols.select_related("assessor_organisation")[:50])
        for protocol in own_protocols:
            protocol.in_force = protocol.is_in_force(today)  # type: ignore[attr-defined]
    context = {
        "home": found,
        "rows": rows,
        "today": today,
        "visits": recent,
        "protocols": own_protocols,
        "deteriorating": deteriorating,
        "deterioration_hours": selectors.DETERIORATION_HOURS,
        "can_edit": request.actor.can(Permission.EDIT_PERSON),
    }
    return render(request, "carehomes/home.html", context)


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON, reach="own")
def admit(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Admit to a care home")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if person.organisation_id != request.actor.organisation_id:
        raise Http404("No person with that id held by your organisation")
    cases = visible_cases(request.actor).filter(person_id=person.pk, status__in=OPEN_STATUSES)
    form = AdmitForm(request.POST or None, homes=selectors.own_homes(request.actor), cases=cases)
    resident = save_form(
        request,
        form,
        lambda _: services.admit_resident(
            actor=request.actor, person_id=person.pk, **form.cleaned_for_service()
        ),
        rename={
            "home_id": "home",
            "room_id": "room",
            "gp_practice_id": "gp_practice",
            "discharge_case_id": "discharge_case",
        },
    )
    if resident is not None:
        messages.info(request, f"{person.full_name} moved into {resident.home.name}")
        return redirect("carehomes:resident", resident_id=resident.pk)
    return render_form(
        request,
        "carehomes/form.html",
        {"form": form, "person": person, "title": "Move into a care home", "submit": "Save"},
    )


@actor_required
@personal_data("resident_id", Permission.VIEW_PERSON)
def resident(request: ActorRequest, resident_id: int) -> HttpResponse:
    found = resident_or_404(request, resident_id)
    now = timezone.now()
    calls = [
        {
            "call": c,
            "early": selectors.triage_outcome(c, now, hours=selectors.EARLY_HOURS),
            "outcome": selectors.triage_outcome(c, now),
        }
        for c in selectors.triage_calls_of(found)[:50]
    ]
    chart = selectors.observation_chart(found)
    is_hospital = found.transfers.filter(
        hospital_organisation_id=request.actor.organisation_id, admitted=True
    ).exists()
    context = {
        "resident": found,
        "room": selectors.current_room(found),
        "plan": selectors.current_plan(found),
        "observations": selectors.observations_of(found)[:20],
        "calls": calls,
        "transfers": found.transfers.all()[:20],
        "emergency_calls": found.emergency_calls.all()[:20],
        "specs": {"observations": spec} if (spec := observation_chart_spec(chart)) else {},
        "is_hospital": is_hospital and request.actor.can(Permission.EDIT_PERSON),
        "is_home": found.home.organisation_id == request.actor.organisation_id,
        "window_hours": int(selectors.follow_up_window().total_seconds() // 3600),
    }
    return render(request, "carehomes/resident.html", context)


def _record(
    request: ActorRequest,
    resident_id: int,
    form_class: type,
    save: Callable[[Resident, dict[str, Any]], object],
    title: str,
    done: str,
    rename: dict[str, str] | None = None,
    **form_kwargs: Any,
) -> HttpResponse:
    found = own_resident_or_404(request, resident_id, purpose=title)
    extra = {key: value(found) for key, value in form_kwargs.items()}
    form = form_class(request.POST or None, **extra)
    result = save_form(
        request,
        form,
        lambda _: save(
            found,
            form.cleaned_for_service() if hasattr(form, "cleaned_for_service") else dict(form.cleaned_data),
        ),
        rename,
    )
    if result is not None:
        messages.info(request, done)
        return redirect("carehomes:resident", resident_id=found.pk)
    return render_form(
        request,
        "carehomes/form.html",
        {"form": form, "person": found.person, "resident": found, "title": title, "submit": "Save"},
    )


@actor_required
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_home_assessment(request: ActorRequest, resident_id: int) -> HttpResponse:
    return _record(
        request,
        resident_id,
        HomeAssessmentForm,
        lambda r, data: protocols.record_home_assessment(actor=request.actor, resident_id=r.pk, **data),
        "Record the home's pre-admission assessment",
        "The home's assessment is recorded",
    )


@actor_required
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_plan(request: ActorRequest, resident_id: int) -> HttpResponse:
    return _record(
        request,
        resident_id,
        PlanForm,
        lambda r, data: services.record_plan(actor=request.actor, resident_id=r.pk, **data),
        "Record an advance care plan",
        "Advance care plan recorded",
    )


@actor_required
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_observations(request: ActorRequest, resident_id: int) -> HttpResponse:
    return _record(
        request,
        resident_id,
        ObservationForm,
        lambda r, data: clinical.record_observations(actor=request.actor, resident_id=r.pk, **data),
        "Record observations",
        "Observations recorded",
        rename={"taken_at": "taken_on"},
    )


@actor_required
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_triage(request: ActorRequest, resident_id: int) -> HttpResponse:
    return _record(
        request,
        resident_id,
        TriageForm,
        lambda r, data: clinical.record_triage(actor=request.actor, resident_id=r.pk, **data),
        "Record a triage call",
        "Triage call recorded",
        rename={
            "called_at": "called_on",
            "observation_id": "observation",
            "clinician_organisation_id": "clinician_organisation",
        },
        observations=lambda r: selectors.observations_of(r)[:20],
    )


@actor_required
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_transfer(request: ActorRequest, resident_id: int) -> HttpResponse:
    return _record(
        request,
        resident_id,
        TransferForm,
        lambda r, data: clinical.record_transfer(actor=request.actor, resident_id=r.pk, **data),
        "Record a hospital transfer",
        "Hospital transfer recorded",
        rename={"left_at": "left_on", "hospital_organisation_id": "hospital_organisation"},
    )


@actor_required
@personal_data("home_id", Permission.EDIT_PERSON, reach="own")
def record_visit(request: ActorRequest, home_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    found = selectors.own_homes(request.actor).filter(pk=home_id).first()
    if found is None:
        raise Http404("No care home with that id")
    form = VisitForm(
        request.POST or None, residents=selectors.residents_of_home(actor=request.actor, home_id=found.pk)
    )
    visit = save_form(
        request,
        form,
        lambda _: visits.record_visit(actor=request.actor, home_id=found.pk, **form.cleaned_for_service()),
        rename={"resident_ids": "residents"},
    )
    if visit is not None:
        messages.info(request, "Visit recorded")
        return redirect("carehomes:home", home_id=found.pk)
    return render_form(request, "carehomes/visit.html", {"form": form, "home": found})


@actor_required
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_emergency_call(request: ActorRequest, resident_id: int) -> HttpResponse:
    return _record(
        request,
        resident_id,
        EmergencyCallForm,
        lambda r, data: clinical.record_emergency_call(actor=request.actor, resident_id=r.pk, **data),
        "Record a 999 call",
        "999 call recorded",
        rename={"called_at": "called_on"},
    )


@actor_required
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_death(request: ActorRequest, resident_id: int) -> HttpResponse:
    return _record(
        request,
        resident_id,
        DeathForm,
        lambda r, data: clinical.record_death(actor=request.actor, resident_id=r.pk, **data),
        "Record a death",
        "Death recorded",
    )


@actor_required
@personal_data("resident_id", Permission.EDIT_PERSON)
def open_hospital_case(request: ActorRequest, resident_id: int) -> HttpResponse:
    """The admitting trust opens the Hospital to Home case for an admission (the home takes part)."""
    from homeward.core.models import Hospital
    from homeward.discharge.selectors import housing_teams
    from homeward.governance.access import partners_in_force

    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    found = resident_or_404(request, resident_id, "Open a Hospital to Home case")
    transfers = [t for t in hospital.admissions_to(request.actor) if t.resident_id == found.pk]
    form = HospitalCaseForm(
        request.POST or None,
        transfers=transfers,
        hospitals=Hospital.objects.filter(organisation_id=request.actor.organisation_id)[:100],
        housing=housing_teams().filter(pk__in=partners_in_force(request.actor.organisation_id))[:100],
    )
    case = save_form(
        request,
        form,
        lambda _: hospital.open_hospital_case(actor=request.actor, **form.cleaned_for_service()),
        rename={
            "transfer_id": "transfer",
            "hospital_id": "hospital",
            "housing_organisation_id": "housing_organisation",
        },
    )
    if case is not None:
        messages.info(request, f"{case.reference} opened; {found.home.name} takes part")
        return redirect("discharge:case", case_id=case.pk)
    context = {
        "form": form,
        "person": found.person,
        "resident": found,
        "title": "Open a Hospital to Home case",
        "submit": "Open the case",
        "empty": "" if transfers else "No admission of this resident to your trust is waiting for a case.",
    }
    return render_form(request, "carehomes/form.html", context)


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def deteriorating(request: ActorRequest, home_id: int) -> HttpResponse:
    """The home's deterioration list on its own (the page a carer keeps open on a tablet)."""
    need(request, Permission.VIEW_PERSON, "Your role cannot see residents")
    found = CareHome.objects.filter(pk=home_id).first()
    rows = selectors.deterioration_list(actor=request.actor, home_id=home_id)
    if found is None or (found.organisation_id != request.actor.organisation_id and not rows):
        raise Http404("No care home with that id")
    selectors.record_list_view(
        actor=request.actor,
        purpose="Care home deterioration list",
        resident_ids=list(dict.fromkeys(o.resident_id for o in rows)),
    )
    context = {"home": found, "deteriorating": rows, "deterioration_hours": selectors.DETERIORATION_HOURS}
    return render(request, "carehomes/deteriorating.html", context)


@actor_required
@personal_data("resident_id", Permission.VIEW_PERSON)
def chart(request: ActorRequest, resident_id: int) -> HttpResponse:
    """A resident's observations over the last 30 days: the trend chart and the same figures as a table."""
    found = resident_or_404(request, resident_id, "View observation chart")
    observations = selectors.observation_chart(found)
    spec = observation_chart_spec(observations)
    context = {
        "resident": found,
        "observations": observations[::-1],
        "specs": {"observations": spec} if spec else {},
    }
    return render(request, "carehomes/chart.html", context)
