"""Pure rules of the people side of the route: who may own a client, when an overdracht is
refused, how a doelgroep change may be dated, and which of one's own items may be deleted.

Imports only :mod:`bot.core` and the deadline rules (``may_own``), so it is tested without a
database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.core.answers import InputProblem, clean_text
from bot.core.roles import MANAGERS, Role
from bot.core.vocabulary import LEFT_STATUSES, AgendaStatus, CaseItemKind
from bot.deadlines.rules import KindRule, may_own

#: Roles that may own a client: the ones who handle its deadlines (a netwerker or a
#: beleidsmedewerker carries no caseload).
CLIENT_OWNER_ROLES = frozenset(
    {Role.CONSULENT, Role.LOOPBAANBEGELEIDER, Role.TEAMLEIDER, Role.ADMIN}
)
#: The reason of an overdracht goes into the client's history (``client_events.reason``).
REASON_MIN, REASON_MAX = 3, 200


def roles_of(codes: Iterable[str]) -> frozenset[Role]:
    """Stored role codes as roles (an unknown code is no role)."""
    return frozenset(Role(c) for c in codes if c in Role._value2member_map_)


def may_own_client(roles: Iterable[Role], deadline_rules: Iterable[KindRule]) -> bool:
    """Whether someone with ``roles`` may own a client whose open deadlines (that follow the
    client) have ``deadline_rules``: a client-owning role, and each of those deadlines."""
    held = frozenset(roles)
    return bool(held & CLIENT_OWNER_ROLES) and all(may_own(rule, held) for rule in deadline_rules)


class Refusal(StrEnum):
    """Why an overdracht (or a handover of a leaver's work) is refused; picks the message."""

    NOT_ALLOWED = "not_allowed"
    LEFT = "left"
    SELF = "self"
    CURRENT = "current"
    INACTIVE = "inactive"
    OTHER_TEAM = "other_team"
    CANNOT_OWN = "cannot_own"


@dataclass(frozen=True)
class Candidate:
    """A possible receiver as the rules see them."""

    staff_id: int
    team_id: int
    active: bool
    roles: frozenset[Role]


def may_hand_over(actor_id: int, actor_roles: Iterable[Role], owner_id: int | None) -> bool:
    """The owner hands a client over, or a teamleider/admin (anyone's client of the team)."""
    return owner_id == actor_id or bool(frozenset(actor_roles) & MANAGERS)


def handover_refusal(
    *,
    actor_id: int,
    actor_roles: Iterable[Role],
    client_team_id: int,
    client_status: str,
    owner_id: int | None,
    receiver: Candidate | None,
    deadline_rules: Sequence[KindRule],
) -> Refusal | None:
    """Why ``receiver`` cannot get the client now, or ``None`` when they can."""
    if not may_hand_over(actor_id, actor_roles, owner_id):
        return Refusal.NOT_ALLOWED
    if client_status in LEFT_STATUSES:
        return Refusal.LEFT
    if receiver is None:
        return None
    if receiver.staff_id == actor_id:
        return Refusal.SELF
    if receiver.staff_id == owner_id:
        return Refusal.CURRENT
    if not receiver.active:
        return Refusal.INACTIVE
    if receiver.team_id != client_team_id:
        return Refusal.OTHER_TEAM
    if not may_own_client(receiver.roles, deadline_rules):
        return Refusal.CANNOT_OWN
    return None


def work_receiver_refusal(
    *,
    leaver_id: int,
    leaver_team_id: int,
    receiver: Candidate | None,
    deadline_rules: Sequence[KindRule],
) -> Refusal | None:
    """Why ``receiver`` cannot take over all of a deactivated colleague's work (clients and
    open deadlines), or ``None``. The teamleider may take it themselves."""
    if receiver is None or not receiver.active:
        return Refusal.INACTIVE
    if receiver.staff_id == leaver_id:
        return Refusal.CURRENT
    if receiver.team_id != leaver_team_id:
        return Refusal.OTHER_TEAM
    if not may_own_client(receiver.roles, deadline_rules):
        return Refusal.CANNOT_OWN
    return None


def check_reason(text: str | None) -> str:
    """The reason of an overdracht: one cleaned line of 3–200 characters."""
    value = " ".join(clean_text(text or "").split())
    if not value:
        raise InputProblem("empty")
    if len(value) < REASON_MIN:
        raise InputProblem("people_reason_short", {"limit": REASON_MIN})
    if len(value) > REASON_MAX:
        raise InputProblem("too_long", {"limit": REASON_MAX, "length": len(value)})
    return value


# --- doelgroepen -------------------------------------------------------------------------------


def toggled(tags: Sequence[str], tag: str) -> list[str]:
    """``tags`` with ``tag`` added, or removed when it was there (order kept)."""
    return [t for t in tags if t != tag] if tag in tags else [*tags, tag]


def tag_changes(before: Sequence[str], after: Sequence[str]) -> tuple[list[str], list[str]]:
    """(added, removed) going from ``before`` to ``after``."""
    return [t for t in after if t not in before], [t for t in before if t not in after]


def tag_date_window(
    today: date, entered_on: date | None, last_change: date | None
) -> tuple[date | None, date]:
    """The dates a doelgroep change may carry: not in the future, not before the client
    entered, and not before the last change of a tag (the periods would overlap)."""
    floors = [d for d in (entered_on, last_change) if d is not None]
    return (max(floors) if floors else None), today


def check_tag_date(
    day: date, today: date, entered_on: date | None, last_change: date | None
) -> date:
    """``day`` when it lies in :func:`tag_date_window`; else an :class:`InputProblem`."""
    earliest, latest = tag_date_window(today, entered_on, last_change)
    if day > latest:
        raise InputProblem("people_tag_future")
    if earliest is not None and day < earliest:
        raise InputProblem("people_tag_before", {"earliest": earliest})
    return day


def last_change(
    periods: Iterable[tuple[str, date, date | None]], tags: Iterable[str]
) -> date | None:
    """The latest set or removal date among the periods of ``tags`` (the ones changing)."""
    wanted = set(tags)
    days = [
        d
        for tag, set_on, removed_on in periods
        if tag in wanted
        for d in (set_on, removed_on)
        if d is not None
    ]
    return max(days) if days else None


# --- undo: deleting one's own item -----------------------------------------------------------


class DeleteRefusal(StrEnum):
    """Why an item cannot be deleted; picks the message."""

    GONE = "gone"
    DECIDED = "decided"
    INTAKE = "intake"


#: Agenda statuses of an item the weekdate already decided on: it is in the minutes.
DECIDED = frozenset({AgendaStatus.DISCUSSED, AgendaStatus.INFO})


def delete_refusal(
    *,
    author_id: int,
    actor_id: int,
    created_at: datetime,
    since: datetime,
    kind: str,
    agenda_status: str,
) -> DeleteRefusal | None:
    """Whether one's own item may be deleted: one's own, of the last days, not yet decided in a
    weekdate, and no aanmelding (that made the client; its text can still be changed)."""
    if author_id != actor_id or created_at < since:
        return DeleteRefusal.GONE
    if agenda_status in DECIDED:
        return DeleteRefusal.DECIDED
    if kind == CaseItemKind.INTAKE:
        return DeleteRefusal.INTAKE
    return None


def may_edit_vacancy(actor_id: int, actor_roles: Iterable[Role], author_id: int) -> bool:
    """A vacature is edited by its author or a teamleider/admin."""
    return actor_id == author_id or bool(frozenset(actor_roles) & MANAGERS)
