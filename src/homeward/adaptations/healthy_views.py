"""Healthy-homes pages: home visits (HHSRS hazards with photos, what is done, handyperson jobs, the falls
check) and the landlord's Awaab's Law dashboard and reports. Thin: parse, call a service or selector,
render; a form with an error shows again (400) with what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homeward.adaptations import awaab_reports, healthy_selectors, visits
from homeward.adaptations.codes import HazardAction, VisitKind
from homeward.adaptations.healthy_forms import (
    EvidenceForm,
    FallsForm,
    FindingForm,
    JobDoneForm,
    JobForm,
    PhotoForm,
    RemovedForm,
    ReportForm,
    StepForm,
    VisitForm,
)
from homeward.adaptations.healthy_models import AwaabReport, HazardPhoto, HomeVisit
from homeward.adaptations.views import EDIT_REFUSAL
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.engines.healthyhomes import LILEE_SOURCE
from homeward.engines.hhsrs.awaab import EVIDENCE_RULES
from homeward.governance.routes import personal_data
from homeward.people.selectors import get_person
from homeward.referrals.selectors import referrals_from
from homeward.web.views import (
    ActorRequest,
    actor_required,
    counted_page,
    need,
    render_form,
    row_form,
    save_form,
    submit_form,
)

VISIT_TABS = {"all": "All visits", "category_1": "Category 1 hazards"}
AWAAB_TABS = {"all": "All reports", "breached": "Breached clocks", "open": "Clocks running"}


def _visit(request: ActorRequest, visit_id: int, purpose: str = "View home visit") -> HomeVisit:
    try:
        return healthy_selectors.get_visit(actor=request.actor, visit_id=visit_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _report(request: ActorRequest, report_id: int, purpose: str = "View Awaab's Law report") -> AwaabReport:
    try:
        return healthy_selectors.get_report(actor=request.actor, report_id=report_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _person(request: ActorRequest, person_id: int, purpose: str) -> Any:
    try:
        return get_person(actor=request.actor, person_id=person_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def visit_list(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role has no worklist")
    view = request.GET.get("view", "all")
    view = view if view in VISIT_TABS else "all"
    if view == "category_1":
        page = counted_page(healthy_selectors.category_1_findings(request.actor), request.GET.get("page"))
        ids = sorted({f.visit_id for f in page})
    else:
        page = counted_page(healthy_selectors.visits(request.actor), request.GET.get("page"))
        ids = [v.pk for v in page]
    healthy_selectors.record_list_view(actor=request.actor, purpose=f"Home visits: {view}", ids=ids)
    context = {"page": page, "view": view, "tabs": VISIT_TABS}
    return render(request, "adaptations/visits.html", context)


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def new_visit(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    person = _person(request, person_id, "Record a home visit")
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    case_id = request.GET.get("case", "")

    def _save(data: dict[str, Any]) -> HomeVisit:
        return visits.open_visit(
            actor=request.actor,
            person_id=person.pk,
            case_id=int(case_id) if case_id.isdigit() else None,
            **data,
        )

    visit = save_form(request, form, _save, rename={"case_id": "__all__"})
    if visit is not None:
        return redirect("adaptations:visit", visit_id=visit.pk)
    return render_form(request, "adaptations/visit_new.html", {"form": form, "person": person})


def _visit_page(
    request: ActorRequest, visit: HomeVisit, bound: str = "", form: forms.Form | None = None
) -> HttpResponse:
    organisations = visits.team_organisations(request.actor)
    context: dict[str, Any] = {
        "finding_form": FindingForm(organisation_ids=organisations, auto_id="finding_%s"),
        "job_form": JobForm(organisation_ids=organisations, auto_id="job_%s"),
    }
    if bound and form is not None:
        context[bound] = form
    findings = list(visit.findings.select_related("action_by").prefetch_related("photos"))
    for finding in findings:
        finding.photo_form = row_form(PhotoForm, finding.pk, initial={"finding_id": finding.pk})  # type: ignore[attr-defined]
        finding.removed_form = row_form(RemovedForm, f"r{finding.pk}", initial={"finding_id": finding.pk})  # type: ignore[attr-defined]
        if (
            bound in ("photo_form", "removed_form")
            and form is not None
            and form.data.get("finding_id") == str(finding.pk)
        ):
            setattr(finding, bound, form)
    jobs = list(visit.jobs.select_related("organisation"))
    for job in jobs:
        job.done_form = row_form(JobDoneForm, job.pk, initial={"job_id": job.pk})  # type: ignore[attr-defined]
        if bound == "done_form" and form is not None and form.data.get("job_id") == str(job.pk):
            job.done_form = form  # type: ignore[attr-defined]
    can_edit = request.actor.can(Permission.EDIT_PERSON)
    context |= {
        "form": form or context["finding_form"],
        "visit": visit,
        "findings": findings,
        "jobs": jobs,
        "events": list(visit.events.all()),
        "category_1": sum(1 for f in findings if f.category == 1),
        "can_edit": can_edit,
        "falls_pending": visit.kind == VisitKind.FALLS_CHECK and not visit.falls_answers,
        "referral_actions": sorted(
            {HazardAction(f.action).label for f in findings if f.action.endswith("_referral")}
        ),
        "referrals": referrals_from(request.actor, healthy_selectors.VISIT_TYPE, visit.pk),
        "reports": visit_reports(request, visit),
        "warm_checks": warm_homes_rows(visit),
        "lilee_source": LILEE_SOURCE,
    }
    return render_form(request, "adaptations/visit.html", context)


def warm_homes_rows(visit: HomeVisit) -> list[dict[str, Any]]:
    from homeward.adaptations import warmth

    return [
        {
            "check": check,
            "outcome": warmth.outcome(check),
            "band": warmth.IncomeBand(check.income_band).label.lower() if check.income_band else "",
            "fuel_reasons": check.fuel_poverty_reasons.splitlines(),
            "scheme_reasons": check.scheme_reasons.splitlines(),
            "refer": warmth.calls_for_referral(check),
        }
        for check in visit.warm_homes_checks.all()
    ]


def visit_reports(request: ActorRequest, visit: HomeVisit) -> list[AwaabReport]:
    return list(healthy_selectors.visible_reports(request.actor).filter(visit=visit).order_by("pk"))


@actor_required
@personal_data("visit_id", Permission.VIEW_PERSON)
def visit_detail(request: ActorRequest, visit_id: int) -> HttpResponse:
    return _visit_page(request, _visit(request, visit_id))


def _visit_post(
    request: ActorRequest, visit_id: int, name: str, form: forms.Form, save: Any, done: str, anchor: str
) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    visit = _visit(request, visit_id, "Update home visit")
    if request.method != "POST":
        return redirect("adaptations:visit", visit_id=visit.pk)
    return submit_form(
        request,
        form,
        lambda data: save(visit, data),
        done=lambda _result: done,
        back=reverse("adaptations:visit", args=[visit.pk]) + anchor,
        again=lambda: _visit_page(request, visit, name, form),
        rename={
            "spread": "class_i",
            "action_by_id": "action_organisation",
            "organisation_id": "organisation",
        },
    )


@actor_required
@personal_data("visit_id", Permission.EDIT_PERSON)
def add_hazard(request: ActorRequest, visit_id: int) -> HttpResponse:
    form = FindingForm(
        request.POST or None, organisation_ids=visits.team_organisations(request.actor), auto_id="finding_%s"
    )

    def _save(visit: HomeVisit, data: dict[str, Any]) -> object:
        organisation = data.pop("action_organisation")
        return visits.add_finding(
            actor=request.actor,
            visit_id=visit.pk,
            hazard=data["hazard"],
            likelihood=data["likelihood"],
            spread=(data["class_i"], data["class_ii"], data["class_iii"], data["class_iv"]),
            action=data["action"],
            action_by_id=organisation.pk,
            action_note=data["action_note"],
        )

    return _visit_post(
        request, visit_id, "finding_form", form, _save, "Hazard recorded and scored", "#hazards"
    )


@actor_required
@personal_data("visit_id", Permission.EDIT_PERSON)
def add_photo(request: ActorRequest, visit_id: int) -> HttpResponse:
    finding_id = request.POST.get("finding_id", "")
    form = row_form(PhotoForm, finding_id, request.POST or None, files=request.FILES or None)

    def _save(visit: HomeVisit, data: dict[str, Any]) -> object:
        upload = data["photo"]
        raw = upload.read(visits_photo_limit() + 1)
        return visits.add_photo(
            actor=request.actor,
            visit_id=visit.pk,
            finding_id=data["finding_id"],
            photo=raw,
            caption=data["caption"],
        )

    return _visit_post(request, visit_id, "photo_form", form, _save, "Photo added", "#hazards")


def visits_photo_limit() -> int:
    from homeward.adaptations.photos import MAX_BYTES

    return MAX_BYTES


@actor_required
@personal_data("visit_id", Permission.EDIT_PERSON)
def hazard_removed(request: ActorRequest, visit_id: int) -> HttpResponse:
    form = row_form(RemovedForm, f"r{request.POST.get('finding_id', '')}", request.POST or None)

    def _save(visit: HomeVisit, data: dict[str, Any]) -> object:
        return visits.remove_hazard(actor=request.actor, visit_id=visit.pk, **data)

    return _visit_post(
        request, visit_id, "removed_form", form, _save, "Hazard recorded as removed", "#hazards"
    )


@actor_required
@personal_data("visit_id", Permission.VIEW_PERSON)
def photo(request: ActorRequest, visit_id: int, photo_id: int) -> HttpResponse:
    visit = _visit(request, visit_id, "View a hazard photo")
    item = HazardPhoto.objects.filter(pk=photo_id, finding__visit=visit).first()
    if item is None:
        raise Http404("No photo with that id on this visit")
    response = HttpResponse(bytes(item.image), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@actor_required
@personal_data("visit_id", Permission.EDIT_PERSON)
def add_job(request: ActorRequest, visit_id: int) -> HttpResponse:
    form = JobForm(
        request.POST or None, organisation_ids=visits.team_organisations(request.actor), auto_id="job_%s"
    )

    def _save(visit: HomeVisit, data: dict[str, Any]) -> object:
        organisation = data.pop("organisation")
        return visits.add_job(actor=request.actor, visit_id=visit.pk, organisation_id=organisation.pk, **data)

    return _visit_post(request, visit_id, "job_form", form, _save, "Handyperson job added", "#jobs")


@require_POST
@actor_required
@personal_data("visit_id", Permission.EDIT_PERSON)
def job_done(request: ActorRequest, visit_id: int) -> HttpResponse:
    form = row_form(JobDoneForm, request.POST.get("job_id", ""), request.POST)

    def _save(visit: HomeVisit, data: dict[str, Any]) -> object:
        return visits.complete_job(actor=request.actor, visit_id=visit.pk, **data)

    return _visit_post(request, visit_id, "done_form", form, _save, "Job done", "#jobs")


@actor_required
@personal_data("visit_id", Permission.EDIT_PERSON)
def falls(request: ActorRequest, visit_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    visit = _visit(request, visit_id, "Record a falls home hazard check")
    form = FallsForm(request.POST or None)

    def _save(data: dict[str, Any]) -> object:
        return visits.record_falls_check(actor=request.actor, visit_id=visit.pk, answers=data)

    saved = save_form(request, form, _save, rename={"answers": "__all__"})
    if saved is not None:
        return redirect(reverse("adaptations:visit", args=[visit.pk]) + "#jobs")
    return render_form(request, "adaptations/falls.html", {"form": form, "visit": visit})


@actor_required
@personal_data("search", Permission.VIEW_PERSON, reach="own")  # the landlord's own dashboard
def awaab_list(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role has no worklist")
    view = request.GET.get("view", "all")
    view = view if view in AWAAB_TABS else "all"
    dashboard = healthy_selectors.awaab_dashboard(request.actor, view=view)
    healthy_selectors.record_list_view(
        actor=request.actor,
        purpose=f"Awaab's Law dashboard: {view}",
        ids=[r.report.pk for r in dashboard.rows],
    )
    context = {"dashboard": dashboard, "view": view, "tabs": AWAAB_TABS}
    return render(request, "adaptations/awaab_list.html", context)


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def new_report(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    person = _person(request, person_id, "Open an Awaab's Law report")
    form = ReportForm(request.POST or None)
    visit_id = request.GET.get("visit", "")

    def _save(data: dict[str, Any]) -> AwaabReport:
        return awaab_reports.open_report(
            actor=request.actor,
            person_id=person.pk,
            visit_id=int(visit_id) if visit_id.isdigit() else None,
            **data,
        )

    report = save_form(request, form, _save, rename={"visit_id": "__all__"})
    if report is not None:
        return redirect("adaptations:awaab", report_id=report.pk)
    return render_form(request, "adaptations/awaab_new.html", {"form": form, "person": person})


def _report_page(
    request: ActorRequest, report: AwaabReport, bound: str = "", form: forms.Form | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "step_form": StepForm(auto_id="step_%s"),
        "evidence_form": EvidenceForm(auto_id="evidence_%s"),
    }
    if bound and form is not None:
        context[bound] = form
    context |= {
        "form": form or context["step_form"],
        "report": report,
        "clocks": healthy_selectors.report_clocks(report),
        "events": list(report.events.all()),
        "evidence_rules": [(kind.value, rule.reason, rule.source) for kind, rule in EVIDENCE_RULES.items()],
        "can_edit": request.actor.can(Permission.EDIT_PERSON)
        and report.organisation_id == request.actor.organisation_id,
    }
    return render_form(request, "adaptations/awaab.html", context)


@actor_required
@personal_data("report_id", Permission.VIEW_PERSON)
def awaab_detail(request: ActorRequest, report_id: int) -> HttpResponse:
    return _report_page(request, _report(request, report_id))


def _report_post(
    request: ActorRequest, report_id: int, name: str, form: forms.Form, save: Any, done: str
) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    report = _report(request, report_id, "Update Awaab's Law report")
    if request.method != "POST":
        return redirect("adaptations:awaab", report_id=report.pk)
    return submit_form(
        request,
        form,
        lambda data: save(report, data),
        done=lambda _result: done,
        back=reverse("adaptations:awaab", args=[report.pk]),
        again=lambda: _report_page(request, report, name, form),
    )


@actor_required
@personal_data("report_id", Permission.EDIT_PERSON, reach="own")  # the landlord records its steps
def awaab_step(request: ActorRequest, report_id: int) -> HttpResponse:
    form = StepForm(request.POST or None, auto_id="step_%s")

    def _save(report: AwaabReport, data: dict[str, Any]) -> object:
        return awaab_reports.record_step(actor=request.actor, report_id=report.pk, **data)

    return _report_post(request, report_id, "step_form", form, _save, "Step recorded")


@actor_required
@personal_data("report_id", Permission.EDIT_PERSON, reach="own")  # the landlord records its steps
def awaab_evidence(request: ActorRequest, report_id: int) -> HttpResponse:
    form = EvidenceForm(request.POST or None, auto_id="evidence_%s")

    def _save(report: AwaabReport, data: dict[str, Any]) -> object:
        return awaab_reports.add_evidence(actor=request.actor, report_id=report.pk, **data)

    return _report_post(request, report_id, "evidence_form", form, _save, "Evidence recorded")
