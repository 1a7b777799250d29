"""Short, namespaced ``callback_data``: ``"ns:action:arg:arg"``, at most 64 bytes.

Encoded and decoded only here. Every kind of button belongs to one :class:`Family`, declared once
with :func:`family` next to the feature that makes its buttons: its namespace, what it is for,
and each action with the types of its arguments, so a button with a wrong payload fails when it
is made (in the tests), not when someone taps it. Namespaces are unique across the product.
A tap is re-authorised by its handler every time: the data says what was tapped, never who may
do it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_BYTES = 64
SEPARATOR = ":"
#: The range of every integer in callback data: database ids, which are positive and fit a
#: PostgreSQL ``integer``. Anything else is data we did not make (a replayed or forged tap) and is
#: treated as unknown here, before a query with an out-of-range parameter can fail.
MIN_ID, MAX_ID = 1, 2**31 - 1


def id_value(text: str) -> int | None:
    """``text`` as an id: ASCII digits only, within ``MIN_ID``..``MAX_ID``; else ``None``."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if MIN_ID <= value <= MAX_ID else None


@dataclass(frozen=True)
class Callback:
    """A decoded button tap."""

    ns: str
    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int | None:
        """Argument ``index`` as an id, or ``None`` when it is missing or not an id in range."""
        if not 0 <= index < len(self.args):
            return None
        return id_value(self.args[index])


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


#: The argument types a payload may hold (dates travel as ISO strings).
ArgType = type[int] | type[str] | type[object]


@dataclass(frozen=True)
class Family:
    """One family of buttons: a namespace, its purpose, and its actions with argument types."""

    ns: str
    purpose: str
    #: Each action with the types of its arguments.
    actions: Mapping[str, tuple[ArgType, ...]] = field(default_factory=dict)
    #: For a family whose actions are not known in advance (the form engine names them after
    #: its forms): the argument types of every action. ``None``: only ``actions`` are allowed.
    any_action: tuple[ArgType, ...] | None = None
    #: Tapped only in a private chat; in a group the access middleware refuses the tap. Private
    #: unless a family says otherwise (as the command catalogue does for commands).
    private_only: bool = True

    def encode(self, action: str, *args: object) -> str:
        """The callback data of ``action`` with ``args``; refuses an unknown action or payload."""
        expected = self.actions.get(action, self.any_action)
        if expected is None:
            raise ValueError(f"{self.ns}: unknown action {action!r}")
        if len(args) != len(expected) or not all(
            isinstance(arg, kind) and not (kind is int and isinstance(arg, bool))
            for arg, kind in zip(args, expected, strict=True)
        ):
            raise ValueError(f"{self.ns}:{action}: payload {args!r} is not {expected!r}")
        return encode(self.ns, action, *args)

    def decode(self, data: str | None) -> Callback | None:
        """The tap behind ``data`` when it is one of this family's buttons, with the action and
        arguments it declares (every ``int`` an id in range); anything else is unknown data."""
        tap = decode(data)
        if tap is None or tap.ns != self.ns:
            return None
        expected = self.actions.get(tap.action, self.any_action)
        if expected is None:
            return None
        if self.actions.get(tap.action) is not None and len(tap.args) != len(expected):
            return None
        for arg, kind in zip(tap.args, expected, strict=False):
            if kind is int and id_value(arg) is None:
                return None
        return tap

    @property
    def pattern(self) -> str:
        """The ``CallbackQueryHandler`` pattern of this family."""
        return pattern(self.ns)


_FAMILIES: dict[str, Family] = {}


def family(
    ns: str,
    purpose: str,
    actions: Mapping[str, tuple[ArgType, ...]] | None = None,
    *,
    any_action: tuple[ArgType, ...] | None = None,
    private_only: bool = True,
) -> Family:
    """Declare a family of buttons; a namespace taken by another family is refused."""
    if not ns or SEPARATOR in ns:
        raise ValueError(f"bad namespace {ns!r}")
    declared = Family(ns, purpose, dict(actions or {}), any_action, private_only)
    known = _FAMILIES.setdefault(ns, declared)
    if known != declared:
        raise ValueError(f"callback namespace {ns!r} is taken by {known.purpose!r}")
    return known


def families() -> tuple[Family, ...]:
    """Every declared family."""
    return tuple(_FAMILIES.values())


def family_of(data: str | None) -> Family | None:
    """The declared family ``data`` belongs to, or ``None`` for data of no family."""
    tap = decode(data)
    return _FAMILIES.get(tap.ns) if tap is not None else None
