"""The ``weekdate-bot`` console script runs the same entry as ``python -m bot``."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import bot.cli

ROOT = Path(__file__).parents[2]


def test_console_script_is_the_python_m_bot_entry() -> None:
    (script,) = entry_points(group="console_scripts", name="weekdate-bot")
    assert script.value == "bot.cli:main"
    assert script.load() is bot.cli.main


def test_python_m_bot_calls_bot_cli_main() -> None:
    tree = ast.parse((ROOT / "bot" / "__main__.py").read_text(encoding="utf-8"))
    imports = [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]
    assert imports == [("bot.cli", "main")]


def test_installed_script_runs_the_cli(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "weekdate-bot"
    result = subprocess.run(
        [str(script), "dance"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.startswith("fout: ")
