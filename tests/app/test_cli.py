"""The command line: one clear line and exit code 2 for every mistake; staff add/list; console."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main, roles_after_add
from bot.config import CONSOLE_DATABASE_URL, Config, TeamConfig, console_config
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


# --- staff add: adding adds, replacing is explicit (issue 9, defect 14) ----------------------


def test_roles_after_add_adds_and_replaces_only_when_asked() -> None:
    held = frozenset({Role.TEAMLEIDER})
    assert roles_after_add(held, [Role.CONSULENT], replace=False) == {
        Role.TEAMLEIDER,
        Role.CONSULENT,
    }
    assert roles_after_add(held, [Role.CONSULENT], replace=True) == {Role.CONSULENT}
    # Someone who is not (or no longer) active staff gets exactly the roles given.
    assert roles_after_add(None, [Role.CONSULENT], replace=False) == {Role.CONSULENT}


def test_staff_add_keeps_an_existing_teamleider_and_set_roles_replaces(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite'}"}
    base = ("staff", "add", "--telegram-id", "77", "--team", "Team Werk")
    first = cli(*base, "--role", "teamleider", "--name", "Anna", env=env)
    assert first.returncode == 0, first.stderr
    added = cli(*base, "--role", "consulent", env=env)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Anna (77) is nu consulent, teamleider in Team Werk."
    replaced = cli(*base, "--role", "consulent", "--set-roles", env=env)
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.strip().splitlines() == [
        "Anna (77) is nu consulent in Team Werk.",
        "Rollen vervangen; niet meer: teamleider.",
    ]
    listed = cli("staff", "list", env=env)
    assert "77\tAnna\tTeam Werk\tconsulent\tactief" in listed.stdout


# --- console mode: its own database, files saved (issue 9, defect 18) -------------------------


def test_console_config_uses_its_own_database_unless_told() -> None:
    file_config = Config(database_url="sqlite+aiosqlite:///data/weekdate.sqlite")
    assert console_config(file_config, {}, None).database_url == CONSOLE_DATABASE_URL
    from_env = Config(database_url="sqlite+aiosqlite:///elders.sqlite")
    assert console_config(
        from_env, {"DATABASE_URL": "sqlite+aiosqlite:///elders.sqlite"}, None
    ) == (from_env)
    flagged = console_config(file_config, {}, "sqlite+aiosqlite:///x.sqlite")
    assert (flagged.database_url, flagged.database_setting) == (
        "sqlite+aiosqlite:///x.sqlite",
        "--database",
    )


def test_console_without_token_does_not_touch_the_bot_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path, capture_output=True, text=True, input="/start\n:stop\n", timeout=60,
        env={"PATH": "/usr/bin:/bin", "LOG_LEVEL": "WARNING"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "console.sqlite").exists()
    assert not (tmp_path / "data" / "weekdate.sqlite").exists()
    assert "database: sqlite+aiosqlite:///data/console.sqlite" in result.stdout


async def test_console_saves_agenda_files_and_says_where(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite'}"
    runtime = Runtime(
        config=Config(teams=(TeamConfig("Team Werk"),), database_url=url),
        clock=FakeClock(DEFAULT_START),
        db=Database(create_engine(url)),
    )
    files = tmp_path / "files"
    lines: list[str] = []
    try:
        await run_console(
            runtime,
            Role.TEAMLEIDER,
            stdin=io.StringIO("/agenda pdf\n/agenda ics\n/agenda ics\n:stop\n"),
            out=lines.append,
            files_dir=files,
        )
    finally:
        await runtime.db.dispose()
    check_saved_files(lines, files)


def check_saved_files(lines: list[str], files: Path) -> None:
    """Every file the bot sent was saved in ``files``, and the console said where."""
    saved = [line for line in lines if line.startswith("bot> [bestand opgeslagen: ")]
    assert len(saved) == 3, lines
    for line in saved:
        path = Path(line.removeprefix("bot> [bestand opgeslagen: ").split("]")[0])
        assert path.parent == files and path.stat().st_size > 0
    pdf = next(files.glob("*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert len(list(files.glob("*.ics"))) == 2  # the second one does not overwrite the first


# --- start-up errors are one line and exit code 2 (issue 9, defect 19) ------------------------

UNREACHABLE = "postgresql+asyncpg://weekdate:geheim@127.0.0.1:1/weekdate"


def test_bad_log_level_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    assert main(["staff", "list"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "fout: LOG_LEVEL: onbekend logniveau 'chatty'; kies uit DEBUG, INFO, WARNING, ERROR of "
        "CRITICAL"
    ]


@pytest.mark.parametrize(
    "argv",
    [["staff", "list"], ["db", "upgrade"], ["run"], ["console", "--database", UNREACHABLE]],
)
def test_unreachable_postgresql_is_one_line_and_exit_2(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.setenv("BOT_TOKEN", "123:local")  # run must not fall back to the console
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    assert main(argv) == 2
    setting = "--database" if argv[0] == "console" else "DATABASE_URL"
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"fout: {setting}: kan de database niet bereiken (")
    assert "geheim" not in err[0]


def test_unreachable_postgresql_from_the_command_line(tmp_path: Path) -> None:
    result = cli("staff", "list", env={"DATABASE_URL": UNREACHABLE})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("fout: DATABASE_URL: kan de database niet bereiken")


async def test_console_says_to_whom_a_private_message_to_a_colleague_went(tmp_path: Path) -> None:
    """/overdracht tells the new owner in private: the console shows that message as theirs
    (not as a reply to you), and its buttons get no number you could type."""
    from bot.config import with_profile

    url = f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite'}"
    runtime = Runtime(
        config=with_profile(Config(database_url=url), "dalfsen"),
        clock=FakeClock(DEFAULT_START),
        db=Database(create_engine(url)),
    )
    script = "/overdracht D-101\n1\nAfwezigheid consulent\n1\n:stop\n"
    lines: list[str] = []
    try:
        await run_console(
            runtime, Role.ADMIN, stdin=io.StringIO(script), out=lines.append, demo=True
        )
    finally:
        await runtime.db.dispose()
    transcript = "\n".join(lines)
    assert "bot> ✅ D-101 is overgedragen aan Demo loopbaanbegeleider" in transcript
    assert "bot> [privé aan Demo loopbaanbegeleider] 📥 *Je hebt D-101 overgenomen*" in transcript
