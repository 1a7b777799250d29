"""``python -m bot``: run (default), console, db upgrade, db revision, staff add, staff list.

Errors are one clear Dutch line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy.engine import Connection

from bot.config import Config, ConfigError, console_config, load_config, log_level
from bot.core.clock import SystemClock
from bot.core.roles import Role
from bot.core.vocabulary import AuditAction, AuditResult
from bot.runtime import Runtime
from storage.db import Database, create_engine

log = logging.getLogger("bot")


class CliError(Exception):
    """A usage mistake, shown as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = _Parser(prog="python -m bot", description="De weekdate-bot.")
    parser.add_argument("--config", type=Path, help="pad naar config.toml (of BOT_CONFIG)")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start de bot (standaard)")
    console = sub.add_parser("console", help="chat met de bot in de terminal")
    console.add_argument("--as", dest="role", default="admin", help="rol waarmee je typt")
    console.add_argument(
        "--database",
        help="database-URL van de console (standaard DATABASE_URL, anders "
        "data/console.sqlite; nooit die van de Telegram-bot)",
    )
    db = sub.add_parser("db", help="database")
    db.add_argument("action", choices=["upgrade", "revision"])
    db.add_argument("-m", "--message", help="omschrijving van de nieuwe migratie (revision)")
    staff_cmd = sub.add_parser("staff", help="medewerkers")
    staff_sub = staff_cmd.add_subparsers(dest="action", required=True)
    add = staff_sub.add_parser("add", help="voeg een medewerker toe")
    add.add_argument("--telegram-id", type=int, required=True)
    add.add_argument("--role", action="append", required=True, help="herhaal voor meer rollen")
    add.add_argument("--team", required=True)
    add.add_argument("--name", default="")
    add.add_argument(
        "--set-roles",
        action="store_true",
        help="vervang de rollen van een bestaande medewerker (standaard: rollen erbij)",
    )
    staff_sub.add_parser("list", help="toon alle medewerkers")
    return parser


def _runtime(config: Config) -> Runtime:
    return Runtime(
        config=config,
        clock=SystemClock(config.timezone),
        db=Database(create_engine(config.database_url)),
    )


def _roles(values: Sequence[str]) -> list[Role]:
    roles = []
    for value in values:
        try:
            roles.append(Role(value.strip().lower()))
        except ValueError:
            raise CliError(
                f"onbekende rol {value!r}; kies uit {', '.join(r.value for r in Role)}"
            ) from None
    return roles


def roles_after_add(
    held: frozenset[Role] | None, given: Sequence[Role], *, replace: bool
) -> frozenset[Role]:
    """The roles a member has after ``staff add``: adding adds, replacing is explicit.

    ``held`` is None for someone who is not active staff: they get exactly ``given`` (a
    deactivated member does not silently get old roles back).
    """
    if held is None or replace:
        return frozenset(given)
    return held | frozenset(given)


async def _staff_add(runtime: Runtime, args: argparse.Namespace) -> None:
    from bot.app import prepare_database
    from storage import audit, staff, teams

    roles = _roles(args.role)
    await prepare_database(runtime)
    async with runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, args.team)
        if team is None:
            names = ", ".join(t.name for t in runtime.config.teams)
            raise CliError(f"onbekend team {args.team!r}; teams in de config: {names}")
        now = runtime.clock.now()
        existing = await staff.get_active_staff(session, args.telegram_id)
        held = existing.roles if existing is not None else None
        member = await staff.upsert_staff(
            session,
            telegram_user_id=args.telegram_id,
            display_name=args.name
            or (existing.display_name if existing else f"Medewerker {args.telegram_id}"),
            team_id=team.id,
            roles=roles_after_add(held, roles, replace=args.set_roles),
            now=now,
        )
        await audit.record(
            session,
            at=now,
            action=AuditAction.STAFF_ADD_CLI,
            result=AuditResult.OK,
            object=f"staff:{member.staff_id}",
        )
    print(
        f"{member.display_name} ({member.telegram_user_id}) is nu "
        f"{', '.join(sorted(r.label for r in member.roles))} in {member.team_name}."
    )
    dropped = (held or frozenset()) - member.roles
    if dropped:
        print(f"Rollen vervangen; niet meer: {', '.join(sorted(r.label for r in dropped))}.")


