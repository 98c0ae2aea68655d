"""Template context: navigation for the actor's role and their memberships for the organisation switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from homeward.core.roles import Permission

NAVIGATION = [
    ("Find a person", "people:search", Permission.VIEW_PERSON),
    ("Hospital to Home", "discharge:worklist", Permission.VIEW_PERSON),
    ("A&E to Home", "discharge:frequent_attenders", Permission.VIEW_PERSON),
    ("Referrals", "referrals:inbox", Permission.VIEW_PERSON),
    ("Adaptations", "adaptations:worklist", Permission.VIEW_PERSON),
    ("Care homes", "carehomes:homes", Permission.VIEW_PERSON),
    ("Supported housing", "housing:schemes", Permission.VIEW_PERSON),
    ("Reablement", "reablement:units", Permission.VIEW_PERSON),
    ("Caseload", "support:caseload", Permission.VIEW_PERSON),
    ("Directory", "referrals:directory", None),
    ("Prevention", "prevention:alerts", Permission.VIEW_PERSON),
    ("Tenants in hospital", "linkage:alerts", Permission.VIEW_PERSON),
    ("Person linkage", "linkage:home", Permission.REVIEW_LINKS),
    ("Dashboard", "discharge:dashboard", Permission.VIEW_PSEUDONYMISED),
    ("Weekly sitrep", "discharge:sitrep", Permission.VIEW_PSEUDONYMISED),
    ("KPIs", "outcomes:kpis", Permission.VIEW_PSEUDONYMISED),
    ("What if?", "outcomes:scenario", Permission.VIEW_PSEUDONYMISED),
    ("Business cases", "outcomes:cases", Permission.VIEW_PSEUDONYMISED),
    ("Measured impact", "evaluation:home", Permission.RUN_EVALUATIONS),
    ("Linked outcomes", "linkage:analytics", Permission.VIEW_PSEUDONYMISED),
    ("Outcome contracts", "contracts:list", Permission.VIEW_CONTRACTS),
    ("Unit costs", "outcomes:unit_costs", Permission.MANAGE_ORGANISATION),
    ("Sharing agreements", "web:agreements", Permission.VIEW_AGREEMENTS),
    ("Jobs", "jobs:list", None),
    ("Audit log", "web:audit", Permission.VIEW_AUDIT),
    ("Organisations", "staff:organisations", Permission.MANAGE_ORGANISATION),
    ("Users", "staff:users", Permission.MANAGE_ORGANISATION),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"nav_items": [], "memberships": []}
    items = [
        (label, reverse(name))
        for label, name, permission in NAVIGATION
        if permission is None or actor.can(permission)
    ]
    memberships = getattr(request, "memberships", [])  # read once per request by ActorMiddleware
    # `can.<permission>` lets a template offer only what the role can open (tabs, buttons).
    can = {permission.value: actor.can(permission) for permission in Permission}
    return {"nav_items": items, "memberships": memberships, "actor": actor, "can": can}
