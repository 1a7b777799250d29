"""The privacy filter's use cases: refuse a text holding a BSN or an IBAN, with an audit row;
hold back a text with a phone number, e-mail address, date of birth or special-category word
until its sender confirms or rephrases it.

The number or detail itself never leaves :mod:`bot.privacy.rules`: only its kind is recorded
(``object`` = ``bsn``, ``iban``, ``bsn+iban``; ``phone+email``, …) and shown. A held text lives
in memory (:mod:`bot.privacy.held`), never in the database, until it is confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bot.core.vocabulary import AuditAction, AuditResult
from bot.privacy.held import Held, HeldTexts
from bot.privacy.rules import Personal, Sensitive, find_personal, find_sensitive
from storage import audit
from storage.db import Database


@dataclass(frozen=True)
class Refusal:
    """A refused text: the kinds of number it held (sorted), never the number."""

    kinds: tuple[Sensitive, ...]


async def screen(
    db: Database,
    text: str,
    *,
    now: datetime,
    telegram_user_id: int | None,
    staff_id: int | None,
) -> Refusal | None:
    """``None`` when ``text`` may pass; otherwise audit the refusal and say what was found."""
    found = find_sensitive(text)
    if not found:
        return None
    kinds = tuple(sorted(found, key=lambda kind: kind.value))
    async with db.transaction() as session:
        await audit.record(
            session,
            at=now,
            action=AuditAction.PRIVACY_REFUSED,
            result=AuditResult.REFUSED,
            actor_telegram_id=telegram_user_id,
            actor_staff_id=staff_id,
            object="+".join(kind.value for kind in kinds),
        )
    return Refusal(kinds)


T = TypeVar("T")


@dataclass(frozen=True)
class Caution:
    """A text held back: the kinds of detail found (sorted) and, in a private chat, the token
    its confirm and rephrase buttons carry (``None`` in a group, where nothing is held)."""

    kinds: tuple[Personal, ...]
    token: str | None


def _kinds_object(kinds: tuple[str, ...]) -> str:
    return "+".join(kinds)


async def warn(
    db: Database,
    held: HeldTexts[T],
    text: str,
    *,
    now: datetime,
    ttl: timedelta,
    special_words: tuple[str, ...],
    user_id: int,
    chat_id: int,
    message_id: int,
    staff_id: int | None,
    private: bool,
    payload: T,
) -> Caution | None:
    """``None`` when ``text`` holds no personal detail; otherwise audit the warning and, in a
    private chat, hold ``payload`` (what to replay on confirmation) in memory.

    Any new text from the sender first drops what they held: sending something new is how one
    rephrases, and an old confirm button must not replay a text into a later step.
    """
    held.drop_user(user_id)
    found = find_personal(text, today=now.date(), special_words=special_words)
    if not found:
        return None
    kinds = tuple(sorted(found, key=lambda kind: kind.value))
    token = None
    if private:
        token = held.hold(
            user_id=user_id,
            chat_id=chat_id,
            message_id=message_id,
            kinds=tuple(kind.value for kind in kinds),
            payload=payload,
            now=now,
            ttl=ttl,
        )
    async with db.transaction() as session:
        await audit.record(
            session,
            at=now,
            action=AuditAction.PRIVACY_WARNED,
            result=AuditResult.REFUSED,
            actor_telegram_id=user_id,
            actor_staff_id=staff_id,
            object=_kinds_object(tuple(kind.value for kind in kinds)),
        )
    return Caution(kinds, token)


async def confirm(
    db: Database,
    held: HeldTexts[T],
    token: str,
    *,
    now: datetime,
    user_id: int,
    staff_id: int | None,
) -> Held[T] | None:
    """The sender says the held text holds no personal data: audit that (the kinds, never the
    text), release the message for one pass through the filter, and hand back what to replay.
    ``None`` when nothing is held under ``token`` for this sender (tapped twice, expired, or the
    bot restarted)."""
    entry = await _take_audited(
        db, held, token, AuditAction.PRIVACY_CONFIRMED, now=now, user_id=user_id, staff_id=staff_id
    )
    if entry is not None:
        held.release(entry.chat_id, entry.message_id)
    return entry


async def withdraw(
    db: Database,
    held: HeldTexts[T],
    token: str,
    *,
    now: datetime,
    user_id: int,
    staff_id: int | None,
) -> bool:
    """The sender will rephrase: drop the held text (audited). False when nothing was held."""
    entry = await _take_audited(
        db, held, token, AuditAction.PRIVACY_WITHDRAWN, now=now, user_id=user_id, staff_id=staff_id
    )
    return entry is not None


async def _take_audited(
    db: Database,
    held: HeldTexts[T],
    token: str,
    action: AuditAction,
    *,
    now: datetime,
    user_id: int,
    staff_id: int | None,
) -> Held[T] | None:
    """Take the sender's held text under ``token`` and audit ``action`` (the kinds, never the
    text); ``None`` when nothing is held there for this sender."""
    entry = held.take(token, user_id=user_id, now=now)
    if entry is None:
        return None
    async with db.transaction() as session:
        await audit.record(
            session,
            at=now,
            action=action,
            result=AuditResult.OK,
            actor_telegram_id=user_id,
            actor_staff_id=staff_id,
            object=_kinds_object(entry.kinds),
        )
    return entry
