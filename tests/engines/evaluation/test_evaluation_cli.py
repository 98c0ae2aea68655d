"""`homeward evaluate SPEC.yaml --data DIR [--json]`, through typer's CliRunner on a fresh app."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer
import yaml
from evaluation_cases import planted, spec_with
from typer.testing import CliRunner

from homeward.cli.evaluate import register
from homeward.engines.evaluation import evaluate, read_data


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:  # keeps `evaluate` a named sub-command, as in the real CLI
        pass

    return app


@pytest.fixture(scope="module")
def planted_set():
    return planted(seed=51, people=800, treated=90)


@pytest.fixture
def files(tmp_path, planted_set):
    planted_set.write(tmp_path / "data")
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(planted_set.spec))
    return spec, tmp_path / "data"


def run(app, *args):
    return CliRunner().invoke(app, ["evaluate", *map(str, args)])


def test_json_output_is_the_documented_summary(app, files):
    spec, data = files
    result = run(app, spec, "--data", data, "--json", "--no-robustness")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"effect", "ci95", "p_value", "treated", "matched", "sms_level", "pre_trend_p"}
    expected = evaluate(yaml.safe_load(spec.read_text()), read_data(data), robustness=False)
    assert out == json.loads(json.dumps(expected.summary()))
    assert out["ci95"][0] < out["effect"] < out["ci95"][1]
    assert out["sms_level"] in (2, 3)


def test_full_result_written_with_out_round_trips(app, files, tmp_path):
    spec, data = files
    target = tmp_path / "result.json"
    result = run(app, spec, "--data", data, "--out", target)
    assert result.exit_code == 0, result.output
    assert "SMS level" in result.stdout and "Balance" in result.stdout and "Robustness" in result.stdout
    full = json.loads(target.read_text())
    assert {"estimate", "balance", "event_study", "robustness", "matching", "caveats", "sms_reason"} <= set(
        full
    )
    assert full["balance"][0]["flagged_before"] in (True, False)


def test_bad_spec_exits_2_naming_the_field(app, files, planted_set):
    spec, data = files
    spec.write_text(yaml.safe_dump(spec_with(planted_set, matching={"caliper": -1})))
    result = run(app, spec, "--data", data, "--json")
    assert result.exit_code == 2
    assert "matching.caliper" in result.stderr and "nothing was run" in result.stderr


def test_unknown_outcome_exits_2_naming_outcome(app, files, planted_set):
    spec, data = files
    spec.write_text(yaml.safe_dump(spec_with(planted_set, outcome="evictions")))
    result = run(app, spec, "--data", data)
    assert result.exit_code == 2
    assert "outcome: unknown outcome 'evictions'" in result.stderr


def test_bad_data_exits_2_naming_file_row_and_column(app, files):
    spec, data = files
    lines = (data / "activity.csv").read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",lots"
    (data / "activity.csv").write_text("\n".join(lines) + "\n")
    result = run(app, spec, "--data", data)
    assert result.exit_code == 2
    assert "activity.csv, row 2, count" in result.stderr


def test_missing_data_directory_exits_2(app, files, tmp_path):
    spec, _ = files
    result = run(app, spec, "--data", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "is not a directory" in result.stderr


def test_evaluate_is_registered_in_the_real_cli():
    from homeward.cli import _register
    from homeward.cli import app as real

    _register()
    assert "evaluate" in {c.name for c in real.registered_commands}


def test_the_engine_and_its_command_import_no_django_and_no_other_homeward_package():
    code = (
        "import sys, homeward.engines.evaluation, homeward.cli.evaluate\n"
        "assert not [m for m in sys.modules if m.startswith('django')]\n"
        "others = [m for m in sys.modules if m.startswith('homeward.') and not m.startswith("
        "('homeward.engines.evaluation', 'homeward.cli', 'homeward.engines'))]\n"
        "assert not others, others\n"
        "assert not [m for m in sys.modules if m.startswith('homeward.engines.') and not "
        "m.startswith('homeward.engines.evaluation')]"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
