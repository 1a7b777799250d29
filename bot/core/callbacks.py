"""Short, namespaced ``callback_data``: ``"ns:action:arg:arg"``, at most 64 bytes.

Encoded and decoded only here. A tap is re-authorised by its handler every time: the data says
what was tapped, never who may do it.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
SEPARATOR = ":"


@dataclass(frozen=True)
class Callback:
    """A decoded button tap."""

    ns: str
    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int | None:
        """Argument ``index`` as an int, or ``None`` when it is missing or not a number."""
        try:
            return int(self.args[index])
        except (IndexError, ValueError):
            return None


def encode(ns: str, action: str, *args: object) -> str:
    """Join the parts; refuses separators inside parts and data over 64 bytes."""
    parts = [ns, action, *(str(arg) for arg in args)]
    if any(SEPARATOR in part or not part for part in parts[:2]) or any(
        SEPARATOR in part for part in parts[2:]
    ):
        raise ValueError(f"bad callback part in {parts!r}")
    data = SEPARATOR.join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback_data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """The tap behind ``data``, or ``None`` for data we did not make."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEPARATOR)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return None
    return Callback(parts[0], parts[1], tuple(parts[2:]))


def pattern(ns: str) -> str:
    """The ``CallbackQueryHandler`` pattern for namespace ``ns``."""
    return f"^{ns}{SEPARATOR}"
