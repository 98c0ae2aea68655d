"""The shipped example models load, appraise and simulate, and label their assumptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from homeward.engines.cba import appraise, load_model, simulate, switching_values

EXAMPLES = sorted((Path(__file__).parents[3] / "examples" / "cba").glob("*.yaml"))


def test_the_three_example_services_are_shipped():
    assert {p.name for p in EXAMPLES} >= {
        "hospital_to_home_housing_officer.yaml",
        "hospital_at_home.yaml",
        "social_prescribing.yaml",
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_appraises_and_simulates(path):
    model = load_model(path)
    a = appraise(model)
    assert a.pv_costs > 0 and a.public_value > 0
    mc = simulate(model, 2000, seed=1)
    assert 0.0 <= mc.probability_npv_positive <= 1.0
    assert len(switching_values(model)) > 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_number_in_an_example_is_labelled(path):
    text = path.read_text(encoding="utf-8")
    assert "ASSUMPTION" in text
    for key in ("unit_value", "success_rate", "deadweight", "attribution", "optimism_bias"):
        for line in text.splitlines():
            if line.strip().startswith(f"{key}:") and "#" not in line:
                # The label may sit on the comment lines just above a value.
                block = text[: text.index(line)].splitlines()[-6:]
                assert any("ASSUMPTION" in b or "SOURCE" in b for b in block), (path.name, line)
