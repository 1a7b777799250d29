"""The command line: one clear line and exit code 2 for every mistake; staff add/list; console."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.config import Config, TeamConfig
from bot.console import run_console
from bot.core.clock import FakeClock
from bot.core.roles import Role
from bot.runtime import Runtime
from storage.db import Database, create_engine
from tests.support.harness import DEFAULT_START

ROOT = Path(__file__).parents[2]


def cli(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=60,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )  # fmt: skip


def test_bad_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[bot]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    result = cli("--config", str(bad), "staff", "list")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "fout: bot.timezone: onbekende tijdzone 'Mars/Olympus'"
    ]


def test_unknown_subcommand_and_role_exit_2(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite'}"}
    assert cli("dance", env=env).returncode == 2
    result = cli(
        "staff", "add", "--telegram-id", "5", "--role", "koning", "--team", "Team Werk", env=env
    )
    assert result.returncode == 2 and "onbekende rol 'koning'" in result.stderr
    result = cli(
        "staff", "add", "--telegram-id", "5", "--role", "consulent", "--team", "Nope", env=env
    )
    assert result.returncode == 2 and "onbekend team 'Nope'" in result.stderr


def test_db_upgrade_and_staff_add_list(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite'}"}
    assert cli("db", "upgrade", env=env).stdout.strip() == "Database bijgewerkt."
    added = cli(
        "staff", "add", "--telegram-id", "4242", "--role", "consulent", "--role", "netwerker",
        "--team", "Team Werk", "--name", "Sanne", env=env,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Sanne (4242) is nu consulent, netwerker in Team Werk." in added.stdout
    listed = cli("staff", "list", env=env)
    assert "4242\tSanne\tTeam Werk\tconsulent,netwerker\tactief" in listed.stdout.replace(", ", ",")


async def test_console_transcript(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite'}"
    runtime = Runtime(
        config=Config(teams=(TeamConfig("Team Werk"),), database_url=url),
        clock=FakeClock(DEFAULT_START),
        db=Database(create_engine(url)),
    )
    script = "/help\n/uitnodigen\n1\n7\n:gebruiker 999\nhallo\n:stop\n"
    lines: list[str] = []
    try:
        await run_console(runtime, Role.ADMIN, stdin=io.StringIO(script), out=lines.append)
    finally:
        await runtime.db.dispose()
    transcript = "\n".join(lines)
    assert "bot> *Wat je kunt*" in transcript
    assert "   [1] consulent" in transcript
    assert "Uitnodiging gemaakt voor Team Werk als consulent" in transcript
    assert "Gebruiker 999> hallo\nbot> Deze bot is alleen voor medewerkers." in transcript
