"""The import contracts in pyproject.toml (`lint-imports`, run by `make test`) hold for the code, and each
one breaks, naming the import, when a deliberately wrong import is added to a copy of the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# One wrong import per contract: (file in src/homeward, the line added, what the report must name).
WRONG_IMPORTS = [
    (
        "core/models.py",
        "from homeward.governance import access",
        "homeward.core.models -> homeward.governance",
    ),
    (
        "governance/access.py",
        "from homeward.people import selectors",
        "homeward.governance.access -> homeward",
    ),
    ("engines/cba/kernel.py", "import django", "homeward.engines.cba.kernel -> django"),
    (
        "governance/audit.py",
        "from homeward.engines.cba import kernel",
        "homeward.governance.audit -> homeward.engines.cba.kernel",
    ),
    (
        "discharge/services.py",
        "from homeward.referrals import views",
        "homeward.discharge.services -> homeward.referrals.views",
    ),
]


def _lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_contracts_hold():
    result = _lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.slow
def test_each_contract_breaks_on_a_wrong_import(tmp_path):
    shutil.copytree(
        ROOT / "src" / "homeward",
        tmp_path / "src" / "homeward",
        ignore=shutil.ignore_patterns(
            "__pycache__", "static", "templates", "migrations", "*.json", "*.csv", "*.yaml"
        ),
    )
    (tmp_path / "tests" / "layers").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "__init__.py", tmp_path / "tests" / "__init__.py")
    shutil.copy(ROOT / "tests" / "layers" / "contracts.py", tmp_path / "tests" / "layers" / "contracts.py")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for relative, line, _ in WRONG_IMPORTS:
        module = tmp_path / "src" / "homeward" / relative
        module.write_text(module.read_text() + f"\n{line}  # deliberately wrong\n")

    result = _lint(tmp_path, tmp_path / "src")

    report = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1, report
    assert "4 broken" in report, report
    for _, _, named in WRONG_IMPORTS:
        assert named in report, f"the report does not name {named!r}:\n{report}"
