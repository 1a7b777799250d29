"""Every stored code the deadline forms offer has a label in ``deadlines/label.j2``."""

from __future__ import annotations

from enum import StrEnum

import pytest

from bot.core.vocabulary import (
    ContactKind,
    ContactOutcome,
    ExemptionOutcome,
    ExemptionReason,
    ExemptionScope,
)
from bot.deadlines.views import code_label


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("scope", ExemptionScope),
        ("reason", ExemptionReason),
        ("contact", ContactKind),
        ("outcome", ContactOutcome),
        ("review", ExemptionOutcome),
    ],
)
def test_every_code_has_a_plain_label(kind: str, codes: type[StrEnum]) -> None:
    for code in codes:
        text = code_label(kind, code)
        assert text and "\n" not in text and "&" not in text


def test_labels_are_not_escaped() -> None:
    assert (
        code_label("reason", ExemptionReason.CHILD_UNDER_5)
        == "Art. 9a: alleenstaande ouder, kind < 5"
    )
