"""A caseload file sent to the bot in a private chat: the admin's import (issue 12 item 4)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import Update

from bot import outbound
from bot.caseload import service
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Reply
from bot.core.vocabulary import AuditChannel
from bot.runtime import BotContext
from handlers import forms
from handlers.common import answer, is_private

#: Telegram lets a bot download files up to 20 MB; a caseload of 10,000 rows is well under 2 MB.
MAX_BYTES = 20 * 1024 * 1024
#: Problems listed in the chat reply (the rest as a count; the CLI lists them all).
CHAT_PROBLEMS = 30


class ProgressMessage:
    """The import's progress callback, kept off the import's path.

    The import is one transaction (all rows or none), so its progress is reported while that
    transaction is open. An edit is a Telegram round trip; awaiting it there would hold the
    transaction (and on SQLite the write lock) for as long as Telegram takes. So a call only
    records the latest figures and starts one sender that edits until it has caught up; edits
    that would be overtaken are coalesced into the latest. :meth:`finish` waits for the last.
    """

    def __init__(self, send: Callable[[int, int], Awaitable[None]]) -> None:
        self._send = send
        self._latest: tuple[int, int] | None = None
        self._sender: asyncio.Task[None] | None = None

    async def __call__(self, done: int, total: int) -> None:
        self._latest = (done, total)
        if self._sender is None or self._sender.done():
            self._sender = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while self._latest is not None:
            done, total = self._latest
            self._latest = None
            await self._send(done, total)

    async def finish(self) -> None:
        """Wait until the latest figures are shown."""
        if self._sender is not None:
            await self._sender


async def on_file(update: Update, context: BotContext) -> None:
    """An admin's document is imported into the admin's team, with the progress in one message
    that is edited as chunks are done; anyone else's document goes on to an open form."""
    message = update.effective_message
    document = message.document if message is not None else None
    actor = context.actor
    if (
        message is None
        or document is None
        or actor is None
        or not is_private(update)
        or not actor.has(Role.ADMIN)
    ):
        await forms.on_message(update, context)
        return
    if (document.file_size or 0) > MAX_BYTES:
        await answer(update, context, Reply(render("caseload/too_big", mb=MAX_BYTES // 2**20)))
        return
    status = await answer(update, context, Reply(render("caseload/start")))
    data = bytes(await (await document.get_file()).download_as_bytearray())

    async def edit(done: int, total: int) -> None:
        if status is not None:
            text = render("caseload/progress", done=done, total=total)
            await outbound.replace_reply(
                context.bot, status.chat_id, status.message_id, Reply(text)
            )

    progress = ProgressMessage(edit)
    try:
        report = await service.import_caseload(
            context.runtime.db,
            team=context.team,
            team_id=actor.team_id,
            filename=document.file_name or "",
            data=data,
            now=context.runtime.clock.now(),
            actor_staff_id=actor.staff_id,
            actor_telegram_id=actor.telegram_user_id,
            chat_type=AuditChannel.PRIVATE,
            progress=progress,
        )
    finally:
        await progress.finish()
    await answer(update, context, Reply(render("caseload/report", r=report, limit=CHAT_PROBLEMS)))
