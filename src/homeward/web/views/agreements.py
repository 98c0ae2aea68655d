"""Sharing agreements: list, detail, record and end (admins and IG officers of a party)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homeward.core.errors import Conflict, NotAllowed, NotFound
from homeward.core.models import Organisation
from homeward.core.roles import Permission
from homeward.core.validators import CleanForm
from homeward.governance import selectors, services
from homeward.governance.models import (
    AgreementStatus,
    Article9Condition,
    DataCategory,
    DataSharingAgreement,
    LawfulBasis,
    LinkageField,
    SharingPurpose,
)
from homeward.governance.routes import no_personal_data
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form

SELECT = forms.Select(attrs={"class": "nhsuk-select"})


class AgreementForm(CleanForm):
    reference = forms.CharField(
        max_length=40, widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-20"})
    )
    title = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"class": "nhsuk-input"}))
    party_ids = forms.ModelMultipleChoiceField(
        label="Parties",
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
        help_text="Your organisation and at least one other",
    )
    purpose = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis (Article 6)", choices=LawfulBasis.choices, widget=SELECT
    )
    article9_condition = forms.ChoiceField(
        label="Condition for health data (Article 9)",
        required=False,
        choices=Article9Condition.choices,
        widget=SELECT,
    )
    data_categories = forms.MultipleChoiceField(
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    start_date = forms.DateField(
        widget=forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}),
        help_text="For example, 01/04/2026",
    )
    end_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"})
    )
    status = forms.ChoiceField(choices=AgreementStatus.choices, initial=AgreementStatus.ACTIVE, widget=SELECT)
    purposes = forms.MultipleChoiceField(
        label="What the agreement allows",
        required=False,
        choices=SharingPurpose.choices,
        initial=[SharingPurpose.DIRECT_CARE],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
        help_text="Direct care if none is ticked. Tenant-in-hospital alerts, linked parties and analytics "
        "need person linkage too",
    )
    linkage_fields = forms.MultipleChoiceField(
        label="Fields linkage may compare",
        required=False,
        choices=LinkageField.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
        help_text="Only with person linkage: a name, and a date of birth or an identifier",
    )


@actor_required
@no_personal_data("agreements describe organisations, not people")
def agreements(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_AGREEMENTS, "Your role cannot see sharing agreements", hide=False)
    today = timezone.localdate()
    rows = [(a, a.is_in_force(today)) for a in selectors.agreements_for(request.actor)]
    return render(
        request,
        "web/agreements/list.html",
        {"rows": rows, "can_manage": request.actor.can(Permission.MANAGE_AGREEMENTS)},
    )


@actor_required
@no_personal_data("agreements describe organisations, not people")
def agreement(request: ActorRequest, agreement_id: int) -> HttpResponse:
    need(request, Permission.VIEW_AGREEMENTS, "Your role cannot see sharing agreements", hide=False)
    try:
        found = selectors.get_agreement(actor=request.actor, agreement_id=agreement_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(
        request,
        "web/agreements/detail.html",
        {
            "agreement": found,
            "in_force": found.is_in_force(timezone.localdate()),
            "can_manage": request.actor.can(Permission.MANAGE_AGREEMENTS),
        },
    )


@actor_required
@no_personal_data("agreements describe organisations, not people")
def agreement_new(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_AGREEMENTS, "Your role cannot change sharing agreements", hide=False)
    form = AgreementForm(request.POST or None, initial={"party_ids": [request.actor.organisation_id]})

    def _create(data: dict[str, Any]) -> DataSharingAgreement:
        data["party_ids"] = [org.pk for org in data["party_ids"]]
        data["purposes"] = data["purposes"] or [SharingPurpose.DIRECT_CARE]
        return services.create_agreement(actor=request.actor, **data)

    created = save_form(request, form, _create)
    if created is not None:
        messages.info(request, f"Agreement {created.reference} recorded")
        return redirect("web:agreement", agreement_id=created.pk)
    return render_form(request, "web/agreements/form.html", {"form": form})


@actor_required
@no_personal_data("agreements describe organisations, not people")
def agreement_end(request: ActorRequest, agreement_id: int) -> HttpResponse:
    need(request, Permission.MANAGE_AGREEMENTS, "Your role cannot change sharing agreements", hide=False)
    try:
        found = selectors.get_agreement(actor=request.actor, agreement_id=agreement_id)
        if request.method == "POST" or services.agreement_has_ended(found):
            services.end_agreement(actor=request.actor, agreement_id=agreement_id)
            messages.info(request, f"Agreement {found.reference} has ended: sharing under it has stopped")
            return redirect("web:agreement", agreement_id=agreement_id)
    except (NotFound, NotAllowed) as exc:
        raise Http404(str(exc)) from exc
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect("web:agreement", agreement_id=agreement_id)
    return render(request, "web/agreements/end.html", {"agreement": found})
