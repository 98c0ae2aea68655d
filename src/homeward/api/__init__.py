"""The JSON API at /api/v1/ (django-ninja). Routers live next to their app (`<app>/api.py`)."""

from homeward.api.base import api

__all__ = ["api"]
