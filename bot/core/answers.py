"""What every answer check shares: the one exception for an answer a form cannot take, and the
one way typed text is cleaned.

Pure; rule modules of every feature raise :class:`InputProblem`, and the form engine turns it into
the Dutch sentence of ``templates/forms/problem.j2`` with the prompt shown again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any


@dataclass
class InputProblem(ValueError):
    """An answer the form cannot take. ``code`` picks the Dutch message; ``values`` fill it."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.code


def clean_text(text: str) -> str:
    """``text`` without control characters and outer whitespace; inner runs of spaces kept."""
    kept = "".join(ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return kept.strip()
