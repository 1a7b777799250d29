"""Message text and the token never reach the log, even with LOG_LEVEL=DEBUG (SQL logged too)."""

from __future__ import annotations

from pathlib import Path

from bot.app import LOCAL_TOKEN
from bot.core.roles import Role
from tests.support.caselog import intake
from tests.support.harness import BotHarness

NOTE = "Goed gesprek notitie-Xq7 woont bij zus"
SUCCESS = "Contract getekend bij bakkerij-Zv9"
BSN_TEXT = "C-10234 heeft BSN 111222333 gegeven"


async def test_no_typed_text_and_no_token_in_debug_logs(
    tmp_path: Path, debug_everything: list[str]
) -> None:
    bot = await BotHarness.start(tmp_path)
    try:
        consulent = await bot.staff(Role.CONSULENT)
        saved = await intake(bot, consulent, "C-10234", NOTE)
        assert any("C-10234" in c.text for c in saved)
        await bot.driver.text(consulent, f"/succes C-10234 {SUCCESS}")
        refused = await bot.driver.text(consulent, f"/knelpunt {BSN_TEXT}")
        assert any("BSN" in c.text for c in refused)
    finally:
        await bot.stop()
    log = "\n".join(debug_everything)
    assert "sqlalchemy.engine" in log and "INSERT INTO" in log  # SQL was logged, values not
    for secret in (NOTE, SUCCESS, "111222333", "notitie-Xq7", "bakkerij-Zv9", LOCAL_TOKEN):
        leaks = [line[:160] for line in debug_everything if secret in line]
        assert not leaks, leaks
