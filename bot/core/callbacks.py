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
        """The tap behind ``data`` when it is one of this family's buttons."""
        tap = decode(data)
        return tap if tap is not None and tap.ns == self.ns else None

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
