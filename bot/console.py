"""Console mode: chat with the bot in a terminal, through the local transport.

You type as a staff member; the bot's replies print as plain text; inline buttons show as
numbered choices (type the number). Lines starting with ``:`` steer the console itself.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import make_url

from bot.app import build_application, on_startup
from bot.core.roles import Role
from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.transport import BotCall, LocalDriver, LocalTransport, LocalUser
from storage import staff, teams

GROUP_CHAT_ID = -1001000000001
#: Where the files the bot sends (agenda PDF, calendar invitation) are saved.
CONSOLE_FILES_DIR = Path("data/console-files")
CONSOLE_HELP = """Console-opdrachten:
  :als ROL        typ als een medewerker met die rol (consulent, loopbaanbegeleider, netwerker,
                  teamleider, beleid, admin)
  :gebruiker ID   typ als Telegram-gebruiker ID (bijvoorbeeld een nieuwe collega of een vreemde)
  :groep          typ in de teamgroep (eerst toevoegen met :groep-toevoegen)
  :groep-toevoegen  voeg de bot toe aan de teamgroep, als de huidige gebruiker
  :prive          terug naar het privégesprek
  :stop           afsluiten
Een getal kiest een knop uit het laatste bericht. Al het andere gaat als bericht naar de bot."""


def console_user(role: Role) -> LocalUser:
    """The stable Telegram identity the console uses for ``role``."""
    return LocalUser(100 + list(Role).index(role), f"Console {role.label}")


def plain(text: str) -> str:
    """Telegram HTML as a terminal shows it."""
    text = re.sub(r"</?(b|strong)>", "*", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


def save_files(call: BotCall, folder: Path) -> list[Path]:
    """Save the files ``call`` uploads in ``folder`` (never overwriting one); their paths."""
    saved = []
    for filename, data in call.files.values():
        folder.mkdir(parents=True, exist_ok=True)
        name = Path(filename).name or "bestand"
        target = folder / name
        stem, suffix = target.stem, target.suffix
        number = 1
        while target.exists():
            number += 1
            target = folder / f"{stem}-{number}{suffix}"
        target.write_bytes(data)
        saved.append(target)
    return saved


def describe(
    call: BotCall,
    buttons: list[str],
    files_dir: Path | None = None,
    *,
    me: int | None = None,
    names: Mapping[int, str] | None = None,
) -> str | None:
    """One call as console output; appends its buttons' data to ``buttons``.

    A file the bot sends is saved in ``files_dir`` and the line says where. A private message
    to someone other than ``me`` (a colleague told about work) says to whom (``names``: chat id
    → name), and its buttons are shown but not numbered: they are that person's, not yours.
    """
    if call.method in ("sendMessage", "editMessageText"):
        chat_id = call.chat_id or 0
        other = me is not None and chat_id > 0 and chat_id != me
        if other:
            where = f"[privé aan {(names or {}).get(chat_id, chat_id)}] "
        else:
            where = "" if chat_id > 0 else "[groep] "
        edited = "(bijgewerkt) " if call.method == "editMessageText" else ""
        lines = [f"bot> {where}{edited}{plain(call.text)}"]
        for label, data in call.buttons:
            if other:
                lines.append(f"   [–] {label}")
                continue
            buttons.append(data)
            lines.append(f"   [{len(buttons)}] {label}")
        return "\n".join(lines)
    if call.method == "sendDocument":
        saved = save_files(call, files_dir) if files_dir is not None else []
        if saved:
            where = ", ".join(str(path) for path in saved)
            return f"bot> [bestand opgeslagen: {where}] {plain(call.text)}".rstrip()
        return f"bot> [bestand: {call.params.get('document', 'document')}] {plain(call.text)}"
    if call.method == "answerCallbackQuery" and call.params.get("text"):
        return f"bot> (melding) {call.params['text']}"
    if call.method == "leaveChat":
        return "bot> [verlaat de groep]"
    if call.method == "deleteMessage":
        return "bot> [verwijdert je bericht]"
    return None


async def recipient_names(runtime: Runtime, calls: list[BotCall], me: int) -> dict[int, str]:
    """The names of the staff other than ``me`` whom ``calls`` sent a private message."""
    others = {c.chat_id for c in calls if c.chat_id and c.chat_id > 0 and c.chat_id != me}
    names: dict[int, str] = {}
    if not others:
        return names
    async with runtime.db.transaction() as session:
        for chat_id in others:
            member = await staff.get_active_staff(session, chat_id)
            if member is not None:
                names[chat_id] = member.display_name
    return names


async def ensure_console_staff(runtime: Runtime, role: Role) -> LocalUser:
    """Make the console identity for ``role`` active staff in the first team."""
    user = console_user(role)
    async with runtime.db.transaction() as session:
        member = await staff.get_active_staff(session, user.id)
        if member is None or role not in member.roles:
            team = await teams.get_team_by_name(session, runtime.config.teams[0].name)
            assert team is not None  # prepare_database created it
            await staff.upsert_staff(
                session,
                telegram_user_id=user.id,
                display_name=user.first_name,
                team_id=team.id,
                roles=[role],
                now=runtime.clock.now(),
            )
    return user


async def run_console(
    runtime: Runtime,
    role: Role,
    *,
    stdin: TextIO = sys.stdin,
    out: Callable[[str], None] = print,
    files_dir: Path = CONSOLE_FILES_DIR,
    demo: bool = False,
) -> None:
    """The interactive loop; ends on ``:stop`` or end of input. ``demo`` seeds a quarter of
    demo data under the first team's profile (``console --profile NAME``)."""
    transport = LocalTransport()
    application = build_application(runtime, request=transport)
    await application.initialize()
    await on_startup(application)
    await application.start()
    driver = LocalDriver(application, transport, clock_now=runtime.clock.now)
    user = await ensure_console_staff(runtime, role)
    if demo:
        made = await seed_demo(runtime)
        profile = runtime.config.teams[0].profile
        out(
            f"Profiel {profile.label}: {made} demo-cliënten aangemaakt."
            if made
            else f"Profiel {profile.label}: demogegevens stonden er al."
        )
    chat = driver.private_chat(user)
    buttons: list[str] = []
    transport.take()
    database = make_url(runtime.config.database_url).render_as_string(hide_password=True)
    out(f"Console: je bent {user.first_name}. Typ /help, of :help voor de console.")
    out(f"(database: {database}; bestanden van de bot: {files_dir})")
    loop = asyncio.get_running_loop()
    try:
        while True:
            waiting = transport.take()  # messages jobs sent in the meantime
            names = await recipient_names(runtime, waiting, user.id)
            for call in waiting:
                shown = describe(call, buttons, files_dir, me=user.id, names=names)
                if shown:
                    out(shown)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            out(f"{user.first_name}> {line}")
            if line.startswith(":"):
                command, _, arg = line[1:].partition(" ")
                if command == "stop":
                    break
                if command == "als":
                    try:
                        user = await ensure_console_staff(runtime, Role(arg.strip().lower()))
                    except ValueError:
                        out("Onbekende rol. " + CONSOLE_HELP)
                        continue
                    chat = driver.private_chat(user)
                elif command == "gebruiker" and arg.strip().isdigit():
                    user = LocalUser(int(arg.strip()), f"Gebruiker {arg.strip()}")
                    chat = driver.private_chat(user)
                elif command == "groep":
                    chat = driver.group_chat(GROUP_CHAT_ID)
                elif command == "groep-toevoegen":
                    chat = driver.group_chat(GROUP_CHAT_ID)
                    calls = await driver.bot_added(user, chat)
                    buttons = []
                    for call in calls:
                        shown = describe(call, buttons, files_dir)
                        if shown:
                            out(shown)
                    continue
                elif command == "prive":
                    chat = driver.private_chat(user)
                else:
                    out(CONSOLE_HELP)
                    continue
                where = "de groep" if chat["id"] < 0 else "privé"
                out(f"(je typt nu als {user.first_name} in {where})")
                continue
            if line.isdigit() and buttons and 1 <= int(line) <= len(buttons):
                calls = await driver.tap(user, buttons[int(line) - 1], chat=chat)
            else:
                calls = await driver.text(user, line, chat=chat)
            buttons = []
            names = await recipient_names(runtime, calls, user.id)
            for call in calls:
                shown = describe(call, buttons, files_dir, me=user.id, names=names)
                if shown:
                    out(shown)
    finally:
        await application.stop()
        await application.shutdown()
