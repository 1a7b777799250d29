"""A caseload file sent to the bot in a private chat: the admin's import (issue 12 item 4)."""

from __future__ import annotations

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

    async def progress(done: int, total: int) -> None:
        if status is not None:
            text = render("caseload/progress", done=done, total=total)
            await outbound.replace_reply(
                context.bot, status.chat_id, status.message_id, Reply(text)
            )

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
    await answer(update, context, Reply(render("caseload/report", r=report, limit=CHAT_PROBLEMS)))
