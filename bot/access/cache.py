"""Who is this, from memory: the access middleware's lookups without a database round trip.

Keyed by Telegram user id (the active staff member) and by group chat id (the linked team). An
entry is used only while it is younger than the expiry AND was read at the current access
generation (:mod:`storage.access_generation`, bumped by every committed change to staff, roles or
teams), so a change in this process is seen at once and one made by another worker within the
expiry. Strangers are not cached: each of their attempts is audited anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from storage import access_generation
from storage.staff import StaffMember
from storage.teams import TeamInfo

V = TypeVar("V")


@dataclass(frozen=True)
class _Entry(Generic[V]):
    value: V
    generation: int
    read_at: datetime


@dataclass
class _Memo(Generic[V]):
    expiry: timedelta
    entries: dict[int, _Entry[V]] = field(default_factory=dict)

    def get(self, key: int, now: datetime) -> _Entry[V] | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry.generation != access_generation.current() or now - entry.read_at >= self.expiry:
            del self.entries[key]
            return None
        return entry

    def put(self, key: int, value: V, generation: int, now: datetime) -> None:
        if generation == access_generation.current() and self.expiry > timedelta(0):
            self.entries[key] = _Entry(value, generation, now)


@dataclass
class AccessCache:
    """Active staff by Telegram id and linked teams by group chat id, for ``expiry`` at most."""

    expiry: timedelta
    _staff: _Memo[StaffMember] = field(init=False)
    _groups: _Memo[TeamInfo | None] = field(init=False)

    def __post_init__(self) -> None:
        self._staff = _Memo(self.expiry)
        self._groups = _Memo(self.expiry)

    @staticmethod
    def generation() -> int:
        """The generation to pass to ``remember_*``: read it before reading the database."""
        return access_generation.current()

    def staff(self, telegram_user_id: int, now: datetime) -> StaffMember | None:
        """The cached active staff member, or ``None`` when not (or no longer) cached."""
        entry = self._staff.get(telegram_user_id, now)
        return entry.value if entry is not None else None

    def remember_staff(self, member: StaffMember, generation: int, now: datetime) -> None:
        """Cache an active staff member read at ``generation``."""
        self._staff.put(member.telegram_user_id, member, generation, now)

    def group(self, chat_id: int, now: datetime) -> tuple[TeamInfo | None] | None:
        """``(team,)`` when the group's link is cached (``(None,)``: not linked), else ``None``."""
        entry = self._groups.get(chat_id, now)
        return (entry.value,) if entry is not None else None

    def remember_group(
        self, chat_id: int, team: TeamInfo | None, generation: int, now: datetime
    ) -> None:
        """Cache the team linked to a group chat (or that none is) read at ``generation``."""
        self._groups.put(chat_id, team, generation, now)
