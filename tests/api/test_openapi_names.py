"""Every schema and code list the JSON API describes has one meaning per name. The OpenAPI document keys its
components by class name, so two classes of the same name (a `Destination` in two apps, say) would leave
one of them described by the other's fields, and clients and schemathesis would read the wrong contract."""

from __future__ import annotations

import json
from typing import Any

from homeward.urls import api


def _routers(router: Any) -> list[Any]:
    found = [router]
    for _, child in getattr(router, "_routers", []):
        found += _routers(child)
    return found


def _definitions() -> dict[str, set[str]]:
    """name -> every distinct JSON Schema given under that name by some operation's models."""
    seen: dict[str, set[str]] = {}
    routers = [router for _, top in api._routers for router in _routers(top)]
    for router in routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                models = list(operation.models) + [
                    m for m in operation.response_models.values() if hasattr(m, "model_json_schema")
                ]
                for model in models:
                    schema = model.model_json_schema()
                    for name, definition in schema.get("$defs", {}).items():
                        seen.setdefault(name, set()).add(json.dumps(definition, sort_keys=True))
    return seen


def test_no_two_components_share_a_name():
    definitions = _definitions()
    assert len(definitions) > 20  # the walk found the API's models
    clashes = {name: len(variants) for name, variants in definitions.items() if len(variants) > 1}
    assert clashes == {}
