"""The weekdate agenda: what the team discusses, in which order and for how long.

Pure rules. Storage hands in plain dataclasses (:class:`AgendaInput`); :func:`compile_agenda`
returns an :class:`Agenda` that the templates render. Nothing here reads the clock: the meeting
date is passed in.

Section order follows the weekdate as the seeds describe it (001:L152, 000:L151): nieuwe
aanmeldingen, vacatures, komende trajecten, knelpunten, doorstroom en uitstroom, successen; then
the obligations the team carries over: termijnen, doorgeschoven punten, open actiepunten.

The time box spreads the meeting's duration over the sections by the weight of the items in them
(an aanmelding or knelpunt needs a real discussion; a success or vacature is quick). When the
items need more time than there is, the lowest-priority items are marked "ter info": they stay on
the agenda, listed compactly, without minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from bot.caselog.rules import KIND_LABELS
from bot.core.dates import format_short
from bot.core.vocabulary import AgendaStatus, CaseItemKind, ClientStatus, HistoryField
from bot.deadlines.rules import is_long_running
from bot.route.rules import Applicant, Opening, Ranked, rank_candidates

#: Look this many days ahead for closing vacatures, starting trajecten and due termijnen.
HORIZON_DAYS = 14
#: At most this many candidate suggestions per vacature.
MAX_CANDIDATES = 3


class Section(StrEnum):
    """An agenda section, in agenda order (the enum order is the order on paper)."""

    INTAKES = "intakes"
    VACANCIES = "vacancies"
    TRAJECTORIES = "trajectories"
    BOTTLENECKS = "bottlenecks"
    TRANSITIONS = "transitions"
    SUCCESSES = "successes"
    DEADLINES = "deadlines"
    CARRIED = "carried"
    ACTION_ITEMS = "action_items"

    @property
    def heading(self) -> str:
        """The Dutch section heading."""
        return _SECTION_TITLES[self]


_SECTION_TITLES = {
    Section.INTAKES: "Nieuwe aanmeldingen",
    Section.VACANCIES: "Vacatures",
    Section.TRAJECTORIES: "Komende trajecten",
    Section.BOTTLENECKS: "Knelpunten",
    Section.TRANSITIONS: "Doorstroom en uitstroom",
    Section.SUCCESSES: "Successen",
    Section.DEADLINES: "Termijnen",
    Section.CARRIED: "Doorgeschoven punten",
    Section.ACTION_ITEMS: "Open actiepunten",
}

#: Minutes one item needs in the meeting. Aanmeldingen and knelpunten need a discussion,
#: successen and vacatures are quick (issue 4, item 3).
ITEM_WEIGHT: dict[Section, int] = {
    Section.INTAKES: 3,
    Section.BOTTLENECKS: 3,
    Section.CARRIED: 2,
    Section.TRAJECTORIES: 1,
    Section.TRANSITIONS: 1,
    Section.ACTION_ITEMS: 1,
    Section.DEADLINES: 1,
    Section.VACANCIES: 1,
    Section.SUCCESSES: 1,
}

#: Which sections are discussed first when time runs short (lower = more important). A new
#: aanmelding must get its category; a carried item has waited a week already; successen are the
#: first to become "ter info".
SECTION_PRIORITY: dict[Section, int] = {
    Section.INTAKES: 0,
    Section.CARRIED: 1,
    Section.BOTTLENECKS: 2,
    Section.ACTION_ITEMS: 3,
    Section.VACANCIES: 4,
    Section.DEADLINES: 5,
    Section.TRAJECTORIES: 6,
    Section.TRANSITIONS: 7,
    Section.SUCCESSES: 8,
}

#: The Dutch name of an item type, the only thing the team group sees besides the reference.
ITEM_KIND_LABELS: dict[str, str] = {
    # Case log entries are named once, by the case log; the agenda adds its own kinds of item.
    **{str(kind): label for kind, label in KIND_LABELS.items()},
    "vacancy": "vacature",
    "transition": "doorstroom",
    "exit": "uitstroom",
    "deadline": "termijn",
    "action_item": "actiepunt",
}

#: Dutch names of deadline kinds (the deadlines catalogue may add more; unknown kinds are shown
#: by their key with spaces).
DEADLINE_KIND_LABELS = {
    "exemption_review": "herbeoordeling ontheffing",
    "participation_contact": "participatiecontact",
    "lb_appointment": "gesprek loopbaanbegeleider inplannen",
    "action_item": "actiepunt",
    "wage_value_assessment": "loonwaardemeting",
    "trajectory_end": "einde traject",
    "status_holder_review": "check statushouder: categorie bekijken",
    "trajectory_limit": "traject op maximale duur",
    "exemption_contact": "jaarlijks contact ontheffing",
}


# --- input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseItemIn:
    """An aanmelding, knelpunt, succes, traject or notitie waiting for the weekdate."""

    id: int
    kind: str
    client_ref: str | None
    author: str
    created_on: date
    #: pending or carried (carried items go to "Doorgeschoven punten").
    agenda_status: str = AgendaStatus.PENDING
    text: str | None = None
    proposed_category: str | None = None
    tags: tuple[str, ...] = ()
    instrument: str | None = None
    start: date | None = None
    end: date | None = None
    client_id: int | None = None


@dataclass(frozen=True)
class VacancyIn:
    """An open vacature."""

    id: int
    employer: str
    function: str
    place_kind: str
    created_on: date
    branche: str | None = None
    hours_per_week: int | None = None
    closing_date: date | None = None
    #: True when the vacature was already on an earlier agenda.
    seen_before: bool = False


@dataclass(frozen=True)
class CandidateIn:
    """A client who might fit a vacature; branches and hours only where known."""

    client_id: int
    ref: str
    category: str | None
    status: str = ClientStatus.ACTIVE
    branches: frozenset[str] = frozenset()
    max_hours: int | None = None
    entered_on: date | None = None
    place_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TransitionIn:
    """A category change or an exit since the previous weekdate."""

    client_ref: str
    field: str
    old_value: str | None
    new_value: str | None
    on: date
    reason: str | None = None


@dataclass(frozen=True)
class DeadlineIn:
    """An open termijn (due soon or overdue) or an open actiepunt."""

    id: int
    kind: str
    due_date: date
    owner: str | None
    client_ref: str | None = None
    title: str | None = None
    #: For an ontheffing's review: the ontheffing's start and how often it was extended.
    exemption_start: date | None = None
    extensions: int = 0


@dataclass(frozen=True)
class AgendaInput:
    """Everything the agenda is compiled from."""

    team_name: str
    meeting_date: date
    duration_minutes: int
    case_items: Sequence[CaseItemIn] = ()
    vacancies: Sequence[VacancyIn] = ()
    candidates: Sequence[CandidateIn] = ()
    transitions: Sequence[TransitionIn] = ()
    deadlines: Sequence[DeadlineIn] = ()
    action_items: Sequence[DeadlineIn] = ()
    holiday: str | None = None
    #: Place kind -> the categories whose clients suit it (``bot.profiles.meaning.matching``):
    #: the team's profile decides, no category code is named here.
    matching: Mapping[str, frozenset[str]] = field(default_factory=dict)


# --- output ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A suggested client for a vacature (teamleider's private copy only)."""

    ref: str
    category: str
    reasons: tuple[str, ...]


