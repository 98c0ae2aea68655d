"""Pages for the test of resources on a case and the organisation's DFG tables. Thin: parse, call
`means_test`, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from homeward.adaptations import means_test
from homeward.adaptations.means_test_forms import ResourcesForm, TablesUploadForm
from homeward.adaptations.models import ResourcesTest
from homeward.adaptations.views import EDIT_REFUSAL, case_or_404
from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.dfg import TablesMissing
from homeward.engines.dfg.tables import PassportingVersion
from homeward.governance.routes import no_personal_data, personal_data
from homeward.web.views import ActorRequest, actor_required, add_errors, need, render_form


def _benefits(organisation_id: int, on: Any) -> dict[str, str]:
    tables, _ = means_test.organisation_tables(organisation_id)
    try:
        return dict(tables.version("passporting_benefits", on, PassportingVersion).values)
    except TablesMissing:
        return {}


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def resources(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    """The test of resources: the applicant's benefits, household, income and capital; the engine's answer
    in words. A table the test needs and the organisation has not loaded is named, with how to load it."""
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Test of resources")
    on = case.application_valid_on or timezone.localdate()
    statuses, loaded = means_test.table_status(request.actor.organisation_id, on)
    form = ResourcesForm(request.POST or None, benefits=_benefits(request.actor.organisation_id, on))
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        errors = arguments.pop("errors")
        try:
            if errors:
                raise ValidationFailed(errors)
            test = means_test.run_test(actor=request.actor, case_id=case.pk, **arguments)
        except ValidationFailed as exc:
            add_errors(form, exc)
        except NotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("adaptations:case", adaptation_id=case.pk)
        else:
            messages.info(request, f"Test of resources recorded: contribution £{test.contribution:,.2f}")
            return redirect(reverse("adaptations:resources_result", args=[case.pk]))
    context = {
        "form": form,
        "case": case,
        "statuses": statuses,
        "loaded": loaded,
        "missing": [row for row in statuses if row.state in ("missing", "not_in_force")],
        "how_to_load": means_test.HOW_TO_LOAD,
        "can_load": request.actor.can(Permission.MANAGE_ORGANISATION),
    }
    return render_form(request, "adaptations/resources.html", context)


@actor_required
@personal_data("adaptation_id", Permission.VIEW_PERSON)
def resources_result(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    """The case's latest test of resources with each step in words, and the earlier ones."""
    case = case_or_404(request, adaptation_id, purpose="View the test of resources")
    tests = list(ResourcesTest.objects.filter(case_id=case.pk).select_related("assessed_by")[:20])
    context = {
        "case": case,
        "test": tests[0] if tests else None,
        "earlier": tests[1:],
        "steps": tests[0].steps.splitlines() if tests else [],
        "warnings": [w for w in tests[0].warnings.splitlines() if w] if tests else [],
        "basis": means_test.BASIS_LABELS,
        "can_edit": request.actor.can(Permission.EDIT_PERSON) and case.is_open,
    }
    return render(request, "adaptations/resources_result.html", context)


@actor_required
@no_personal_data("The organisation's DFG tables: statutory figures, no people")
def tables(request: ActorRequest) -> HttpResponse:
    """Which test-of-resources tables are in force for the organisation (shipped, loaded or missing), and,
    for an administrator, loading a new tables file."""
    if not (request.actor.can(Permission.VIEW_PERSON) or request.actor.can(Permission.MANAGE_ORGANISATION)):
        raise PermissionDenied("Your role does not use the test of resources")
    can_load = request.actor.can(Permission.MANAGE_ORGANISATION)
    form = TablesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        need(
            request, Permission.MANAGE_ORGANISATION, "Only administrators can load the DFG tables", hide=False
        )
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                new = means_test.load_tables_file(
                    actor=request.actor,
                    content=upload.read(means_test.MAX_FILE_BYTES + 1),
                    filename=upload.name,
                )
            except ValidationFailed as exc:
                add_errors(form, exc)
            else:
                messages.info(request, f"Tables loaded: {new.name}")
                return redirect("adaptations:tables")
    statuses, loaded = means_test.table_status(request.actor.organisation_id, timezone.localdate())
    context = {"form": form, "statuses": statuses, "loaded": loaded, "can_load": can_load}
    return render_form(request, "adaptations/tables.html", context)
