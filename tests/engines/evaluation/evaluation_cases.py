"""Small planted data sets shared by the evaluation tests."""

from __future__ import annotations

from typing import Any

from homeward.engines.evaluation import EvaluationData, SyntheticSet, generate


def planted(seed: int = 7, **kwargs: Any) -> SyntheticSet:
    options: dict[str, Any] = {
        "people": 1_200,
        "treated": 150,
        "months": 30,
        "pre_months": 9,
        "post_months": 9,
    }
    options.update(kwargs)
    return generate(seed=seed, **options)


def spec_with(base: SyntheticSet | dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The set's spec (or a spec) with top-level keys replaced (nested dicts merged one level)."""
    spec = dict(base.spec if isinstance(base, SyntheticSet) else base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(spec.get(key), dict):
            spec[key] = {**spec[key], **value}
        else:
            spec[key] = value
    return spec


def data_of(base: SyntheticSet) -> EvaluationData:
    return base.data()
