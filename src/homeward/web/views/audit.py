"""The audit log for IG officers: who looked at what, when and why."""

from __future__ import annotations

import csv

from django import forms
from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from homeward.core.models import Person, User
from homeward.core.roles import Permission, Role
from homeward.core.validators import CleanForm
from homeward.governance.access import visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, AuditEvent
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


#: The most rows one CSV export carries: enough for a subject access request or an incident review, and a
#: bound on the work one request can ask for. Narrow the filters for more.
CSV_LIMIT = 10_000


def _names(actor: ActorRequest, events: list[AuditEvent]) -> None:
    """Give each event a person's name for who acted, a role label, and a human name for the object
    ("H2H-000021 – June Ali" rather than "discharge.dischargecase 21"). Names of people come only from
    records the IG officer's organisation may see."""
    user_ids = {e.actor_id for e in events if e.actor_id}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    person_ids = {e.person_id for e in events if e.person_id}
    people = {p.pk: p.full_name for p in visible_people(actor.actor).filter(pk__in=person_ids)}
    by_type: dict[str, set[str]] = {}
    for e in events:
        if e.object_type and e.object_id:
            by_type.setdefault(e.object_type, set()).add(e.object_id)
    objects: dict[tuple[str, str], str] = {}
    for label, ids in by_type.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        wanted = [int(i) for i in ids if i.isdigit()]
        if model is Person:
            for pk in wanted:
                if pk in people:
                    objects[(label, str(pk))] = people[pk]
            continue
        for obj in model._default_manager.filter(pk__in=wanted):
            name = str(getattr(obj, "reference", None) or obj)
            owner = people.get(getattr(obj, "person_id", None) or 0)
            objects[(label, str(obj.pk))] = f"{name} – {owner}" if owner else name
    for e in events:
        user = users.get(e.actor_id or 0)
        e.who = (user.get_full_name() or user.username) if user else e.actor_username  # type: ignore[attr-defined]
        e.role_label = Role(e.role).label if e.role in Role.values else e.role  # type: ignore[attr-defined]
        e.person_name = people.get(e.person_id or 0, "")  # type: ignore[attr-defined]
        e.object_name = objects.get(  # type: ignore[attr-defined]
            (e.object_type, e.object_id),
            f"{apps_label(e.object_type)} {e.object_id}".strip() if e.object_type else "",
        )


def apps_label(object_type: str) -> str:
    """ "discharge.dischargecase" -> "Discharge case" (the model's verbose name), else the label."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return object_type


@actor_required
@personal_data("search", Permission.VIEW_AUDIT, reach="own")
def audit(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_AUDIT, "Only IG officers see the audit log")
    query = request.GET.copy()
    query.pop("page", None)
    wants_csv = query.pop("format", [""])[-1] == "csv"
    form = AuditFilterForm(query or None)
    page = None
    if not query or form.is_valid():
        filters = form.cleaned_data if query else {}
        events = audit_events_for(request.actor, **{k: v for k, v in filters.items() if v not in (None, "")})
        if wants_csv:
            return _csv(request, events)
        page = Paginator(events, 50).get_page(request.GET.get("page"))
        _names(request, list(page.object_list))
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "web/audit/list.html", context, status=400 if form.errors else 200)


def _csv(request: ActorRequest, events: QuerySet[AuditEvent]) -> HttpResponse:
    rows = list(events[: CSV_LIMIT + 1])
    truncated = len(rows) > CSV_LIMIT
    rows = rows[:CSV_LIMIT]
    _names(request, rows)
    record_event(
        actor=request.actor,
        action=AuditAction.EXPORT,
        purpose="Export the audit log as CSV",
        detail={"rows": len(rows), "truncated": truncated},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="homeward-audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(["When", "Who", "Username", "Role", "Action", "Object", "Person id", "Person", "Why"])
    for e in rows:
        writer.writerow(
            [
                e.occurred_at.isoformat(),
                e.who,  # type: ignore[attr-defined]
                e.actor_username,
                e.role_label,  # type: ignore[attr-defined]
                e.get_action_display(),
                e.object_name,  # type: ignore[attr-defined]
                e.person_id or "",
                e.person_name,  # type: ignore[attr-defined]
                e.purpose,
            ]
        )
    if truncated:
        writer.writerow([f"Only the first {CSV_LIMIT:,} events: narrow the filters for the rest"])
    return response