@dataclass
class AgendaItem:
    """One line on the agenda.

    ``key`` identifies the source row (``case_item:12``, ``vacancy:3``, ``deadline:7``,
    ``transition:C-1:category``) for meeting mode and the snapshot.
    """

    key: str
    section: Section
    kind: str
    ref: str | None
    summary: str
    details: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    overdue: bool = False
    ter_info: bool = False
    sort_key: tuple[object, ...] = ()
    client_id: int | None = None
    #: An ontheffing extended three times or running over two years (001:L309: the stock the
    #: plans suspect is too large), marked "langlopend" on the termijnen.
    long_running: bool = False

    @property
    def kind_label(self) -> str:
        """The Dutch item type."""
        return ITEM_KIND_LABELS.get(self.kind, self.kind)

    @property
    def weight(self) -> int:
        """Minutes this item needs."""
        return ITEM_WEIGHT[self.section]


@dataclass
class AgendaSection:
    """A section with its items and its minutes in the time box."""

    section: Section
    items: list[AgendaItem] = field(default_factory=list)
    minutes: int = 0

    @property
    def title(self) -> str:
        """The Dutch heading."""
        return self.section.heading

    @property
    def discussed(self) -> list[AgendaItem]:
        """Items that get time."""
        return [i for i in self.items if not i.ter_info]

    @property
    def info(self) -> list[AgendaItem]:
        """Items listed compactly, "ter info"."""
        return [i for i in self.items if i.ter_info]


