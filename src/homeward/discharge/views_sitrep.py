"""The weekly discharge situation report page and exports, and the NHS delay-reason override on a case."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import Organisation, OrganisationKind
from homeward.core.roles import Permission
from homeward.core.validators import CleanForm
from homeward.discharge import services
from homeward.discharge.codes import SitrepCollection
from homeward.discharge.sitrep import Sitrep, sitrep_csv, sitrep_xlsx, weekly_sitrep
from homeward.governance.access import agreements_in_force
from homeward.governance.routes import no_personal_data, personal_data
from homeward.web.views import ActorRequest, actor_required, add_errors, form_errors, need, run_action


def last_week_start() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday() + 7)


class SitrepForm(CleanForm):
    organisation = forms.IntegerField(label="Trust (organisation id)", min_value=1, max_value=2**31 - 1)
    week = forms.DateField(label="Week starting (a Monday)", input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    collection = forms.ChoiceField(choices=SitrepCollection.choices, initial=SitrepCollection.ACUTE)
    shared = forms.BooleanField(
        required=False, label="For sharing outside the trust (hide small numbers)", initial=False
    )


class DelayReasonForm(CleanForm):
    reason = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    starts_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    note = forms.CharField(required=False, max_length=500)


def _allowed(request: ActorRequest) -> None:
    if not (request.actor.can(Permission.VIEW_PSEUDONYMISED) or request.actor.can(Permission.VIEW_PERSON)):
        raise PermissionDenied("Your role cannot see discharge reports")


def _default_trust(request: ActorRequest) -> int:
    """The actor's own organisation when it is a trust; otherwise the first trust it shares data with under
    an agreement in force (a housing provider's lead reads its own cases in that trust's report)."""
    own = request.actor.organisation
    if own.kind == OrganisationKind.NHS_TRUST:
        return own.pk
    partner = (
        Organisation.objects.filter(
            kind=OrganisationKind.NHS_TRUST, agreements__in=agreements_in_force().filter(parties=own)
        )
        .order_by("name", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return partner or own.pk


def _query(request: ActorRequest) -> QueryDict:
    """The request's choices, with the defaults: the actor's organisation, last week, the acute list."""
    query = request.GET.copy()
    query.setdefault("organisation", str(_default_trust(request)))
    query.setdefault("week", last_week_start().isoformat())
    query.setdefault("collection", SitrepCollection.ACUTE)
    return query


def _report(request: ActorRequest, form: SitrepForm) -> Sitrep | None:
    """The report the form asks for, or None with the errors on the form (nothing is written either way)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return weekly_sitrep(
            actor=request.actor,
            organisation_id=data["organisation"],
            week=data["week"],
            collection=data["collection"],
            shared=data["shared"],
        )
    except ValidationFailed as exc:
        add_errors(form, exc)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    return None


@actor_required
@no_personal_data("aggregate counts only: no names or identifiers; small numbers hidden outside the trust")
def sitrep(request: ActorRequest) -> HttpResponse:
    """What a discharge lead checks before submitting the week's return."""
    _allowed(request)
    query = _query(request)
    form = SitrepForm(query)
    report = _report(request, form)
    status = 400 if form.errors and request.GET else 200  # the first visit shows guidance, not a bad request
    return render(
        request,
        "discharge/sitrep.html",
        {"form": form, "report": report, "query": query.urlencode()},
        status=status,
    )


def _export(request: ActorRequest, kind: str) -> HttpResponse:
    _allowed(request)
    form = SitrepForm(_query(request))
    report = _report(request, form)
    if report is None:
        errors = "; ".join(
            f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in form.errors.items()
        )
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    name = (
        f"sitrep-{report.collection}-{report.organisation.ods_code or report.organisation.pk}-{report.week}"
    )
    if kind == "csv":
        response = HttpResponse(sitrep_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            sitrep_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@actor_required
@no_personal_data("aggregate counts only: no names or identifiers; small numbers hidden outside the trust")
def sitrep_export_csv(request: ActorRequest) -> HttpResponse:
    return _export(request, "csv")


@actor_required
@no_personal_data("aggregate counts only: no names or identifiers; small numbers hidden outside the trust")
def sitrep_export_xlsx(request: ActorRequest) -> HttpResponse:
    return _export(request, "xlsx")


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def set_delay_reason(request: ActorRequest, case_id: int) -> HttpResponse:
    """The housing officer or the ward sets (or, with no reason, removes) the NHS delay reason override."""
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    form = DelayReasonForm(request.POST)

    def act() -> str:
        if not form.is_valid():
            raise form_errors(form)
        data = form.cleaned_data
        override = services.set_delay_reason(
            actor=request.actor,
            case_id=case_id,
            reason_id=data["reason"],
            starts_on=data["starts_on"],
            note=data["note"] or "",
        )
        return f"NHS delay reason set: {override.reason.text}" if override else "Override removed"

    run_action(request, act)
    return redirect("discharge:case", case_id=case_id)
