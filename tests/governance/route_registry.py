"""Walk every URL pattern and API operation, with the personal-data marking of each."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Framework routes we do not write: Django admin (superusers only, tested separately), ninja's own docs.
FRAMEWORK_PREFIXES = ("admin/",)
FRAMEWORK_NAMES = {"openapi-json", "openapi-view", "api-root"}


@dataclass(frozen=True)
class Route:
    path: str  # e.g. "people/<int:person_id>/"
    method: str  # GET/POST/PATCH/...; "*" for page views (GET, or POST when an example body is given)
    view: Any
    is_api: bool
    name: str  # "namespace:url name" for pages (e.g. "people:person"), "namespace:handler" for API operations

    @property
    def marking(self) -> Any:
        return getattr(self.view, "personal_data", None)

    @property
    def exemption(self) -> str | None:
        return getattr(self.view, "no_personal_data", None)

    @property
    def label(self) -> str:
        return f"{self.method} /{self.path}"

    @property
    def writes(self) -> bool:
        """An API operation other than GET, or a page view that handles a POST (a form or an action)."""
        if self.is_api:
            return self.method not in ("GET", "HEAD", "OPTIONS")
        source = inspect.getsource(inspect.unwrap(self.view))
        return "request.POST" in source or "require_POST" in source

    def url(self, **values: Any) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match.group(2)
            if name not in values:
                raise KeyError(f"{self.label}: the access matrix has no value for <{name}>; add one")
            return str(values[name])

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, self.path)


def _path_view(callback: Any) -> Any | None:
    """django-ninja serves each path through a closure over its PathView, which holds the operations."""
    if getattr(callback, "__name__", "") not in ("sync_view_wrapper", "async_view_wrapper"):
        return None
    return inspect.getclosurevars(callback).nonlocals.get("self")


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def all_routes() -> list[Route]:
    """Each page view once, and each API operation once (ninja lists a shared path once per operation)."""
    routes: list[Route] = []
    seen: set[tuple[str, str]] = set()
    for path, pattern, namespace in _walk(get_resolver().url_patterns):
        if path.startswith(FRAMEWORK_PREFIXES) or pattern.name in FRAMEWORK_NAMES:
            continue
        path_view = _path_view(pattern.callback)
        if path_view is not None:
            for operation in path_view.operations:
                for method in operation.methods:
                    if (path, method) not in seen:
                        seen.add((path, method))
                        name = f"{namespace}:{operation.view_func.__name__}"
                        routes.append(Route(path, method, operation.view_func, True, name))
        else:
            routes.append(Route(path, "*", pattern.callback, False, f"{namespace}:{pattern.name}"))
    return routes


def all_examples() -> dict[str, dict[str, Any]]:
    """Every app's access-matrix examples (tests/<app>/access_examples.py), keyed by route name."""
    examples: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(__file__).resolve().parent.parent.glob("*/access_examples.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.access_examples")
        for name, example in module.EXAMPLES.items():
            assert name not in examples, f"{name} has examples in two modules"
            examples[name] = example
    return examples
