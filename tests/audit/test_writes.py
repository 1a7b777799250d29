"""Every write to a record table is audited by storage itself: who (staff id), what (a code),
which row and client reference, from which chat; never the note's text."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.roles import Role
from bot.core.vocabulary import AuditAction
from storage import audit
from storage.models import AuditEntry, Staff
from tests.support.caselog import intake
from tests.support.harness import BotHarness


async def test_an_intake_writes_audit_rows_with_staff_reference_and_chat(bot: BotHarness) -> None:
    consulent = await bot.staff(Role.CONSULENT, name="Anna")
    await intake(bot, consulent, "C-77", note="Goed gesprek over werk")
    async with bot.runtime.db.transaction() as session:
        staff_id = await session.scalar(
            select(Staff.id).where(Staff.telegram_user_id == consulent.id)
        )
        rows = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == AuditAction.RECORD_CREATE)
            )
        ).all()
        verdict = await audit.verify(session)
        every = (await session.scalars(select(AuditEntry))).all()
    about = {r.object.split(":")[0] for r in rows if r.reference == "C-77" and r.object}
    assert {"clients", "case_items"} <= about
    by_consulent = [r for r in rows if r.reference == "C-77"]
    assert all(
        (r.actor_staff_id, r.actor_telegram_id, r.chat_type, r.result)
        == (staff_id, consulent.id, "private", "ok")
        for r in by_consulent
    )
    assert verdict.ok
    # No content: the note's words appear in no audit column.
    for row in every:
        assert "gesprek" not in " ".join(str(v) for v in audit.content_of(row).values())
