"""A small JSON client for the API over real HTTP (pytest-django's live_server, urllib)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import PASSWORD


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: Any
    headers: Any

    @property
    def fields(self) -> list[str]:
        """The fields a problem+json body names."""
        return [e["field"] for e in (self.body or {}).get("errors", [])]


class ApiClient:
    def __init__(self, base_url: str):
        self.base_url = base_url

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return self._reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return self._reply(error.code, error.headers, error.read())

    @staticmethod
    def _reply(status: int, headers: Any, content: bytes) -> Reply:
        text = content.decode()
        return Reply(status, headers.get("Content-Type", ""), json.loads(text) if text else None, headers)

    def token_for(self, membership: Any, **extra: Any) -> str:
        reply = self(
            "POST", "/auth/token", {"username": membership.user.username, "password": PASSWORD, **extra}
        )
        assert reply.status == 200, reply.body
        return str(reply.body["token"])


@pytest.fixture
def api(live_server) -> ApiClient:
    return ApiClient(f"{live_server.url}/api/v1")
