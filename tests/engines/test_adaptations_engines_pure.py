"""The adaptations engines and their CLI commands import no Django and no Homeward app."""

from __future__ import annotations

import json
import subprocess
import sys

MODULES = [
    "homeward.engines.hhsrs",
    "homeward.engines.hhsrs.awaab",
    "homeward.engines.dfg",
    "homeward.engines.healthyhomes",
    "homeward.engines.workdays",
    "homeward.cli.hhsrs",
    "homeward.cli.dfg",
]


def test_engines_and_their_commands_load_without_django_or_any_app():
    code = (
        "import importlib, json, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('django', 'homeward')))))\n"
    )
    loaded = json.loads(
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    )
    assert not [m for m in loaded if m.startswith("django")]
    allowed = ("homeward", "homeward.cli", "homeward.engines")
    assert [
        m for m in loaded if not (m in allowed or m.startswith(("homeward.engines.", "homeward.cli.")))
    ] == []
    assert {m for m in loaded if m.startswith("homeward.cli.")} == {"homeward.cli.hhsrs", "homeward.cli.dfg"}