@dataclass
class Agenda:
    """A compiled agenda."""

    team_name: str
    meeting_date: date
    duration_minutes: int
    sections: list[AgendaSection]
    holiday: str | None = None

    @property
    def items(self) -> list[AgendaItem]:
        """All items in agenda order."""
        return [item for section in self.sections for item in section.items]

    @property
    def total_minutes(self) -> int:
        """Sum of the sections' minutes (the duration when anything is discussed)."""
        return sum(s.minutes for s in self.sections)

    @property
    def is_empty(self) -> bool:
        """Nothing to discuss at all."""
        return not any(s.items for s in self.sections)

    def section(self, key: Section) -> AgendaSection:
        """The section ``key``."""
        for section in self.sections:
            if section.section is key:
                return section
        raise KeyError(key)


# --- candidate matching ----------------------------------------------------------------------


class CandidatePool:
    """Clients to match, built once per agenda: only the active ones, each with its wishes.

    The ranking itself is the route's one ranking function
    (:func:`bot.route.rules.rank_candidates`), so the agenda and the "Kandidaten" button of
    ``/vacatures`` never disagree.
    """

    def __init__(
        self, clients: Iterable[CandidateIn], matching: Mapping[str, frozenset[str]]
    ) -> None:
        self._matching = matching
        self._clients = {
            c.client_id: c
            for c in clients
            if c.status in (ClientStatus.ACTIVE, ClientStatus.REGISTERED)
        }
        self._applicants = [
            Applicant(
                c.client_id,
                c.ref,
                c.category,
                c.entered_on,
                branches=c.branches,
                hours_per_week=c.max_hours,
                place_kinds=c.place_kinds,
            )
            for c in self._clients.values()
        ]

    def suggest(self, vacancy: VacancyIn, limit: int = MAX_CANDIDATES) -> tuple[Candidate, ...]:
        """Up to ``limit`` clients for ``vacancy``, best first (see
        :func:`bot.route.rules.fit`), with the wishes the vacature meets as reasons."""
        opening = Opening(vacancy.place_kind, vacancy.branche, vacancy.hours_per_week)
        ranked = rank_candidates(opening, self._applicants, self._matching, limit)
        return tuple(
            Candidate(
                r.ref,
                self._clients[r.client_id].category or "",
                _reasons(r, vacancy, self._clients[r.client_id]),
            )
            for r in ranked
        )


def _reasons(ranked: Ranked, vacancy: VacancyIn, client: CandidateIn) -> tuple[str, ...]:
    said = {
        "branche": f"branche {vacancy.branche}",
        "uren": f"tot {client.max_hours} uur",
        "soort plek": "soort plek",
    }
    return tuple(said.get(reason, reason) for reason in ranked.reasons)


def suggest_candidates(
    vacancy: VacancyIn,
    pool: Iterable[CandidateIn],
    matching: Mapping[str, frozenset[str]],
    limit: int = MAX_CANDIDATES,
) -> tuple[Candidate, ...]:
    """Up to ``limit`` clients from ``pool`` for ``vacancy`` (see :meth:`CandidatePool.suggest`)."""
    return CandidatePool(pool, matching).suggest(vacancy, limit)


