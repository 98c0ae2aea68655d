"""The analyst's page: readmissions of tenants by pseudonymised identity key, and its CSV."""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data
from homeward.linkage import analytics
from homeward.web.views import ActorRequest, actor_required, need


def _agreement_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("agreement", "").strip()
    return int(raw) if raw.isdigit() and 1 <= int(raw) < 2**63 else None


@actor_required
@no_personal_data(
    "pseudonymised: counts by group, figures of 1 to 4 people hidden; no names, ids or NHS numbers"
)
def analytics_page(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PSEUDONYMISED, "Your role does not see analytics")
    agreements = analytics.analytics_agreements(request.actor)
    context: dict[str, object] = {"agreements": agreements, "small": analytics.SMALL_NUMBER}
    chosen = _agreement_id(request)
    if chosen is None and request.GET.get("agreement"):
        context["errors"] = {"agreement": "Choose one of the agreements listed"}
        return render(request, "linkage/analytics.html", context, status=400)
    if chosen is None and len(agreements) == 1:
        chosen = agreements[0].pk
    if chosen is not None:
        try:
            agreement = analytics.analytics_agreement(request.actor, chosen)
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        outcomes = analytics.tenant_readmissions(request.actor, agreement)
        context |= {"agreement": agreement, "groups": analytics.summarise(outcomes)}
    return render(request, "linkage/analytics.html", context)


@actor_required
@no_personal_data("pseudonymised: identity keys and counts; the rows of groups under 5 people left out")
def analytics_csv(request: ActorRequest, agreement_id: int) -> HttpResponse:
    need(request, Permission.VIEW_PSEUDONYMISED, "Your role does not see analytics")
    try:
        agreement = analytics.analytics_agreement(request.actor, agreement_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    outcomes = analytics.tenant_readmissions(request.actor, agreement)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="readmissions-{agreement.reference}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["section", "group", "identity_key", "identities", "with_stay", "readmitted", "stays", "readmissions"]
    )
    shown = analytics.SUPPRESSED
    for g in analytics.summarise(outcomes):
        writer.writerow(
            [
                "summary",
                g.group,
                "",
                *(shown if v is None else v for v in (g.identities, g.with_stay, g.readmitted)),
                "",
                shown if g.readmissions is None else g.readmissions,
            ]
        )
    for o in analytics.exportable_rows(outcomes):
        writer.writerow(["identity", o.group, o.key, "", "", "", o.stays, o.readmissions])
    return response
