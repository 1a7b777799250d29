"""Form sessions: the state of a multi-step form, one per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FormSession


@dataclass(frozen=True)
class StoredForm:
    """A form in progress as plain data."""

    telegram_user_id: int
    chat_id: int
    form: str
    step: str
    data: dict[str, Any]
    updated_at: datetime


def _stored(row: FormSession) -> StoredForm:
    return StoredForm(
        row.telegram_user_id, row.chat_id, row.form, row.step, dict(row.data), row.updated_at
    )


async def get_form(session: AsyncSession, telegram_user_id: int) -> StoredForm | None:
    """The person's form in progress."""
    row = await session.get(FormSession, telegram_user_id)
    return _stored(row) if row else None


async def save_form(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    chat_id: int,
    form: str,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> None:
    """Create or replace the person's form state."""
    row = await session.get(FormSession, telegram_user_id)
    if row is None:
        session.add(
            FormSession(
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                form=form,
                step=step,
                data=data,
                started_at=now,
                updated_at=now,
            )
        )
        return
    if row.form != form:
        row.started_at = now
    row.chat_id, row.form, row.step, row.data, row.updated_at = chat_id, form, step, data, now


async def clear_form(session: AsyncSession, telegram_user_id: int) -> bool:
    """End the person's form; True if there was one."""
    result = await session.execute(
        delete(FormSession).where(FormSession.telegram_user_id == telegram_user_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def take_expired_forms(session: AsyncSession, before: datetime) -> list[StoredForm]:
    """Remove and return every form last touched before ``before``."""
    rows = list(await session.scalars(select(FormSession).where(FormSession.updated_at < before)))
    for row in rows:
        await session.delete(row)
    return [_stored(row) for row in rows]
