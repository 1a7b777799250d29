"""The one source of case item kind labels, and the case log's button labels."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from bot.caselog.catalog import ITEM_KINDS
from bot.caselog.rules import KIND_LABELS, kind_label
from bot.caselog.views import button_label
from bot.core.vocabulary import CaseItemKind

ROOT = Path(__file__).resolve().parents[2]


def test_every_case_item_kind_has_a_label() -> None:
    assert set(KIND_LABELS) == set(CaseItemKind)
    assert kind_label("success") == "succes"
    assert kind_label(CaseItemKind.BOTTLENECK) == "knelpunt"
    assert kind_label("something_else") == "something_else"
    assert {c.code: c.label for c in ITEM_KINDS} == {k.value: v for k, v in KIND_LABELS.items()}


def test_every_button_label_used_by_the_case_log_exists() -> None:
    sources = [*(ROOT / "bot" / "caselog").rglob("*.py"), ROOT / "handlers" / "caselog.py"]
    used: set[str] = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r'button_label\("([a-z_]+)"', text))
        helper = r'(?:one_button|with_cancel)\("[a-z]+", [A-Z]+, "([a-z_]+)"\)'
        used |= set(re.findall(helper, text))
        used |= set(re.findall(r'\("[a-z]+", "(edit_[a-z]+)"\)', text))
    assert {"today", "no_note", "without_client", "edit_date", "nothing"} <= used
    for name in used:
        assert button_label(name, index=1, day=date(2026, 6, 3), months=3) != name, name
