"""The plain rows every figure is computed from (issue 12 item 5).

Immutable, no database: storage builds them (``storage/figures.py``), tests build them by hand.
The kinds that come by the hundred thousand (events, spells, contacts) are named tuples: a
frozen dataclass costs several times as much to build. A row kind whose events are not stored
arrives as ``None`` in :class:`Caseload`, and every figure that needs it says "niet te
berekenen" instead of a number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple


@dataclass(frozen=True)
class ClientEpisode:
    """One spell of a client with the team: from an intake (new or herinstroom) to an exit."""

    client_id: int
    ref: str
    #: §4.0: ``benefit_start`` if the entitlement is *ja*, otherwise the first conversation.
    instroom: date
    first_conversation: date
    entitlement: str | None
    benefit_start: date | None
    herinstroom: bool
    #: The day the client left (a status event to uitgestroomd/overgedragen), if they did.
    exit_on: date | None = None
    #: Why, where the exit flow recorded it (``None``: unknown; see ``Caseload.exit_reasons``).
    exit_reason: str | None = None
    #: Doelgroep tags given at the intake (the intake's own record; tags change later).
    intake_tags: frozenset[str] = frozenset()
    #: An uitkering/dossier reference; none stored today (counts of uitkeringen need it).
    dossier: str | None = None

    def in_stock(self, day: date) -> bool:
        """§4.0 Bestand(d) without the entitlement test: intake on or before ``day`` and no exit
        on or before ``day``."""
        return self.first_conversation <= day and (self.exit_on is None or self.exit_on > day)


class CategoryChange(NamedTuple):
    """A ``category`` or ``subcategory`` event: (old → new) on a day."""

    client_id: int
    on: date
    #: ``category`` or ``subcategory``.
    field: str
    old: str | None
    new: str | None


class CategorySpell(NamedTuple):
    """A client's category and subcategory from ``start`` up to, not including, ``end``."""

    client_id: int
    category: str | None
    subcategory: str | None
    start: date
    #: ``None``: still so.
    end: date | None


class OwnerChange(NamedTuple):
    """An ``owner`` event: who had the client before and after ``on``."""

    client_id: int
    on: date
    old_staff_id: int | None
    new_staff_id: int | None


@dataclass(frozen=True)
class StaffRow:
    """A colleague who may own clients (for caseload per medewerker)."""

    staff_id: int
    name: str
    roles: frozenset[str]


class TagPeriod(NamedTuple):
    """A doelgroep tag held from ``set_on`` to ``removed_on`` (exclusive; ``None``: still)."""

    client_id: int
    tag: str
    set_on: date
    removed_on: date | None


class ExemptionRow(NamedTuple):
    """An ontheffing (``exemptions``)."""

    client_id: int
    scope: str
    reason: str
    start: date
    end: date | None
    #: The day it was ended early (a review outcome, or the client left).
    ended_on: date | None

    def active_on(self, day: date) -> bool:
        """§4.0: start ≤ d, (end null or end ≥ d), and not ended before d."""
        return (
            self.start <= day
            and (self.end is None or self.end >= day)
            and (self.ended_on is None or self.ended_on >= day)
        )


class ContactRow(NamedTuple):
    """A participation contact."""

    client_id: int
    kind: str
    on: date
    outcome: str


class DeadlineRow(NamedTuple):
    """A deadline, for "on time" (§4.0)."""

    client_id: int | None
    kind: str
    #: After postponements.
    due: date
    status: str
    #: Local date it was resolved.
    resolved_on: date | None
    postponements: int


@dataclass(frozen=True)
class VacancyRow:
    """A vacature."""

    vacancy_id: int
    opened_on: date
    status: str
    closed_on: date | None
    place_kind: str
    filled_client_id: int | None


class PlacementRow(NamedTuple):
    """A placement (table ``placements``, being built by the exit slice)."""

    client_id: int
    kind: str
    start: date
    hours: int | None
    lks: bool


class TrajectRow(NamedTuple):
    """A traject (case log item of kind trajectory) and, where stored, its outcome."""

    client_id: int
    instrument: str
    start: date
    end: date | None
    #: ``afgerond`` or ``gestopt``; ``None``: still running, or logged without an outcome.
    outcome: str | None = None
    #: Extensions used (M4: 0 / 1 / 2).
    extensions: int = 0


@dataclass(frozen=True)
class Caseload:
    """Everything one team's figures are computed from. ``None``: not stored yet."""

    episodes: Sequence[ClientEpisode]
    categories: Sequence[CategoryChange]
    #: Each client's current category and subcategory (the end of their history).
    current: dict[int, tuple[str | None, str | None]]
    owners: Sequence[OwnerChange]
    current_owner: dict[int, int | None]
    staff: Sequence[StaffRow]
    exemptions: Sequence[ExemptionRow]
    contacts: Sequence[ContactRow]
    deadlines: Sequence[DeadlineRow]
    vacancies: Sequence[VacancyRow]
    trajects: Sequence[TrajectRow]
    #: Whether exit reasons are recorded (the uitstroom flow); exits themselves come from status.
    exit_reasons: bool = False
    tag_periods: Sequence[TagPeriod] | None = None
    placements: Sequence[PlacementRow] | None = None
    #: Whether ``trajects`` carry outcomes (the traject slice).
    traject_outcomes: bool = False


def category_spells(
    changes: Iterable[CategoryChange], current: dict[int, tuple[str | None, str | None]]
) -> dict[int, list[CategorySpell]]:
    """Each client's spells, from the category/subcategory events (sorted by day).

    A client without events has one spell with their current values since forever; the first
    spell of a client with events starts with the first event's ``old`` value.
    """
    by_client: dict[int, list[CategoryChange]] = defaultdict(list)
    for change in changes:
        by_client[change.client_id].append(change)
    result: dict[int, list[CategorySpell]] = {}
    for client_id, (category, subcategory) in current.items():
        events = sorted(by_client.get(client_id, ()), key=lambda c: c.on)
        spells: list[CategorySpell] = []
        cat: str | None = None
        sub: str | None = None
        if events:
            first_cat = next((e for e in events if e.field == "category"), None)
            first_sub = next((e for e in events if e.field == "subcategory"), None)
            cat = first_cat.old if first_cat else category
            sub = first_sub.old if first_sub else subcategory
        else:
            cat, sub = category, subcategory
        start = date.min
        for event in events:
            if event.on != start:
                spells.append(CategorySpell(client_id, cat, sub, start, event.on))
                start = event.on
            if event.field == "category":
                cat = event.new
            else:
                sub = event.new
        spells.append(CategorySpell(client_id, cat, sub, start, None))
        result[client_id] = spells
    return result


def spell_on(spells: Sequence[CategorySpell], day: date) -> CategorySpell | None:
    """The spell that holds on ``day`` (events on a day count from that day on)."""
    for spell in reversed(spells):
        if spell.start <= day:
            return spell
    return None
