"""What Telegram shows about the bot: each person's command menu, the description, privacy mode.

Telegram shows the menu of the narrowest scope that has one: a staff member's private chat gets
exactly the catalogue's commands for their roles (``BotCommandScopeChat``); everyone else falls
back to the default scope, which offers only ``/start`` (how a new colleague redeems an
invitation). So a stranger never sees what the bot can do, and nobody sees commands their roles
cannot use. Menus are published at start and whenever someone joins or is deactivated.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.access import service as access
from bot.commands import COMMANDS, Command, commands_for
from bot.core.render import render
from storage.db import Database
from storage.staff import StaffMember

log = logging.getLogger(__name__)

#: The one command a stranger needs: /start with an invitation code.
PUBLIC_COMMANDS = ("start",)


def public_commands() -> list[Command]:
    """The default menu: what someone the bot does not know may see."""
    return [command for command in COMMANDS if command.name in PUBLIC_COMMANDS]


def bot_commands(commands: list[Command]) -> list[BotCommand]:
    """Telegram's form of catalogue entries."""
    return [BotCommand(command.name, command.description) for command in commands]


async def publish_member(bot: Bot, member: StaffMember) -> None:
    """Give ``member`` the menu of their roles, or take it away when they are deactivated.

    Best effort: a staff member who never opened a chat with the bot has no chat to set a menu
    for yet (Telegram answers "chat not found"); the next start publishes it.
    """
    scope = BotCommandScopeChat(member.telegram_user_id)
    try:
        if member.active:
            await bot.set_my_commands(bot_commands(commands_for(member.roles)), scope=scope)
        else:
            await bot.delete_my_commands(scope=scope)
    except TelegramError as error:
        log.warning("menu for staff %s not published: %s", member.staff_id, error)


async def withdraw(bot: Bot, telegram_user_id: int) -> None:
    """Drop someone's own menu (deactivated): they see the default, /start only."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(telegram_user_id))
    except TelegramError as error:
        log.warning("menu not withdrawn: %s", error)


async def publish_all(bot: Bot, db: Database) -> None:
    """At start: the default menu, the description, and every staff member's own menu.

    Each call is best effort: a Bot API server that refuses one of them (an older server, a
    test double, a hiccup) costs that one menu or text, logged, never the start of the bot.
    """
    calls: list[tuple[str, Callable[[], Awaitable[bool]]]] = [
        (
            "default menu",
            lambda: bot.set_my_commands(
                bot_commands(public_commands()), scope=BotCommandScopeDefault()
            ),
        ),
        ("description", lambda: bot.set_my_description(render("common/bot_description"))),
        (
            "short description",
            lambda: bot.set_my_short_description(render("common/bot_short_description")),
        ),
    ]
    for what, call in calls:
        try:
            await call()
        except TelegramError as error:
            log.warning("%s not published: %s", what, error)
    for member in await access.menu_holders(db):
        await publish_member(bot, member)


def privacy_mode_warning(can_read_all_group_messages: bool | None) -> str | None:
    """One line for the log when the bot could read every group message (privacy mode off)."""
    if not can_read_all_group_messages:
        return None
    return (
        "privacy mode is OFF: the bot receives every message in its groups. Turn it on with "
        "@BotFather (/setprivacy -> Enable), then remove and re-add the bot to each group."
    )
