"""The JSON API at /api/v1/ (django-ninja). Routers live next to their app (`<app>/api.py`).

Every operation except POST /auth/token needs `Authorization: Bearer <token>`.
"""

from django.http import HttpRequest
from ninja import Router

from homeward.api.auth import bearer
from homeward.api.auth import router as auth_router
from homeward.api.base import api
from homeward.core.api import organisations as organisations_router
from homeward.core.api import router as people_router
from homeward.core.errors import NotFound
from homeward.discharge.api import router as discharge_router
from homeward.governance.api import router as governance_router
from homeward.governance.routes import no_personal_data

api.add_router("/auth", auth_router)
api.add_router("/", people_router, auth=bearer)
api.add_router("/", organisations_router, auth=bearer)
api.add_router("/", governance_router, auth=bearer)
api.add_router("/", discharge_router, auth=bearer)

# Added last, so it matches only paths no operation above claims: an unknown /api/v1/ URL answers
# problem+json like every other API error, not the HTML "page not found".
unknown = Router(tags=["errors"])


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
@no_personal_data("answers 404 for unknown API paths")
def unknown_path(request: HttpRequest, rest: str) -> None:
    raise NotFound(f"No API operation at /api/v1/{rest}; see /api/v1/docs")


api.add_router("/", unknown)

__all__ = ["api"]
