"""The one way out: splitting, buttons on the last part, and an outcome per chat."""

from __future__ import annotations

from typing import Any, cast

import pytest
from telegram import Bot
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot import outbound
from bot.core.ui import Button, Document, Outbox, Reply
from bot.core.vocabulary import DeliveryStatus


class FakeBot:
    """Records sends; raises the error planned for a chat (at its n-th message). Stands in for
    a ``telegram.Bot`` (``as_bot``): only the two methods outbound calls are needed."""

    def __init__(self, failures: dict[tuple[int, int], Exception] | None = None) -> None:
        self.sent: list[tuple[str, int, Any]] = []
        self.failures = failures or {}
        self.count: dict[int, int] = {}

    async def send_message(
        self, chat_id: int, text: str, reply_markup: Any = None, protect_content: bool = False
    ) -> None:
        n = self.count[chat_id] = self.count.get(chat_id, 0) + 1
        if (chat_id, n) in self.failures:
            raise self.failures[(chat_id, n)]
        self.sent.append(("text", chat_id, (text, reply_markup)))

    async def send_document(
        self, chat_id: int, document: Any, caption: Any = None, protect_content: bool = False
    ) -> None:
        self.sent.append(("document", chat_id, caption))


def as_bot(fake: FakeBot) -> Bot:
    return cast(Bot, fake)


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (RetryAfter(5), DeliveryStatus.RETRY),
        (Forbidden("blocked"), DeliveryStatus.FAILED),
        (BadRequest("chat not found"), DeliveryStatus.FAILED),
        (TimedOut(), DeliveryStatus.UNKNOWN),
        (NetworkError("reset"), DeliveryStatus.UNKNOWN),
    ],
)
def test_every_bot_api_error_has_one_outcome(error: TelegramError, outcome: DeliveryStatus) -> None:
    assert outbound.outcome_of(error) is outcome


async def test_long_text_is_split_and_buttons_go_on_the_last_part() -> None:
    bot = FakeBot()
    text = "\n".join(f"regel {i} " + "x" * 80 for i in range(120))
    await outbound.send_reply(as_bot(bot), 7, Reply(text, [[Button("Ok", "t:ok")]]))
    parts = [payload for kind, _, payload in bot.sent if kind == "text"]
    assert len(parts) > 1 and all(len(t) <= 4096 for t, _ in parts)
    assert "\n".join(t for t, _ in parts) == text
    assert [markup is not None for _, markup in parts] == [False] * (len(parts) - 1) + [True]


async def test_a_later_part_failing_is_partly_sent() -> None:
    bot = FakeBot({(7, 2): RetryAfter(3)})
    text = "\n".join("y" * 100 for _ in range(100))
    with pytest.raises(outbound.PartlySent) as caught:
        await outbound.send_reply(as_bot(bot), 7, Reply(text))
    assert caught.value.parts_sent == 1


async def test_one_chat_failing_does_not_keep_the_others_from_theirs() -> None:
    bot = FakeBot({(1, 1): Forbidden("blocked"), (2, 1): TimedOut()})
    made: list[int] = []

    def pdf() -> Document:
        made.append(1)
        return Document(b"%PDF", "agenda.pdf", "Agenda")

    outbox = Outbox()
    for chat in (1, 2, 3):
        outbox.text(chat, f"hallo {chat}")
        outbox.document(chat, pdf)
    outcomes = await outbound.deliver(as_bot(bot), outbox)
    assert outcomes[:3] == [
        (1, DeliveryStatus.FAILED),
        (2, DeliveryStatus.UNKNOWN),
        (3, DeliveryStatus.SENT),
    ]
    assert [kind for kind, chat, _ in bot.sent].count("document") == 3
    assert made == [1]  # the document is made once, however many chats get it
