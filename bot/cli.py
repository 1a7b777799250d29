"""``python -m bot``: run (default), console, db upgrade/revision, staff add/list, backup, restore.

Errors are one clear Dutch line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.engine import Connection, make_url

from bot import profiles
from bot.config import Config, ConfigError, console_config, load_config, log_level, with_profile
from bot.core.clock import SystemClock
from bot.core.roles import Role
from bot.core.vocabulary import AuditAction, AuditChannel, AuditResult
from bot.runtime import Runtime
from storage.db import Database, create_engine

log = logging.getLogger("bot")

#: The path of the webhook on ``listen:port`` (the reverse proxy forwards the public URL here).
WEBHOOK_PATH = "telegram"


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
    run = sub.add_parser("run", help="start de bot (standaard)")
    run.add_argument(
        "--webhook", action="store_true", help="webhookmodus (ook zonder telegram.mode)"
    )
    run.add_argument("--port", type=int, help="poort van deze worker (standaard webhook.port)")
    sub.add_parser("health", help="database, migraties en jobleider controleren; exitcode 0 of 1")
    console = sub.add_parser("console", help="chat met de bot in de terminal")
    console.add_argument("--as", dest="role", default="admin", help="rol waarmee je typt")
    console.add_argument(
        "--database",
        help="database-URL van de console (standaard DATABASE_URL, anders "
        "data/console.sqlite; nooit die van de Telegram-bot)",
    )
    console.add_argument(
        "--profile",
        help="start een demoteam met dit gemeenteprofiel en een kwartaal demogegevens "
        "(zie python -m bot profiles)",
    )
    sub.add_parser("profiles", help="toon de gemeenteprofielen, één regel per profiel")
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
    backup = sub.add_parser("backup", help="maak nu een back-up van de SQLite-database")
    backup.add_argument("--out", type=Path, help="map voor de back-up (standaard backup.folder)")
    restore = sub.add_parser("restore", help="zet een back-up terug in een lege database")
    restore.add_argument("file", type=Path, help="het back-upbestand (weekdate-….sqlite)")
    audit_cmd = sub.add_parser("audit", help="het auditlog (hash-keten)")
    audit_sub = audit_cmd.add_subparsers(dest="action", required=True)
    audit_sub.add_parser("verify", help="controleer de keten; exitcode 1 als hij gebroken is")
    show = audit_sub.add_parser("show", help="toon regels over een referentie of medewerker")
    who = show.add_mutually_exclusive_group(required=True)
    who.add_argument("--ref", help="cliëntreferentie")
    who.add_argument("--staff", type=int, help="id van de medewerker (tabel staff)")
    purge = sub.add_parser("purge", help="verwijder wat over de bewaartermijn is")
    purge.add_argument("--dry-run", action="store_true", help="toon alleen wat weg zou gaan")
    look = sub.add_parser("inzage", help="alles over een referentie naar JSON en PDF")
    look.add_argument("ref")
    look.add_argument("--team", help="team (als de referentie in meer teams bestaat)")
    look.add_argument("--out", type=Path, required=True, help="map voor de bestanden")
    erase = sub.add_parser("wis", help="wis alles over een referentie (behalve het auditlog)")
    erase.add_argument("ref")
    erase.add_argument("--team", help="team (als de referentie in meer teams bestaat)")
    erase.add_argument(
        "--yes-i-typed", dest="typed", help="voor scripts: de referentie nog eens, als bevestiging"
    )
    export = sub.add_parser("export", help="cijfers als XLSX, CSV of PDF (voor de raad)")
    export.add_argument("--period", default="", help="periode: 2026Q3, 2026H1, 2026, vorige maand")
    export.add_argument("--out", type=Path, required=True, help="bestand (.xlsx, .csv of .pdf)")
    export.add_argument("--team", help="team (standaard het eerste team uit de configuratie)")
    load = sub.add_parser("import", help="lees een bestaand klantenbestand in (CSV of XLSX)")
    load.add_argument("file", type=Path)
    load.add_argument("--team", help="team (nodig als de config meer teams heeft)")
    load.add_argument("--dry-run", action="store_true", help="controleer alleen; sla niets op")
    load.add_argument(
        "--skip-invalid", action="store_true", help="sla foute regels over, importeer de rest"
    )
    return parser


def _runtime(config: Config) -> Runtime:
    return Runtime(
        config=config,
        clock=SystemClock(config.timezone),
        db=Database(create_engine(config.database_url)),
    )


def _worker_runtime(config: Config, *, webhook: bool) -> Runtime:
    """The runtime of ``run``: it competes for the job lease; webhook workers gate updates."""
    from bot.workers import JobLeadership, UpdateGate

    runtime = _runtime(config)
    runtime.leadership = JobLeadership(runtime.db, runtime.clock)
    if webhook:
        runtime.gate = UpdateGate(runtime.db, runtime.clock)
    return runtime


async def _health(runtime: Runtime) -> int:
    from bot.workers import health

    checks = await health(runtime.db, runtime.clock)
    for check in checks:
        print(f"{'OK  ' if check.ok else 'FOUT'} {check.line}")
    return 0 if all(check.ok for check in checks) else 1


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
            chat_type=AuditChannel.CLI,
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


async def _audit_verify(runtime: Runtime) -> int:
    from bot.app import prepare_database
    from storage import audit

    await prepare_database(runtime)
    async with runtime.db.transaction() as session:
        verdict = await audit.verify(session)
    if verdict.ok:
        print(f"Auditketen in orde: {verdict.checked} regels gecontroleerd.")
        return 0
    print(
        f"Auditketen GEBROKEN bij regel {verdict.broken_id} ({verdict.reason}); "
        f"{verdict.checked} regels ervoor zijn in orde."
    )
    return 1


async def _audit_show(runtime: Runtime, args: argparse.Namespace) -> None:
    from bot.app import prepare_database
    from storage import audit

    await prepare_database(runtime)
    async with runtime.db.transaction() as session:
        rows = await audit.rows_for(session, reference=args.ref, staff_id=args.staff)
        # Reading the log is itself an export: it is logged (by reference or staff object).
        await audit.record(
            session,
            at=runtime.clock.now(),
            action=AuditAction.AUDIT_SHOW,
            result=AuditResult.SHOWN if rows else AuditResult.NONE,
            reference=args.ref,
            object=f"staff:{args.staff}" if args.staff is not None else None,
            chat_type=AuditChannel.CLI,
        )
    for r in rows:
        print(
            f"{r.id}\t{r.at.isoformat()}\t{r.actor_staff_id or '-'}\t{r.action}\t"
            f"{r.reference or '-'}\t{r.object or '-'}\t{r.result}\t{r.chat_type or '-'}"
        )
    if not rows:
        print("Geen regels gevonden.")


async def _purge(runtime: Runtime, dry_run: bool) -> None:
    from bot.app import prepare_database
    from bot.records.service import purge

    await prepare_database(runtime)
    counts = await purge(
        runtime.db,
        runtime.clock,
        runtime.config.retention,
        dry_run=dry_run,
        channel=AuditChannel.CLI,
    )
    print("Zou verwijderen:" if dry_run else "Verwijderd:")
    for kind, count in counts.items():
        print(f"  {kind}\t{count}")


async def _inzage(runtime: Runtime, args: argparse.Namespace) -> None:
    from bot.app import prepare_database
    from bot.records.service import RecordsError, inzage

    await prepare_database(runtime)
    try:
        made = await inzage(runtime.db, runtime.clock, args.ref, args.team, args.out)
    except RecordsError as exc:
        raise CliError(str(exc)) from None
    print(f"Inzage geschreven: {made.json_path} en {made.pdf_path}")
    for table, count in made.counts.items():
        print(f"  {table}\t{count}")


async def _wis(runtime: Runtime, args: argparse.Namespace) -> None:
    from bot.app import prepare_database
    from bot.records.service import RecordsError, refuse_wis, wis

    await prepare_database(runtime)
    if (args.typed or "").strip() != args.ref:
        await refuse_wis(runtime.db, runtime.clock)
        raise CliError("bevestiging klopt niet; er is niets gewist")
    try:
        removed = await wis(runtime.db, runtime.clock, args.ref, args.team)
    except RecordsError as exc:
        raise CliError(str(exc)) from None
    print(f"Gewist: {removed} regels over {args.ref}; het auditlog blijft (zonder inhoud).")


async def _export(runtime: Runtime, args: argparse.Namespace) -> None:
    from bot.app import prepare_database
    from bot.figures.service import export_cli
    from bot.settings import resolve

    await prepare_database(runtime)
    team = args.team or runtime.config.teams[0].name
    try:
        settings = resolve(runtime.config, team)
    except LookupError:
        raise CliError(f"team {team!r} staat niet in de configuratie") from None
    suffix = args.out.suffix.lower().lstrip(".")
    fmt = suffix if suffix in ("xlsx", "csv", "pdf") else "xlsx"
    made, problem = await export_cli(
        runtime.db, runtime.clock, settings, team_name=team, period_text=args.period, fmt=fmt
    )
    if made is None:
        raise CliError(re.sub(r"<[^>]+>", "", problem))
    args.out.write_bytes(made.data)
    print(f"Cijfers geschreven: {args.out}")


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


def pg_dump_line(database_url: str) -> str:
    """The pg_dump command for a PostgreSQL database (without its password)."""
    url = make_url(database_url)
    parts = ["pg_dump", "--format=custom", "--file=weekdate-$(date -u +%Y%m%dT%H%M%SZ).dump"]
    if url.host:
        parts.append(f"--host={url.host}")
    if url.port:
        parts.append(f"--port={url.port}")
    if url.username:
        parts.append(f"--username={url.username}")
    parts.append(url.database or "")
    return " ".join(parts)


async def _backup(runtime: Runtime, out: Path | None) -> None:
    from bot.backups import service

    if runtime.db.dialect != "sqlite":
        raise CliError(
            "back-ups van PostgreSQL maak je met pg_dump: "
            + pg_dump_line(runtime.config.database_url)
        )
    settings = runtime.config.backup
    made = await service.make_backup(
        runtime.db, out or Path(settings.folder), runtime.clock.now(), settings.keep
    )
    print(f"Back-up gemaakt: {made.path}")
    for old in made.removed:
        print(f"Oude back-up verwijderd: {old.name}")


async def _restore(runtime: Runtime, source: Path) -> None:
    from bot.backups import service

    try:
        copied = await service.restore(runtime.db, source, runtime.clock.now())
    except service.BackupRefused as refused:
        reasons = {
            "no_file": f"bestand niet gevonden: {source}",
            "not_a_backup": f"{source} is geen SQLite-back-up",
            "not_empty": "de database is niet leeg; zet een back-up alleen terug in een lege "
            f"database (er staan rijen in {refused.detail})",
        }
        raise CliError(reasons[refused.code]) from None
    print(f"Teruggezet uit {source}: {sum(copied.values())} rijen in {len(copied)} tabellen.")


async def _with_runtime(config: Config, args: argparse.Namespace) -> int:
    from storage import audit

    # Every audit row written from here (also by storage itself) says it came from the CLI.
    audit.current_chat_type.set(AuditChannel.CLI)
    runtime = _runtime(config)
    try:
        if args.command == "health":
            return await _health(runtime)
        if args.command == "audit" and args.action == "verify":
            return await _audit_verify(runtime)
        if args.command == "audit":
            await _audit_show(runtime, args)
        elif args.command == "purge":
            await _purge(runtime, args.dry_run)
        elif args.command == "inzage":
            await _inzage(runtime, args)
        elif args.command == "wis":
            await _wis(runtime, args)
        elif args.command == "db":
            from bot.app import reach_database
            from storage.db import upgrade

            await reach_database(runtime)
            await upgrade(runtime.db.engine)
            print("Database bijgewerkt.")
        elif args.command == "staff" and args.action == "add":
            await _staff_add(runtime, args)
        elif args.command == "staff":
            await _staff_list(runtime)
        elif args.command == "backup":
            await _backup(runtime, args.out)
        elif args.command == "restore":
            await _restore(runtime, args.file)
        elif args.command == "export":
            await _export(runtime, args)
        elif args.command == "import":
            return await _import(runtime, args)
        elif args.command == "console":
            from bot.console import run_console

            await run_console(runtime, _roles([args.role])[0], demo=bool(args.profile))
    finally:
        await runtime.db.dispose()
    return 0


class _ProgressBar:
    """A progress bar on stderr for a large import (only when stderr is a terminal)."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.shown = sys.stderr.isatty()

    async def __call__(self, done: int, total: int) -> None:
        if not self.shown or total < 1000:
            return
        filled = self.width * done // total
        bar = "#" * filled + "." * (self.width - filled)
        print(f"\r[{bar}] {done}/{total}", end="" if done < total else "\n", file=sys.stderr)