# --- compiling -------------------------------------------------------------------------------


_CASE_SECTIONS = {
    "intake": Section.INTAKES,
    "trajectory": Section.TRAJECTORIES,
    "bottleneck": Section.BOTTLENECKS,
    "success": Section.SUCCESSES,
    # A notitie has no section of its own; it is a point for discussion like a knelpunt.
    "note": Section.BOTTLENECKS,
}


def _case_item(item: CaseItemIn, meeting_date: date, horizon: date) -> AgendaItem | None:
    key = f"case_item:{item.id}"
    if item.agenda_status == AgendaStatus.CARRIED:
        section = Section.CARRIED
    else:
        section = _CASE_SECTIONS.get(item.kind, Section.BOTTLENECKS)
    details: list[str] = [f"door {item.author}"]
    if item.kind == CaseItemKind.INTAKE:
        summary = f"voorstel {item.proposed_category}" if item.proposed_category else "nieuw"
        if item.tags:
            details.append(", ".join(item.tags))
    elif item.kind == CaseItemKind.TRAJECTORY:
        if section is Section.TRAJECTORIES and (item.start is None or item.start > horizon):
            # Only trajecten that start within the horizon are "komend"; others wait.
            return None
        summary = item.instrument or "traject"
        if item.start:
            summary += f" vanaf {format_short(item.start)}"
        if item.end:
            summary += f" tot {format_short(item.end)}"
    else:
        # A knelpunt, succes or notitie is its text; the label already says what it is.
        summary = item.text or ""
    if item.text and summary != item.text:
        details.append(item.text)
    return AgendaItem(
        key=key,
        section=section,
        kind=item.kind,
        ref=item.client_ref,
        summary=summary,
        details=tuple(details),
        sort_key=(item.start or item.created_on, item.id),
        client_id=item.client_id,
    )


def _vacancy(
    vacancy: VacancyIn,
    meeting_date: date,
    horizon: date,
    pool: CandidatePool,
) -> AgendaItem | None:
    closing_soon = vacancy.closing_date is not None and vacancy.closing_date <= horizon
    if vacancy.seen_before and not closing_soon:
        return None
    if vacancy.closing_date is not None and vacancy.closing_date < meeting_date:
        return None
    parts = [vacancy.employer, vacancy.function]
    details: list[str] = []
    facts = [vacancy.place_kind.replace("_", " ")]
    if vacancy.branche:
        facts.append(vacancy.branche)
    if vacancy.hours_per_week is not None:
        facts.append(f"{vacancy.hours_per_week} uur")
    details.append(", ".join(facts))
    if vacancy.closing_date is not None:
        details.append(f"sluit {format_short(vacancy.closing_date)}")
    return AgendaItem(
        key=f"vacancy:{vacancy.id}",
        section=Section.VACANCIES,
        kind="vacancy",
        ref=f"V{vacancy.id}",
        summary=" – ".join(parts),
        details=tuple(details),
        candidates=pool.suggest(vacancy),
        sort_key=(vacancy.closing_date or date.max, vacancy.id),
    )


def _transition(t: TransitionIn) -> AgendaItem:
    if t.field == HistoryField.STATUS and t.new_value in (ClientStatus.EXITED, ClientStatus.PLACED):
        kind = "exit"
        # The reason is a stored code (``andere_inkomsten``); placed clients stay in view.
        summary = (t.reason or "").replace("_", " ")
        if t.new_value == ClientStatus.PLACED:
            summary = f"{summary} (geplaatst)".strip()
    else:
        kind = "transition"
        summary = f"{t.old_value or '–'} → {t.new_value or '–'}"
    return AgendaItem(
        key=f"transition:{t.client_ref}:{t.field}:{t.on.isoformat()}",
        section=Section.TRANSITIONS,
        kind=kind,
        ref=t.client_ref,
        summary=summary,
        sort_key=(t.on, t.client_ref),
    )


