"""The privacy filter's use case: refuse a text holding a BSN or an IBAN, with an audit row.

The number itself never leaves :func:`bot.privacy.rules.find_sensitive`: only its kind is
recorded (``object`` = ``bsn``, ``iban`` or ``bsn+iban``) and shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.vocabulary import AuditAction, AuditResult
from bot.privacy.rules import Sensitive, find_sensitive
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
