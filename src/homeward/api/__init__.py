"""The JSON API at /api/v1/ (django-ninja). Routers live next to their app (`<app>/api.py`).

Every operation except POST /auth/token needs `Authorization: Bearer <token>`.
"""

from homeward.api.auth import bearer
from homeward.api.auth import router as auth_router
from homeward.api.base import api
from homeward.core.api import organisations as organisations_router
from homeward.core.api import router as people_router
from homeward.discharge.api import router as discharge_router
from homeward.governance.api import router as governance_router

api.add_router("/auth", auth_router)
api.add_router("/", people_router, auth=bearer)
api.add_router("/", organisations_router, auth=bearer)
api.add_router("/", governance_router, auth=bearer)
api.add_router("/", discharge_router, auth=bearer)

__all__ = ["api"]
