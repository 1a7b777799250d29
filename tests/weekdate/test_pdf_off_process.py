"""The agenda PDF is rendered in a child process: the bot's own memory never holds WeasyPrint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import asyncio, sys, tempfile
from pathlib import Path
from bot.core.roles import Role
from tests.support.harness import BotHarness

async def main() -> None:
    bot = await BotHarness.start(Path(tempfile.mkdtemp()))
    leader = await bot.staff(Role.TEAMLEIDER)
    calls = await bot.driver.text(leader, "/agenda pdf")
    assert [c.method for c in calls] == ["sendDocument"], calls
    pdf = next(iter(calls[0].files.values()))
    data = pdf[1] if isinstance(pdf, tuple) else pdf
    print("pdf" if b"%PDF" in bytes(data)[:1024] else "no pdf")
    print("weasyprint loaded" if "weasyprint" in sys.modules else "weasyprint not loaded")
    await bot.stop()

asyncio.run(main())
"""


def test_agenda_pdf_comes_from_a_child_process() -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["pdf", "weasyprint not loaded"], done.stdout