async def _import(runtime: Runtime, args: argparse.Namespace) -> int:
    """``python -m bot import FILE``: exit code 0 when imported (or a clean dry run), 1 when
    refused; the report lists every problem line."""
    from bot.app import prepare_database
    from bot.caseload.service import import_caseload
    from bot.core.render import render
    from storage import teams

    names = [t.name for t in runtime.config.teams]
    name = args.team or (names[0] if len(names) == 1 else None)
    if name is None:
        raise CliError(f"kies een team met --team; teams in de config: {', '.join(names)}")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise CliError(f"kan {args.file} niet lezen: {exc.strerror}") from None
    await prepare_database(runtime)
    async with runtime.db.transaction() as session:
        team = await teams.get_team_by_name(session, name)
    if team is None:
        raise CliError(f"onbekend team {name!r}; teams in de config: {', '.join(names)}")
    report = await import_caseload(
        runtime.db,
        team=runtime.settings_for(name),
        team_id=team.id,
        filename=args.file.name,
        data=data,
        now=runtime.clock.now(),
        chat_type=AuditChannel.CLI,
        dry_run=args.dry_run,
        skip_invalid=args.skip_invalid,
        progress=_ProgressBar(),
    )
    print(render("caseload/report", r=report, limit=len(report.problems)))
    return 1 if report.refused else 0


