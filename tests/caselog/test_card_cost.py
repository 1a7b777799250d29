"""/client reads what the card shows: its statements do not grow with the staff of the team
(owner names in the history are looked up by id, plain rows, not every staff member with roles)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.core.roles import Role
from bot.transport import LocalUser
from tests.support.caselog import intake
from tests.support.harness import BotHarness, only_text


async def _card(bot: BotHarness, user: LocalUser, ref: str) -> tuple[list[str], str]:
    seen: list[str] = []
    engine = bot.runtime.db.engine.sync_engine

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        calls = await bot.driver.text(user, f"/client {ref}")
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
    return seen, only_text(calls)


async def test_client_card_reads_no_staff_list(bot: BotHarness) -> None:
    me = await bot.staff(Role.CONSULENT, name="Sanne")
    await intake(bot, me, "C-10234")
    await bot.driver.text(me, "/help")
    few, card = await _card(bot, me, "C-10234")
    for n in range(30):
        await bot.staff(Role.CONSULENT, name=f"Collega {n}")
    await bot.driver.text(me, "/help")  # new staff dropped the cached access facts
    many, card_again = await _card(bot, me, "C-10234")
    assert "C-10234" in card and card_again == card
    assert len(many) == len(few)
    # No statement reads staff roles, nor the staff table without a WHERE.
    assert not [s for s in many if "staff_roles" in s], many
    assert not [s for s in many if "FROM staff" in s and "WHERE" not in s], many
