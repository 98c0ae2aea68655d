"""The JSON API toolkit at /api/v1/ (django-ninja): the NinjaAPI instance and its errors (`base`), bearer
tokens (`auth`), the acting membership (`context`), and the platform's own endpoints (`governance`).

Each domain app keeps its router next to it (`<app>/api.py`); `homeward.urls` mounts them all, so this
package imports no domain app. Every operation except POST /auth/token needs `Authorization: Bearer <token>`.
"""