def profile_lines() -> list[str]:
    """``python -m bot profiles``: one line per shipped profile."""
    lines = []
    for name in profiles.names():
        profile = profiles.shipped(name)
        default = " (standaard)" if name == profiles.DEFAULT_PROFILE else ""
        seeds = ", ".join(profile.seeds)
        lines.append(f"{name}{default}: {profile.summary} [seed {seeds}]")
    return lines


def webhook_arguments(config: Config) -> dict[str, Any]:
    """What PTB's webhook server is started with; the secret token is always set (config checks).

    PTB answers 403 to any request without the matching ``X-Telegram-Bot-Api-Secret-Token``.
    """
    hook = config.telegram.webhook
    if not hook.secret_token:
        raise ConfigError(
            "telegram.webhook.secret_token: de webhookmodus heeft een geheim token nodig"
        )
    return {
        "listen": hook.listen,
        "port": hook.port,
        "url_path": WEBHOOK_PATH,
        "webhook_url": hook.url,
        "secret_token": hook.secret_token,
    }


async def _reach(config: Config) -> None:
    """Fail fast, as a configuration error, when the database cannot be reached."""
    from bot.app import reach_database

    runtime = _runtime(config)
    try:
        await reach_database(runtime)
    finally:
        await runtime.db.dispose()


