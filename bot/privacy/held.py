"""Texts held back by the privacy filter until their sender confirms or rephrases them.

Held in memory only, never in the database: the whole point of the warning is that the text may
hold a client's phone number, e-mail address, date of birth or health details, so it must not
reach the disk (nor the WAL, nor tonight's backup) before its sender has said it may. A held
text lives as long as an idle form (``form_timeout_minutes``), at most one per sender (a new
message supersedes it: that is rephrasing), and at most ``limit`` in all. A restart forgets
every held text; a tap on an old warning then gets a plain "send it again".

Pure: the clock's time is passed in, and what is held (the update to replay) is opaque here.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")

#: Held texts kept at most (oldest dropped first): a bound on memory, far above real use.
HELD_LIMIT = 1000


@dataclass(frozen=True)
class Held(Generic[T]):
    """One held text: who sent it where, what was found (kinds), and what to replay."""

    token: str
    user_id: int
    chat_id: int
    message_id: int
    kinds: tuple[str, ...]
    payload: T
    expires: datetime


class HeldTexts(Generic[T]):
    """The held texts of one running bot, by random token (the confirm button carries it)."""

    def __init__(self, limit: int = HELD_LIMIT) -> None:
        self._held: OrderedDict[str, Held[T]] = OrderedDict()
        self._released: set[tuple[int, int]] = set()
        self._limit = limit

    def __len__(self) -> int:
        return len(self._held)

    def hold(
        self,
        *,
        user_id: int,
        chat_id: int,
        message_id: int,
        kinds: tuple[str, ...],
        payload: T,
        now: datetime,
        ttl: timedelta,
    ) -> str:
        """Hold ``payload`` (replacing the sender's earlier held text); its token."""
        self._prune(now)
        self.drop_user(user_id)
        token = secrets.token_urlsafe(9)
        self._held[token] = Held(token, user_id, chat_id, message_id, kinds, payload, now + ttl)
        while len(self._held) > self._limit:
            self._held.popitem(last=False)
        return token

    def drop_user(self, user_id: int) -> None:
        """Forget what ``user_id`` has held (they sent something new)."""
        for token in [t for t, held in self._held.items() if held.user_id == user_id]:
            del self._held[token]

    def take(self, token: str, *, user_id: int, now: datetime) -> Held[T] | None:
        """The held text of ``token`` when it is ``user_id``'s and not expired, removed, so a
        second tap finds nothing; ``None`` otherwise (another user's token is left alone)."""
        self._prune(now)
        held = self._held.get(token)
        if held is None or held.user_id != user_id:
            return None
        del self._held[token]
        return held

    def release(self, chat_id: int, message_id: int) -> None:
        """Let the message ``(chat_id, message_id)`` past the warning once (it is replayed)."""
        self._released.add((chat_id, message_id))

    def take_release(self, chat_id: int, message_id: int) -> bool:
        """Whether that message was released; a release is used once."""
        key = (chat_id, message_id)
        if key in self._released:
            self._released.discard(key)
            return True
        return False

    def _prune(self, now: datetime) -> None:
        for token in [t for t, held in self._held.items() if held.expires <= now]:
            del self._held[token]
