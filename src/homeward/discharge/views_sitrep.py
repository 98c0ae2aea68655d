"""The weekly discharge situation report page and exports, and the NHS delay-reason override on a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import Organisation, OrganisationKind
from homeward.core.roles import Permission
from homeward.core.validators import CleanForm
from homeward.discharge import services
from homeward.discharge.codes import SitrepCollection
from homeward.discharge.forms import DelayReasonForm
from homeward.discharge.models import DelayReasonOverride
from homeward.discharge.sitrep import Sitrep, sitrep_csv, sitrep_xlsx, weekly_sitrep
from homeward.discharge.views import case_or_404, case_page
from homeward.governance.access import agreements_in_force
from homeward.governance.routes import no_personal_data, personal_data
from homeward.web.views import ActorRequest, actor_required, add_errors, need, save_form


def last_week_start() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday() + 7)


class SitrepForm(CleanForm):
    organisation = forms.IntegerField(label="Trust", min_value=1, max_value=2**31 - 1)
    week = forms.DateField(
        label="Week starting",
        help_text="A Monday, for example 2024-01-08 or 08/01/2024",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%Y-%m-%d"),
    )
    collection = forms.ChoiceField(
        choices=SitrepCollection.choices,
        initial=SitrepCollection.ACUTE,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    shared = forms.BooleanField(
        required=False, label="For sharing outside the trust (hide small numbers)", initial=False
    )

    def __init__(self, *args: Any, trusts: list[Organisation], **kwargs: Any) -> None:
        """The trust is picked from those the actor may report on; an id typed into the address is still
        checked by the report itself, so an unknown one gets its own clear error."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget = forms.Select(
            choices=[(t.pk, f"{t.name} ({t.ods_code})" if t.ods_code else t.name) for t in trusts],
            attrs={"class": "nhsuk-select"},
        )


def _allowed(request: ActorRequest) -> None:
    if not (request.actor.can(Permission.VIEW_PSEUDONYMISED) or request.actor.can(Permission.VIEW_PERSON)):
        raise PermissionDenied("Your role cannot see discharge reports")


def reportable_trusts(request: ActorRequest) -> list[Organisation]:
    """The trusts whose report the actor may open: its own organisation when it is a trust, then the trusts it
    shares data with under an agreement in force (a housing provider's lead reads its own cases in each)."""
    own = request.actor.organisation
    partners = Organisation.objects.filter(
        kind=OrganisationKind.NHS_TRUST, agreements__in=agreements_in_force().filter(parties=own)
    ).exclude(pk=own.pk)
    trusts = [own] if own.kind == OrganisationKind.NHS_TRUST else []
    return trusts + list(partners.distinct().order_by("name", "pk"))


def _query(request: ActorRequest, trusts: list[Organisation]) -> QueryDict:
    """The request's choices, with the defaults: the first trust the actor may report on, last week, the acute
    list."""
    query = request.GET.copy()
    query.setdefault("organisation", str(trusts[0].pk if trusts else request.actor.organisation_id))
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
    trusts = reportable_trusts(request)
    query = _query(request, trusts)
    form = SitrepForm(query, trusts=trusts)
    report = _report(request, form)
    status = 400 if form.errors and request.GET else 200  # the first visit shows guidance, not a bad request
    return render(
        request,
        "discharge/sitrep.html",
        {"form": form, "report": report, "query": query.urlencode(), "trusts": trusts},
        status=status,
    )


def _export(request: ActorRequest, kind: str) -> HttpResponse:
    _allowed(request)
    # The trusts' list only fills in a missing trust (the page's links always name one); the report itself
    # checks that the actor may see the trust asked for.
    trusts = [] if request.GET.get("organisation") else reportable_trusts(request)
    form = SitrepForm(_query(request, trusts), trusts=trusts)
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
    case = case_or_404(request, case_id, purpose="Update Hospital to Home case")
    form = DelayReasonForm(request.POST)

    def _set(data: dict[str, Any]) -> tuple[DelayReasonOverride | None]:
        override = services.set_delay_reason(
            actor=request.actor,
            case_id=case_id,
            reason_id=data["reason"],
            starts_on=data["starts_on"],
            note=data["note"] or "",
        )
        return (override,)  # a tuple, so that removing the override (None) still reads as saved

    try:
        saved = save_form(request, form, _set, rename={"reason_id": "reason"})
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("discharge:case", case_id=case_id)
    if saved is None:
        return case_page(request, case, delay_form=form, status=400)
    (override,) = saved
    messages.info(
        request, f"NHS delay reason set: {override.reason.text}" if override else "Override removed"
    )
    return redirect(reverse("discharge:case", args=[case_id]) + "#delay-reason")
