"""Generated BSNs through the whole bot, at every free-text entry point; and 10,000 nine-digit
numbers that fail the elfproef, which must get through.

``python benchmarks/bsn_through_bot.py [PER_ENTRY]``: PER_ENTRY BSNs at each of the ten entry
points (default 1,000, so 10,000 in all; 10000 sends 10,000 to each, about 15 minutes).

Runs the real application on the local transport and a throwaway SQLite file, and prints how
many messages were refused, per entry point, with the time per update. (The property-based unit
test checks the same 10,000 on the detector itself in seconds; this shows it end to end.)
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.roles import Role
from tests.privacy.test_caselog_privacy import ENTRIES, REFUSED, _message, _open
from tests.privacy.test_rules import (
    PREFIXES,
    STYLES,
    SUFFIXES,
    invalid_nine_digits_from,
    sentence,
    valid_bsn_from,
)
from tests.support.caselog import intake
from tests.support.harness import BotHarness, texts

TOTAL = 10_000
PER_ENTRY = int(sys.argv[1]) if len(sys.argv) > 1 else TOTAL // 10


def random_case(rng: random.Random) -> tuple[int, int, int, int, bool, int, int]:
    return (
        rng.randrange(10**9),
        rng.randrange(len(STYLES)),
        rng.randrange(256),
        rng.randrange(2**24),
        rng.random() < 0.5,
        rng.randrange(len(PREFIXES)),
        rng.randrange(len(SUFFIXES)),
    )


async def main() -> None:
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        bot = await BotHarness.start(Path(folder))
        try:
            user = await bot.staff(Role.CONSULENT)
            await intake(bot, user, "C-1")
            per_entry = PER_ENTRY
            refused_total = 0
            start = time.perf_counter()
            for entry in ENTRIES:
                await bot.driver.text(user, "/annuleer")
                await _open(bot, user, entry)
                refused = 0
                for _ in range(per_entry):
                    case = random_case(rng)
                    text = _message(entry, sentence(valid_bsn_from(case[0]), case))
                    calls = await bot.driver.text(user, text)
                    refused += any(REFUSED in t for t in texts(calls))
                refused_total += refused
                print(f"valid BSNs refused at {entry:20s} {refused:>6,} / {per_entry:,}")
            elapsed = time.perf_counter() - start
            sent = per_entry * len(ENTRIES)
            print(f"valid BSNs refused in total          {refused_total:>6,} / {sent:,}")
            print(f"time per update: {elapsed / sent * 1000:.2f} ms")

            await bot.driver.text(user, "/annuleer")
            passed = 0
            for _ in range(TOTAL):
                case = random_case(rng)
                text = sentence(invalid_nine_digits_from(case[0]), case)
                calls = await bot.driver.text(user, text)
                passed += not any(REFUSED in t for t in texts(calls))
            print(f"elfproef failures let through (chat) {passed:>6,} / {TOTAL:,}")
        finally:
            await bot.stop()


if __name__ == "__main__":
    asyncio.run(main())
