"""A&E to Home and care-provider pages: frequent attenders, trusted assessments, discharge to assess."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.roles import Permission
from homeward.discharge import attendances, care
from homeward.discharge.forms import DecideAssessmentForm, FrequentAttenderFilter, TrustedAssessmentForm
from homeward.discharge.models import AssessmentDomain, TrustedAssessment
from homeward.discharge.views import case_or_404, case_page
from homeward.governance.routes import personal_data
from homeward.web.views import (
    ActorRequest,
    actor_required,
    add_errors,
    need,
    row_form,
    run_action,
    save_form,
    submit_form,
)


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def frequent_attenders(request: ActorRequest) -> HttpResponse:
    """People who keep coming back to A&E for reasons that are not clinical, most attendances first."""
    need(request, Permission.VIEW_PERSON, "Your role has no worklist")
    form = FrequentAttenderFilter(request.GET or None, actor=request.actor)
    rows: list[attendances.FrequentAttender] = []
    page, window = None, None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        try:
            window = attendances.check_window(data.get("threshold"), data.get("months"))
        except ValidationFailed as exc:
            add_errors(form, exc)
    if window is not None:
        threshold, months = window
        hospital = form.cleaned_data.get("hospital") if form.is_bound else None
        groups = attendances.frequent_attenders(
            request.actor, threshold=threshold, months=months, hospital_id=hospital.pk if hospital else None
        )
        page = Paginator(groups, 50).get_page(request.GET.get("page"))
        rows = attendances.describe(request.actor, list(page.object_list), months=months)
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "window": window,
        "can_refer": request.actor.can(Permission.EDIT_PERSON),
    }
    return render(request, "discharge/frequent_attenders.html", context, status=400 if form.errors else 200)


# The service's names for a refused assessment's fields, as the form names them.
ASSESSMENT_FIELDS = {"care_provider_id": "care_provider"} | {
    f"domains.{domain.value}": f"domain_{domain.value}" for domain in AssessmentDomain
}


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def submit_assessment(request: ActorRequest, case_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    case = case_or_404(request, case_id, purpose="Send a trusted assessment")
    form = TrustedAssessmentForm(request.POST, case_organisation_id=case.organisation_id)

    def submit(data: dict[str, Any]) -> TrustedAssessment:
        return care.submit_trusted_assessment(
            actor=request.actor,
            case_id=case.pk,
            care_provider_id=data["care_provider"].pk,
            assessed_on=data["assessed_on"],
            domains=form.domains(),
            risks=data["risks"],
        )

    try:
        assessment = save_form(request, form, submit, rename=ASSESSMENT_FIELDS)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("discharge:case", case_id=case_id)
    if assessment is not None:
        messages.info(request, f"Trusted assessment sent to {assessment.care_provider.name}")
        return redirect("discharge:case", case_id=case_id)
    # Refused: the case page again, with every domain as typed and the error summary (nothing is lost).
    return case_page(request, case, assessment_form=form, status=400)


@require_POST
@actor_required
@personal_data("case_id", Permission.RESPOND_REFERRAL)
def decide_assessment(request: ActorRequest, case_id: int, assessment_id: int) -> HttpResponse:
    need(request, Permission.RESPOND_REFERRAL, "Your role cannot answer assessments")
    case = case_or_404(request, case_id, purpose="Decide on a trusted assessment")
    if not case.assessments.filter(pk=assessment_id).exists():
        raise Http404("No trusted assessment with that id on this case")
    form = row_form(DecideAssessmentForm, assessment_id, request.POST)

    def decide(data: dict[str, Any]) -> TrustedAssessment:
        return care.decide_assessment(
            actor=request.actor,
            assessment_id=assessment_id,
            accept=data["decision"] == "accept",
            note=data["decision_note"],
        )

    return submit_form(
        request,
        form,
        decide,
        done=lambda assessment: f"Trusted assessment {assessment.get_status_display().lower()}",
        back=reverse("discharge:case", args=[case_id]) + "#assessments",
        again=lambda: case_page(request, case, decision_form=form),
    )


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def discharge_to_assess(request: ActorRequest, case_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    case_or_404(request, case_id, purpose="Update Hospital to Home case")

    def toggle() -> str:
        case = care.set_discharge_to_assess(
            actor=request.actor, case_id=case_id, on=request.POST.get("discharge_to_assess") == "on"
        )
        return "Discharge to assess " + ("agreed" if case.discharge_to_assess else "withdrawn")

    run_action(request, toggle)
    return redirect("discharge:case", case_id=case_id)