def _deadline(d: DeadlineIn, section: Section, meeting_date: date) -> AgendaItem:
    overdue = d.due_date < meeting_date
    summary = d.title or DEADLINE_KIND_LABELS.get(d.kind, d.kind.replace("_", " "))
    details = [f"{'was ' if overdue else ''}uiterlijk {format_short(d.due_date)}"]
    if d.owner:
        details.append(d.owner)
    return AgendaItem(
        key=f"deadline:{d.id}",
        section=section,
        kind="action_item" if section is Section.ACTION_ITEMS else "deadline",
        ref=d.client_ref,
        summary=summary,
        details=tuple(details),
        overdue=overdue,
        sort_key=(d.due_date, d.id),
        long_running=d.exemption_start is not None
        and is_long_running(d.exemption_start, meeting_date, d.extensions),
    )


def compile_agenda(data: AgendaInput) -> Agenda:
    """The agenda for the meeting on ``data.meeting_date``, sections in order, time-boxed."""
    horizon = data.meeting_date + timedelta(days=HORIZON_DAYS)
    items: list[AgendaItem] = []
    for case_item in data.case_items:
        compiled = _case_item(case_item, data.meeting_date, horizon)
        if compiled is not None:
            items.append(compiled)
    pool = CandidatePool(data.candidates, data.matching)
    for vacancy in data.vacancies:
        compiled = _vacancy(vacancy, data.meeting_date, horizon, pool)
        if compiled is not None:
            items.append(compiled)
    items.extend(_transition(t) for t in data.transitions)
    items.extend(
        _deadline(d, Section.DEADLINES, data.meeting_date)
        for d in data.deadlines
        if d.due_date <= horizon
    )
    items.extend(_deadline(d, Section.ACTION_ITEMS, data.meeting_date) for d in data.action_items)

    sections = {key: AgendaSection(key) for key in Section}
    for item in items:
        sections[item.section].items.append(item)
    for section in sections.values():
        section.items.sort(key=lambda i: i.sort_key)
    ordered = [sections[key] for key in Section]
    apply_time_box(ordered, data.duration_minutes)
    return Agenda(
        team_name=data.team_name,
        meeting_date=data.meeting_date,
        duration_minutes=data.duration_minutes,
        sections=ordered,
        holiday=data.holiday,
    )


# --- the time box ----------------------------------------------------------------------------


def item_priority(item: AgendaItem) -> tuple[int, int, tuple[object, ...]]:
    # Within a section, overdue termijnen come before those still to come.
    return (SECTION_PRIORITY[item.section], 0 if item.overdue else 1, item.sort_key)


def apply_time_box(sections: Sequence[AgendaSection], duration: int) -> None:
    """Mark items "ter info" until the rest fits, then spread ``duration`` over the sections.

    Items are admitted in priority order while their weights fit in ``duration``; the first one
    that does not fit and everything of lower priority become "ter info". The minutes are then
    handed out in proportion to the admitted weight per section with the largest-remainder
    method, so they add up to exactly ``duration`` whenever anything is discussed. Because the
    admitted weight never exceeds the duration, every section with a discussed item gets at
    least the minutes its items need.
    """
    if duration < 0:
        raise ValueError("duration must not be negative")
    ordered = sorted((i for s in sections for i in s.items), key=item_priority)
    used = 0
    full = False
    for item in ordered:
        if not full and used + item.weight <= duration:
            item.ter_info = False
            used += item.weight
        else:
            full = True
            item.ter_info = True
    for section in sections:
        section.minutes = 0
    if used == 0:
        return
    weights = [sum(i.weight for i in s.discussed) for s in sections]
    shares = [w * duration for w in weights]
    minutes = [share // used for share in shares]
    remainders = sorted(
        range(len(sections)),
        key=lambda n: (-(shares[n] % used), SECTION_PRIORITY[sections[n].section]),
    )
    left = duration - sum(minutes)
    for n in remainders[:left]:
        minutes[n] += 1
    for section, value in zip(sections, minutes, strict=True):
        section.minutes = value
