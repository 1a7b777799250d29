"""The audit action is a code from a fixed set, never user text (issue 9, defect 6)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.core.roles import Role
from bot.core.vocabulary import (
    AgendaView,
    AuditAction,
    AuditResult,
    MeetingOutcome,
    UpdateKind,
)
from storage import audit
from storage.models import AuditEntry
from tests.support.harness import BotHarness, texts

LONG = "x" * 60 + "y" * 40


async def test_agenda_with_100_characters_audits_the_view_code(bot: BotHarness) -> None:
    leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
    calls = await bot.driver.text(leader, f"/agenda {LONG}")
    # The draft is shown (the argument names no view), and nothing crashed.
    assert any("Concept" in t for t in texts(calls))
    async with bot.runtime.db.transaction() as session:
        rows = (await session.scalars(select(AuditEntry))).all()
    assert [r.action for r in rows if r.action.startswith("agenda")] == ["agenda.concept"]
    for row in rows:
        assert AuditAction(row.action)
        assert "xxx" not in f"{row.action}{row.object}{row.result}"


async def test_storage_refuses_an_action_outside_the_set(bot: BotHarness) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    async with bot.runtime.db.transaction() as session:
        with pytest.raises(ValueError):
            await audit.record(
                session,
                at=now,
                action=f"agenda.{LONG}",  # type: ignore[arg-type]  # user text, as the old code passed it
                result=AuditResult.OK,
            )
        with pytest.raises(ValueError):
            AuditEntry(at=now, action="agenda.whatever", result="ok")
        await audit.record(session, at=now, action=AuditAction.AGENDA_PDF, result=AuditResult.OK)
    async with bot.runtime.db.transaction() as session:
        assert (await audit.recent(session))[0].action == "agenda.pdf"


def test_every_builder_gives_a_member_and_refuses_text() -> None:
    assert {AuditAction.agenda(v) for v in AgendaView} <= set(AuditAction)
    assert {AuditAction.meeting(o) for o in MeetingOutcome} <= set(AuditAction)
    assert {AuditAction.stranger(k) for k in UpdateKind} <= set(AuditAction)
    for build in (AuditAction.agenda, AuditAction.meeting, AuditAction.stranger):
        with pytest.raises(ValueError):
            build(LONG)  # type: ignore[arg-type]  # a str where a code belongs: refused at run time
    assert AgendaView.of(LONG) is AgendaView.CONCEPT
    assert AgendaView.of(" PDF ") is AgendaView.PDF
    assert all(len(a.value) <= 64 for a in AuditAction)