async def _staff_list(runtime: Runtime) -> None:
    from bot.app import prepare_database
    from storage import staff

    await prepare_database(runtime)
    async with runtime.db.transaction() as session:
        members = await staff.list_staff(session, active_only=False)
    if not members:
        print("Nog geen medewerkers.")
    for m in members:
        state = "actief" if m.active else "gedeactiveerd"
        roles = ", ".join(sorted(r.value for r in m.roles))
        print(f"{m.telegram_user_id}\t{m.display_name}\t{m.team_name}\t{roles}\t{state}")


async def _db_revision(message: str) -> Path:
    """Autogenerate the next migration from the models; the path of the new file.

    Compares the models with a temporary SQLite database upgraded to the one head, so the
    configured database is never touched. Revision ids continue the numbering: ``0006_slug``.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config, upgrade

    cfg = alembic_config()
    cfg.set_main_option("file_template", "%%(rev)s")
    scripts = ScriptDirectory.from_config(cfg)
    heads = scripts.get_heads()
    if len(heads) != 1:
        raise CliError(
            f"de migraties hebben {len(heads)} heads ({', '.join(sorted(heads))}); "
            "voeg ze eerst samen met een merge-revisie"
        )
    numbers = [
        int(m.group()) for r in scripts.walk_revisions() if (m := re.match(r"\d+", r.revision))
    ]
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40].rstrip("_") or "revision"
    rev_id = f"{max(numbers, default=0) + 1:04d}_{slug}"
    with tempfile.TemporaryDirectory(prefix="weekdate-revision-") as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'head.sqlite'}")
        try:
            await upgrade(engine)

            def _generate(connection: Connection) -> Path:
                cfg.attributes["connection"] = connection
                script = command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
                assert script is not None and not isinstance(script, list)
                return Path(script.path)

            async with engine.connect() as connection:
                return await connection.run_sync(_generate)
        finally:
            await engine.dispose()


async def _with_runtime(config: Config, args: argparse.Namespace) -> None:
    runtime = _runtime(config)
    try:
        if args.command == "db":
            from bot.app import reach_database
            from storage.db import upgrade

            await reach_database(runtime)
            await upgrade(runtime.db.engine)
            print("Database bijgewerkt.")
        elif args.command == "staff" and args.action == "add":
            await _staff_add(runtime, args)
        elif args.command == "staff":
            await _staff_list(runtime)
        elif args.command == "console":
            from bot.console import run_console

            await run_console(runtime, _roles([args.role])[0])
    finally:
        await runtime.db.dispose()


async def _reach(config: Config) -> None:
    """Fail fast, as a configuration error, when the database cannot be reached."""
    from bot.app import reach_database

    runtime = _runtime(config)
    try:
        await reach_database(runtime)
    finally:
        await runtime.db.dispose()


def _run_telegram(config: Config) -> None:
    from bot.app import build_application

    # Before the first Bot API call, so a wrong database URL is reported as such.
    asyncio.run(_reach(config))
    runtime = _runtime(config)
    application = build_application(runtime)
    if config.telegram.mode == "webhook":
        hook = config.telegram.webhook
        application.run_webhook(
            listen=hook.listen,
            port=hook.port,
            url_path="telegram",
            webhook_url=hook.url,
            secret_token=hook.secret_token or None,
        )
    else:
        application.run_polling()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    try:
        logging.basicConfig(
            level=log_level(os.environ.get("LOG_LEVEL", "INFO")),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        # The token is part of every request URL: keep HTTP client logs quiet.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        logging.getLogger("alembic").setLevel(logging.WARNING)
        args = build_parser().parse_args(argv)
        if args.command == "db" and args.action == "revision":
            if not args.message:
                raise CliError('db revision: geef een omschrijving mee met -m "…"')
            print(f"Nieuwe migratie: {asyncio.run(_db_revision(args.message))}")
            return 0
        config = load_config(args.config, os.environ)
        command = args.command or "run"
        if command == "run" and not config.telegram.token:
            print(
                "Geen BOT_TOKEN: de bot start in consolemodus. Zet BOT_TOKEN=<token van "
                "@BotFather> om met Telegram te verbinden.",
                file=sys.stderr,
            )
            args.command, args.role, args.database = "console", "admin", None
            command = "console"
        if command == "console":
            config = console_config(config, os.environ, args.database)
        if command == "run":
            _run_telegram(config)
        else:
            asyncio.run(_with_runtime(config, args))
    except (ConfigError, CliError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0
