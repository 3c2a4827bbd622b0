"""botbuilder stays inside ``bot/teams``, so moving to the Microsoft 365 Agents SDK (the
successor of the end-of-support botbuilder-python) touches one package.

``tests/test_architecture.py`` checks ``botbuilder`` imports; this also covers the
packages botbuilder brings (``botframework``, ``msrest``), and checks that a process
without Teams never loads them at all.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_architecture import imported_modules

ROOT = Path(__file__).resolve().parents[2]
BOT_FRAMEWORK = {"botbuilder", "botframework", "msrest"}


def test_bot_framework_packages_are_imported_only_in_bot_teams() -> None:
    offenders = []
    for package in ("bot", "flows", "rubrics", "storage", "manifests"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative.parts[:2] == ("bot", "teams"):
                continue
            for module in imported_modules(path):
                if module.split(".")[0] in BOT_FRAMEWORK:
                    offenders.append(f"{relative} imports {module}")
    assert offenders == []


def test_a_slack_only_process_never_loads_botbuilder() -> None:
    code = (
        "import sys, bot.wiring, bot.server, bot.cli_manifest, bot.teams.manifest\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(BOT_FRAMEWORK)!r})\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"
