"""Pages for running a scheme: the 24/7 operations page (handovers, incidents, welfare checks due, the
activity timetable), one form page per scheme record (`forms_operations.SCHEME_STEPS`), and the standards
evidence export (counts only) that a licensing officer or commissioner can read."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data, personal_data
from homeward.housing import operations, selectors, standards
from homeward.housing.forms_operations import SCHEME_STEPS
from homeward.housing.models import Scheme
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form

RENAME = {
    "placement_ids": "residents",
    "activity_id": "activity",
    "incident_id": "incident",
    "occurred_at": "occurred_on",
    "placement_id": "resident",
}


def _scheme_or_404(request: ActorRequest, scheme_id: int) -> Scheme:
    try:
        return selectors.get_scheme(actor=request.actor, scheme_id=scheme_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@personal_data("scheme_id", Permission.VIEW_PERSON, reach="own")
def operations_page(request: ActorRequest, scheme_id: int) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role cannot see residents")
    scheme = _scheme_or_404(request, scheme_id)
    residents = list(selectors.residents(actor=request.actor, scheme_id=scheme.pk)[:300])
    welfare = operations.welfare_due(residents)
    incidents = list(
        scheme.incidents.prefetch_related("residents__person").select_related("recorded_by")[:20]
    )
    feedback = list(scheme.feedback.select_related("placement__person")[:20])
    shown = sorted(
        {p.pk for p, _, _ in welfare}
        | {r.pk for i in incidents for r in i.residents.all()}
        | {f.placement_id for f in feedback if f.placement_id}
    )
    selectors.record_list_view(
        actor=request.actor, purpose=f"Scheme operations: {scheme.name}", placement_ids=shown
    )
    context = {
        "scheme": scheme,
        "handovers": scheme.handovers.select_related("written_by")[:10],
        "incidents": incidents,
        "feedback": feedback,
        "welfare": welfare,
        "activities": scheme.activities.filter(is_active=True),
        "sessions": selectors.recent_activity_sessions(scheme)[:10],
        "can_edit": request.actor.can(Permission.EDIT_PERSON),
        "steps": [(slug, s.title) for slug, s in SCHEME_STEPS.items()],
    }
    return render(request, "housing/operations.html", context)


@actor_required
@personal_data("scheme_id", Permission.EDIT_PERSON, reach="own")
def scheme_step(request: ActorRequest, scheme_id: int, scheme_step: str) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, "Your role cannot change supported housing records")
    scheme = _scheme_or_404(request, scheme_id)
    spec = SCHEME_STEPS.get(scheme_step)
    if spec is None:
        raise Http404("No such record for a scheme")
    extra = {"scheme": scheme} if spec.takes_scheme else {}
    form = spec.form(request.POST or None, **extra)
    done = save_form(request, form, lambda data: spec.save(request.actor, scheme, data), RENAME)
    if done is not None:
        messages.info(request, f"{spec.title}: saved")
        return redirect("housing:operations", scheme_id=scheme.pk)
    context = {"form": form, "scheme": scheme, "title": spec.title}
    return render_form(request, "housing/scheme_step.html", context)


def _period(request: ActorRequest) -> tuple[dt.date, dt.date, dict[str, str]]:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    values = {}
    for key, default in (("from", today - dt.timedelta(days=364)), ("to", today)):
        raw = request.GET.get(key, "")
        try:
            values[key] = dt.date.fromisoformat(raw) if raw else default
        except ValueError:
            errors[key] = f"Enter the '{key}' date as YYYY-MM-DD"
            values[key] = default
    start, end = values["from"], values["to"]
    if not errors:
        errors = standards.check_period(start, end, today)
    if errors:
        start, end = today - dt.timedelta(days=364), today
    return start, end, errors


@actor_required
@no_personal_data("Counts and shares of a scheme's records for each standard; nobody is named")
def standards_page(request: ActorRequest, scheme_id: int) -> HttpResponse:
    """The provider's own staff, or the commissioning organisation (a council), may read it."""
    scheme = selectors.scheme_for_standards(actor=request.actor, scheme_id=scheme_id)
    if scheme is None:
        raise Http404("No scheme with that id")
    start, end, errors = _period(request)
    evidence = standards.standards_evidence(scheme, start, end)
    fmt = request.GET.get("format", "")
    if not errors and fmt in ("csv", "json"):
        selectors.record_standards_export(actor=request.actor, scheme=scheme, start=start, end=end, fmt=fmt)
        name = f"standards-evidence-{scheme.pk}-{start:%Y%m%d}-{end:%Y%m%d}"
        if fmt == "csv":
            response = HttpResponse(standards.as_csv(scheme, start, end, evidence), content_type="text/csv")
        else:
            body = json.dumps(standards.as_json(scheme, start, end, evidence), indent=2)
            response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
    context = {
        "scheme": scheme,
        "start": start,
        "end": end,
        "errors": errors,
        "rows": [(s, [(e, standards.share_text(e)) for e in s.evidence]) for s in evidence],
        "source": standards.SOURCE,
    }
    return render(request, "housing/standards.html", context, status=400 if errors else 200)
