"""``/cijfers [periode]`` and ``/export [periode] [pdf]``: parse, one service call, reply.

Charts and files are rendered in a thread, after the service's transaction has ended, so the
event loop keeps answering others meanwhile.
"""

from __future__ import annotations

import asyncio

from telegram import Update

from bot import outbound
from bot.core.render import render, split_message
from bot.core.ui import Document, Reply
from bot.figures import service
from bot.runtime import BotContext
from handlers.common import answer, is_private, send


def _arg(context: BotContext) -> str:
    return " ".join(context.args or [])


async def cijfers(update: Update, context: BotContext) -> None:
    """``/cijfers [periode]``: the figures; in private also the charts, as one album."""
    chat = update.effective_chat
    if chat is None:
        return
    runtime = context.runtime
    shown = await service.cijfers(
        runtime.db,
        runtime.clock,
        context.staff,
        context.team,
        arg=_arg(context),
        private=is_private(update),
    )
    if shown.notice:
        await answer(update, context, Reply(shown.notice))
        return
    assert shown.text is not None
    for part in split_message(shown.text):
        await send(context, chat.id, Reply(part))
    if shown.charts is not None:
        charts = await asyncio.to_thread(shown.charts)
        await outbound.send_album(context.bot, chat.id, charts, render("figures/album_note"))


async def export(update: Update, context: BotContext) -> None:
    """``/export [periode] [pdf]``: XLSX and CSV, or the council PDF (private only)."""
    chat = update.effective_chat
    if chat is None:
        return
    runtime = context.runtime
    shown = await service.export(
        runtime.db, runtime.clock, context.staff, context.team, arg=_arg(context)
    )
    if shown.notice:
        await answer(update, context, Reply(shown.notice))
        return
    for item in shown.documents:
        document = item if isinstance(item, Document) else await asyncio.to_thread(item)
        await outbound.send_document(context.bot, chat.id, document)
