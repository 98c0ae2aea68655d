"""Pages about a provider's homes themselves (no names): add a home, add a room, and a home's KPIs by month.
Only a care provider's own staff who may edit records add homes and rooms; bad input re-renders (400) with
the error summary and what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homeward.carehomes import bands, protocols, scoring, selectors, services
from homeward.carehomes.bands_forms import BandsForm
from homeward.carehomes.forms import EndProtocolForm, HomeForm, ProtocolForm, RoomForm, SchemeForm
from homeward.carehomes.kpis import carehome_kpis
from homeward.carehomes.models import AssessmentProtocol, CareHome, EarlyWarningScheme
from homeward.casework.kpis import months_back
from homeward.core.errors import ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data
from homeward.web.views import ActorRequest, actor_required, add_errors, need, render_form, save_form

REFUSAL = "Your role cannot add care homes or rooms"


def own_home_or_404(request: ActorRequest, home_id: int) -> CareHome:
    found = selectors.own_homes(request.actor).filter(pk=home_id).first()
    if found is None:
        raise Http404("No care home with that id")
    return found


@actor_required
@no_personal_data("a care home's name, kind and address: no person's data")
def new_home(request: ActorRequest) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL, hide=False)
    if request.actor.organisation.kind != OrganisationKind.CARE_PROVIDER:
        raise PermissionDenied("Only a care provider runs care homes")
    form = HomeForm(request.POST or None)
    home = save_form(request, form, lambda data: services.create_home(actor=request.actor, **data))
    if home is not None:
        messages.info(request, f"{home.name} added")
        return redirect("carehomes:home", home_id=home.pk)
    return render_form(request, "carehomes/home_form.html", {"form": form, "title": "Add a care home"})


@actor_required
@no_personal_data("a room's name in the organisation's own home: no person's data")
def new_room(request: ActorRequest, home_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL, hide=False)
    found = own_home_or_404(request, home_id)
    form = RoomForm(request.POST or None)
    room = save_form(
        request, form, lambda data: services.add_room(actor=request.actor, home_id=found.pk, **data)
    )
    if room is not None:
        messages.info(request, f"Room {room.name} added")
        return redirect("carehomes:home", home_id=found.pk)
    rooms = list(found.rooms.all()[:500])
    context = {"form": form, "home": found, "rooms": rooms, "title": f"Add a room to {found.name}"}
    return render_form(request, "carehomes/home_form.html", context)


@actor_required
@no_personal_data("counts and rates by month for the organisation's own home, no names")
def home_kpis(request: ActorRequest, home_id: int) -> HttpResponse:
    found = own_home_or_404(request, home_id)
    months = months_back(timezone.localdate())
    kpis = carehome_kpis(request.actor, months, home_id=found.pk)
    return render(
        request,
        "carehomes/kpis.html",
        {"home": found, "kpis": kpis, "months": [f"{a:%Y-%m}" for a, _ in months]},
    )


@actor_required
@no_personal_data("the organisations whose trusted assessments the organisation's own home accepts")
def new_protocol(request: ActorRequest, home_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL, hide=False)
    found = own_home_or_404(request, home_id)
    form = ProtocolForm(request.POST or None, organisation_id=found.organisation_id)
    protocol = save_form(
        request,
        form,
        lambda _: protocols.agree_protocol(
            actor=request.actor, home_id=found.pk, **form.cleaned_for_service()
        ),
        rename={"assessor_organisation_id": "assessor_organisation"},
    )
    if protocol is not None:
        messages.info(request, f"Protocol with {protocol.assessor_organisation.name} recorded")
        return redirect("carehomes:home", home_id=found.pk)
    context = {"form": form, "home": found, "title": f"Agree a trusted assessor protocol for {found.name}"}
    return render_form(request, "carehomes/home_form.html", context)


@actor_required
@no_personal_data("ending the organisation's own home's trusted assessor protocol")
def end_protocol(request: ActorRequest, protocol_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL, hide=False)
    protocol = (
        AssessmentProtocol.objects.filter(pk=protocol_id, home__organisation_id=request.actor.organisation_id)
        .select_related("home", "assessor_organisation")
        .first()
    )
    if protocol is None:
        raise Http404("No trusted assessor protocol with that id")
    form = EndProtocolForm(request.POST or None)
    ended = save_form(
        request,
        form,
        lambda data: protocols.end_protocol(actor=request.actor, protocol_id=protocol.pk, **data),
    )
    if ended is not None:
        messages.info(
            request, f"Protocol with {ended.assessor_organisation.name} ends {ended.ends_on:%-d %b %Y}"
        )
        return redirect("carehomes:home", home_id=protocol.home_id)
    title = f"End the protocol with {protocol.assessor_organisation.name}"
    return render_form(
        request, "carehomes/home_form.html", {"form": form, "home": protocol.home, "title": title}
    )


@actor_required
@no_personal_data("the early-warning schemes loaded and which one the organisation uses: no person's data")
def early_warning(request: ActorRequest) -> HttpResponse:
    """The organisation's administrator turns a published scheme on or off; each scheme shows its source
    and terms, and one with no rules loaded says so and cannot be turned on."""
    need(
        request,
        Permission.MANAGE_ORGANISATION,
        "Only your organisation's administrator turns a scheme on",
        hide=False,
    )
    schemes = list(scoring.schemes_to_choose()[:100])
    in_use = scoring.scheme_for(request.actor.organisation_id)
    form = SchemeForm(request.POST or None, schemes=schemes)
    if in_use is not None and not form.is_bound:
        form.initial["scheme"] = str(in_use.pk)
    result = save_form(
        request,
        form,
        lambda _: scoring.turn_on_scheme(actor=request.actor, **form.cleaned_for_service()) or SchemeForm.OFF,
        rename={"scheme_id": "scheme"},
    )
    if result is not None:
        messages.info(
            request, "Scoring turned off" if isinstance(result, str) else f"{result.scheme} turned on"
        )
        return redirect("carehomes:early_warning")
    rows = [{"scheme": s, "has_rules": scoring.has_rules(s), "in_use": s == in_use} for s in schemes]
    return render_form(
        request, "carehomes/early_warning.html", {"form": form, "rows": rows, "in_use": in_use}
    )


@actor_required
@no_personal_data("an early-warning scheme's bands, source and terms: a code list, no person's data")
def load_bands(request: ActorRequest) -> HttpResponse:
    """The organisation's administrator loads a scheme's bands (a CSV file, or pasted) as a new version
    with its source and terms. All or nothing: a bad row is named and nothing is stored; the form comes
    back with what was typed (an uploaded file's text is put in the paste box, since a browser cannot
    keep a chosen file)."""
    need(
        request,
        Permission.MANAGE_ORGANISATION,
        "Only your organisation's administrator loads a scheme's bands",
        hide=False,
    )
    data, file_error = None, None
    if request.method == "POST":
        data = request.POST.copy()
        upload = request.FILES.get("bands_file")
        if upload is not None:
            try:
                data["bands"] = bands.decode(upload.read(bands.MAX_FILE_BYTES + 1))
            except ValidationFailed as exc:
                file_error = exc
    named = request.GET.get("name", "")
    initial = {"name": named} if scoring.schemes_to_choose().filter(name=named).exists() else {}
    form = BandsForm(data, initial=initial)
    if file_error is not None:
        add_errors(form, file_error)
    if data is not None and form.is_valid():
        try:
            scheme = bands.load_scheme_file(actor=request.actor, **form.cleaned_for_service())
        except ValidationFailed as exc:
            for key, message in exc.errors.items():
                # Row problems go on the bands; a scheme not yet in force cannot be turned on.
                field = "bands" if key.startswith("bands") else key
                field = "in_force_from" if key == "scheme_id" else field
                form.add_error(field if field in form.fields else None, message)
        else:
            loaded = f"{scheme} loaded: {scheme.bands.count()} bands"
            messages.info(request, f"{loaded}, turned on" if form.cleaned_data["turn_on"] else loaded)
            return redirect("carehomes:early_warning")
    context = {"form": form, "columns": bands.COLUMNS, "structures": _structures()}
    return render_form(request, "carehomes/load_bands.html", context)


def _structures() -> list[dict[str, object]]:
    """Shipped structures (no bands yet) and the parameters each scores, to show what a file must band."""
    shipped = EarlyWarningScheme.objects.filter(bands__isnull=True).order_by("name", "-in_force_from")[:20]
    return [{"scheme": s, "parameters": s.parameters} for s in shipped]
