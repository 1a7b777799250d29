"""The demo week script keeps working: five digests, Monday to Friday, that follow the answers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo_deadlines_week.py"


async def test_demo_week_of_digests() -> None:
    spec = importlib.util.spec_from_file_location("demo_deadlines_week", SCRIPT)
    assert spec is not None and spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    week = await demo.build_week()
    assert [day.isoformat() for day, _ in week] == [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
    ]
    texts = [demo.plain(text) for _, text in week]
    assert "Te laat" in texts[0] and "C-1042" in texts[0]
    assert all("C-1042" not in t for t in texts[1:])  # reviewed on Monday
    assert "C-2001" in texts[3] and "C-2001" not in texts[4]  # huisbezoek on Thursday
    assert "02-12-2026" in texts[3]  # C-1077 postponed a week on Wednesday