def _run_telegram(config: Config, *, webhook: bool = False, port: int | None = None) -> None:
    from bot.app import build_application

    # Before the first Bot API call, so a wrong database URL is reported as such.
    asyncio.run(_reach(config))
    webhook = webhook or config.telegram.mode == "webhook"
    runtime = _worker_runtime(config, webhook=webhook)
    application = build_application(runtime)
    if webhook:
        from bot.webhook import WebhookWorker

        arguments = webhook_arguments(config)
        worker = WebhookWorker(
            application,
            runtime,
            listen=arguments["listen"],
            port=port or arguments["port"],
            path=arguments["url_path"],
            secret_token=arguments["secret_token"],
        )
        asyncio.run(worker.serve(webhook_url=arguments["webhook_url"]))
    else:
        # PTB stops on SIGTERM: in-flight updates finish, then post_shutdown closes the engine.
        application.run_polling()


#: Loggers that write message texts, update bodies or the token below this level, whatever
#: LOG_LEVEL says: PTB's DEBUG logs every Bot API call with its parameters (the texts sent),
#: the API URL (with the token), webhook bodies and a wrong webhook secret; httpx logs request
#: URLs (with the token) at INFO; aiosqlite's DEBUG logs each call with its SQL parameters;
#: SQLAlchemy's DEBUG logs result rows (note texts). SQL itself may be logged at INFO: the
#: engines hide bound parameters (``storage.db.create_engine``).
QUIET_LOGGERS = {
    "sqlalchemy.engine": logging.INFO,
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "aiosqlite": logging.INFO,
    "apscheduler": logging.WARNING,
    "alembic": logging.WARNING,
    # WeasyPrint narrates every rendering step at INFO (the inzage and agenda PDFs).
    "weasyprint": logging.WARNING,
    "fontTools": logging.WARNING,
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line (``[logging] format = "json"``), for a log collector."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str | int, log_format: str = "text") -> None:
    """Log at ``level``, with the loggers that would leak message text or the token capped."""
    logging.basicConfig(level=level, format=TEXT_FORMAT)
    root = logging.getLogger()
    root.setLevel(level)  # also when a handler was installed before us
    if log_format == "json":
        for handler in root.handlers:
            handler.setFormatter(JsonFormatter())
    for name, floor in QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(floor, logger.getEffectiveLevel()))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    try:
        # A bad LOG_LEVEL is a configuration mistake like any other: one line, exit code 2.
        level = log_level(os.environ.get("LOG_LEVEL", "INFO"))
        configure_logging(level)
        args = build_parser().parse_args(argv)
        if args.command == "db" and args.action == "revision":
            if not args.message:
                raise CliError('db revision: geef een omschrijving mee met -m "…"')
            print(f"Nieuwe migratie: {asyncio.run(_db_revision(args.message))}")
            return 0
        config = load_config(args.config, os.environ)
        configure_logging(level, config.log_format)
        command = args.command or "run"
        if command == "profiles":
            for line in profile_lines():
                print(line)
            return 0
        if command == "run" and not config.telegram.token:
            print(
                "Geen BOT_TOKEN: de bot start in consolemodus. Zet BOT_TOKEN=<token van "
                "@BotFather> om met Telegram te verbinden.",
                file=sys.stderr,
            )
            args.command, args.role, args.database = "console", "admin", None
            args.profile = None
            command = "console"
        if command == "wis" and args.typed is None:
            # The confirmation: the reference typed again (asked before any database work).
            args.typed = input(f"Typ de referentie {args.ref} nog eens om alles erover te wissen: ")
        if command == "console":
            config = console_config(config, os.environ, args.database)
            if args.profile:
                config = with_profile(config, args.profile)
        if command == "run":
            _run_telegram(
                config,
                webhook=bool(getattr(args, "webhook", False)),
                port=getattr(args, "port", None),
            )
        else:
            return asyncio.run(_with_runtime(config, args))
    except (ConfigError, CliError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0
