"""The audit log for IG officers: who looked at what, when and why."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from homeward.core.roles import Permission
from homeward.core.validators import CleanForm
from homeward.governance.models import AuditAction
from homeward.governance.routes import personal_data
from homeward.governance.selectors import audit_events_for
from homeward.web.views import ActorRequest, actor_required, need

_INPUT = {"class": "nhsuk-input nhsuk-input--width-10"}


class AuditFilterForm(CleanForm):
    person_id = forms.IntegerField(
        label="Person id", required=False, min_value=1, widget=forms.NumberInput(attrs=_INPUT)
    )
    username = forms.CharField(required=False, max_length=150, widget=forms.TextInput(attrs=_INPUT))
    action = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), *AuditAction.choices],
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs=_INPUT))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs=_INPUT))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The 'to' date must be on or after the 'from' date")
        return data


@actor_required
@personal_data("search", Permission.VIEW_AUDIT, reach="own")
def audit(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_AUDIT, "Only IG officers see the audit log")
    form = AuditFilterForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        filters = form.cleaned_data if request.GET else {}
        events = audit_events_for(request.actor, **{k: v for k, v in filters.items() if v not in (None, "")})
        page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "web/audit/list.html", {"form": form, "page": page}, status=400 if form.errors else 200
    )
