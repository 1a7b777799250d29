"""Deadline rules: the catalogue, due dates, reminder stages, postponements and digests.

Pure functions and frozen dataclasses; "today" is always passed in. Storage and jobs call these,
so the reminder engine's decisions can be tested exhaustively without a database.

Vocabulary:

- A **deadline** has a kind (a catalogue key), a due date and an owner.
- A **stage** is one moment a deadline is brought to someone's attention: ``pre``
  (vooraankondiging, default 30 days before), ``due`` (on the day) and ``escalation`` (default
  14 days overdue, to the teamleider). Every stage date that falls on a weekend or a Dutch public
  holiday moves to the previous working day.
- A postponement starts a new **round**: the stage keys of round ``n`` > 0 are ``due:n`` and
  ``escalation:n`` (no new vooraankondiging), so the ledger's unique (deadline, stage) key still
  holds. After ``max_postponements`` a further request is refused and escalates at once
  (stage ``escalation:max``).
- A **digest** is the one message per person per working day: new vooraankondigingen and items
  due soon, due today, overdue (every open overdue deadline, every day, until resolved) and, for
  a teamleider, the team's escalations and reminders that could not be delivered.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from bot.core.roles import Role
from bot.core.vocabulary import (
    ContactKind,
    ContactOutcome,
    DeadlineKind,
    DeadlineSource,
    ExemptionOutcome,
    ExemptionReason,
    ExemptionScope,
    ExemptionStatus,
    Stage,
)
from bot.core.workdays import add_working_days, is_working_day, on_or_before_working_day

#: Stage key for an escalation forced by a refused postponement.
FORCED_ESCALATION = "escalation:max"


#: Only these reset the yearly participation clock (004:L304); a phone call does not.
QUALIFYING_CONTACTS = frozenset({ContactKind.FACE_TO_FACE, ContactKind.HOME_VISIT})


class PostponeChoice(StrEnum):
    """The two postponement lengths offered."""

    WEEK = "week"
    MONTH = "maand"


# --- the catalogue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KindRule:
    """How one kind of deadline behaves.

    ``interval_months``: a recurring kind's next due date after Gedaan (``None``: one-off).
    ``max_months``: for stages (taalstage, werkstage), the longest total duration; Gedaan with an
    extension is only offered while the next step stays within it.
    ``pre_days``: days before the due date for the vooraankondiging (``None``: the default).
    """

    kind: DeadlineKind
    owner_role: Role
    interval_months: int | None = None
    max_months: int | None = None
    pre_days: int | None = None


#: Roles that record and handle deadlines.
DEADLINE_ROLES = frozenset({Role.CONSULENT, Role.LOOPBAANBEGELEIDER, Role.TEAMLEIDER, Role.ADMIN})
#: Roles that may own any kind of deadline (they can take over anyone's work).
OWN_ANY_KIND = frozenset({Role.TEAMLEIDER, Role.ADMIN})


def may_own(rule: KindRule, roles: Iterable[Role]) -> bool:
    """Whether someone with ``roles`` may own a deadline of ``rule``'s kind: the kind's owner
    role, or a teamleider/admin; an actiepunt (or a kind the catalogue does not know, which
    behaves like one) anyone who handles deadlines. So an ontheffing review never lands with the
    netwerker, and a loopbaanbegeleider's task never with a beleidsmedewerker."""
    held = frozenset(roles)
    if held & OWN_ANY_KIND:
        return True
    if rule.kind == DeadlineKind.ACTION_ITEM:
        return bool(held & DEADLINE_ROLES)
    return rule.owner_role in held


DEFAULT_CATALOGUE: Mapping[DeadlineKind, KindRule] = {
    rule.kind: rule
    for rule in (
        KindRule(DeadlineKind.EXEMPTION_REVIEW, Role.CONSULENT, interval_months=12),
        KindRule(DeadlineKind.PARTICIPATION_CONTACT, Role.CONSULENT, interval_months=12),
        # N per client (1-3 years): the deadline carries its own interval.
        KindRule(DeadlineKind.WAGE_VALUE_ASSESSMENT, Role.LOOPBAANBEGELEIDER, interval_months=12),
        KindRule(
            DeadlineKind.LANGUAGE_INTERNSHIP,
            Role.CONSULENT,
            interval_months=3,
            max_months=9,
            pre_days=14,
        ),
        KindRule(
            DeadlineKind.WORK_INTERNSHIP,
            Role.CONSULENT,
            interval_months=3,
            max_months=6,
            pre_days=14,
        ),
        KindRule(DeadlineKind.DEVELOPMENT_ROUTE, Role.CONSULENT, max_months=24, pre_days=90),
        KindRule(DeadlineKind.STATUS_HOLDER_REVIEW, Role.CONSULENT, pre_days=14),
        KindRule(DeadlineKind.LB_APPOINTMENT, Role.LOOPBAANBEGELEIDER, pre_days=0),
        KindRule(DeadlineKind.ACTION_ITEM, Role.CONSULENT, pre_days=3),
        KindRule(DeadlineKind.TRAJECTORY_END, Role.CONSULENT, pre_days=14),
        KindRule(DeadlineKind.EXEMPTION_CONTACT, Role.CONSULENT, interval_months=12),
        # A traject reaches its instrument's maximum (003:L419, 003:L423, 004:L81).
        KindRule(DeadlineKind.TRAJECTORY_LIMIT, Role.CONSULENT, pre_days=30),
    )
}

#: Months after the start that an exemption is reviewed, per reason (CHILD_UNDER_5 asks a date).
DEFAULT_REVIEW_MONTHS: Mapping[ExemptionReason, int] = {
    ExemptionReason.CHILDCARE: 12,
    ExemptionReason.INFORMAL_CARE: 12,
    ExemptionReason.MEDICAL: 12,
    ExemptionReason.SCHOOLING: 12,
    ExemptionReason.OTHER: 12,
}


#: How long before an ontheffing's end its default review falls when the end comes before the
#: regular review: time to decide on an extension before it lapses (see exemption_review_due).
REVIEW_BEFORE_END = timedelta(days=14)


@dataclass(frozen=True)
class StagePolicy:
    """Stage offsets: ``pre_days`` before the due date, ``escalation_days`` after it."""

    pre_days: int = 30
    escalation_days: int = 14

    def __post_init__(self) -> None:
        if self.pre_days < 0 or self.escalation_days < 1:
            raise ValueError("pre_days must be >= 0 and escalation_days >= 1")


# --- calendar helpers -------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


@lru_cache(maxsize=8192)
def working_due(day: date) -> date:
    """A due date on a weekend or Dutch public holiday moves to the previous working day."""
    return on_or_before_working_day(day)


@lru_cache(maxsize=8192)
def _is_working_day(day: date) -> bool:
    # The sweep asks this for thousands of deadlines a day; the answer never changes.
    return is_working_day(day)


# --- due rules --------------------------------------------------------------------------------


class RuleError(ValueError):
    """A rule was given impossible input (e.g. an end date before the start)."""


def exemption_review_due(
    start: date,
    reason: ExemptionReason,
    *,
    review_months: Mapping[ExemptionReason, int] = DEFAULT_REVIEW_MONTHS,
    youngest_turns_five: date | None = None,
    end: date | None = None,
) -> date:
    """The default review date of an exemption that starts, or was last reviewed, on ``start``.

    The one rule for a first review and every next one: each keeps the reason's own rhythm from
    ``[deadlines.review_months]`` (001:L307 "periodiek"), never a fixed 12 months.
    For an art. 9a ontheffing (a child under 5) the review is the day the youngest child turns 5
    (the only thing we ask about the child); otherwise start + the reason's months, but never
    after ``end``.

    An ontheffing is "in beginsel tijdelijk" and "periodiek beoordeeld" (seeds 001:L307,
    requirement E3): when it ends before its regular review, the review is the last chance to
    decide whether it lapses or is extended, so it falls :data:`REVIEW_BEFORE_END` before the end
    (or on the end itself when the ontheffing is shorter than that). A review after the end would
    come when nobody can act on it any more.
    """
    if reason is ExemptionReason.CHILD_UNDER_5:
        if youngest_turns_five is None:
            raise RuleError("the date the youngest child turns 5 is needed")
        if youngest_turns_five <= start:
            raise RuleError("the youngest child must turn 5 after the start date")
        return working_due(youngest_turns_five)
    regular = add_months(start, review_months.get(reason, 12))
    if end is None or end <= start:
        return working_due(regular)
    before_end = end - REVIEW_BEFORE_END
    if before_end <= start:
        before_end = end
    # working_due only ever moves a date earlier, so the result stays on or before the end; it
    # may not land on or before the start, though, so a tiny ontheffing keeps its end date.
    due = working_due(min(regular, before_end))
    return due if due > start else min(regular, before_end)


def participation_contact_due(
    entered_on: date,
    contacts: Iterable[tuple[date, ContactKind]],
    *,
    interval_months: int = 12,
    first_within_months: int = 12,
) -> date:
    """When the next face-to-face contact (or huisbezoek) is due.

    The first within ``first_within_months`` of entering; then ``interval_months`` after the last
    qualifying contact. A phone call does not reset the clock.
    """
    qualifying = [day for day, kind in contacts if kind in QUALIFYING_CONTACTS]
    if not qualifying:
        return working_due(add_months(entered_on, first_within_months))
    return working_due(add_months(max(qualifying), interval_months))


def wage_value_assessment_due(last_assessment: date, every_years: int) -> date:
    """The next loonwaardemeting: every ``every_years`` years (1-3, per client)."""
    if not 1 <= every_years <= 3:
        raise RuleError("a loonwaardemeting is repeated every 1 to 3 years")
    return working_due(add_months(last_assessment, 12 * every_years))


def internship_review_due(
    start: date, step_months: int, max_months: int, steps: int
) -> date | None:
    """The review of a taalstage/werkstage after ``steps`` periods of ``step_months``.

    ``None`` when that review would lie past the maximum duration: the stage must end then.
    """
    if steps < 1:
        raise RuleError("steps starts at 1")
    months = step_months * steps
    if months > max_months:
        return None
    return working_due(add_months(start, months))


def next_recurring_due(
    done_on: date, rule: KindRule, interval_months: int | None = None
) -> date | None:
    """After Gedaan on ``done_on``: the next due date of a recurring kind, or ``None`` (one-off)."""
    months = interval_months if interval_months is not None else rule.interval_months
    if months is None:
        return None
    return working_due(add_months(done_on, months))


def development_route_due(start: date, months: int = 24) -> date:
    """The end of an ontwikkelroute: at most 24 months (004:L81)."""
    return working_due(add_months(start, months))


def status_holder_review_due(entered_on: date, months: int = 6) -> date:
    """The statushouder category check (from care to participation), about 6 months after
    entering (001:L156)."""
    return working_due(add_months(entered_on, months))


def lb_appointment_due(decided_on: date, working_days: int = 10) -> date:
    """The loopbaanbegeleider appointment, ``working_days`` after the weekdate decision."""
    return add_working_days(decided_on, working_days)


def trajectory_end_due(start: date, end: date) -> date:
    """A traject's end date is its deadline."""
    if end < start:
        raise RuleError("the end date lies before the start date")
    return working_due(end)


# --- stages -----------------------------------------------------------------------------------


def stage_key(stage: Stage, round_: int = 0) -> str:
    """The ledger key of ``stage`` in postponement round ``round_`` (``due``, ``due:1``, …)."""
    return str(stage) if round_ == 0 else f"{stage}:{round_}"


def parse_stage_key(key: str) -> tuple[Stage, int | None]:
    """``(stage, round)`` for a ledger key; round ``None`` for the forced escalation."""
    if key == FORCED_ESCALATION:
        return Stage.ESCALATION, None
    name, _, round_ = key.partition(":")
    return Stage(name), int(round_) if round_ else 0


@dataclass(frozen=True)
class StageDate:
    """One stage of one deadline: its ledger key, kind of stage and working-day date."""

    key: str
    stage: Stage
    on: date


def stage_dates(
    due: date,
    created_on: date,
    round_: int,
    policy: StagePolicy,
    pre_days: int | None = None,
) -> list[StageDate]:
    """The stages of a deadline in its current round, each moved to a working day.

    The vooraankondiging only exists in round 0 and only when it falls after the day the deadline
    was created (otherwise its creator has just seen it); ``pre_days == 0`` switches it off.
    """
    effective_due = working_due(due)
    stages: list[StageDate] = []
    days_before = policy.pre_days if pre_days is None else pre_days
    if round_ == 0 and days_before > 0:
        pre_on = working_due(due - timedelta(days=days_before))
        if pre_on > created_on and pre_on < effective_due:
            stages.append(StageDate(stage_key(Stage.PRE), Stage.PRE, pre_on))
    stages.append(StageDate(stage_key(Stage.DUE, round_), Stage.DUE, effective_due))
    escalation_on = working_due(due + timedelta(days=policy.escalation_days))
    # A holiday run right after the due date could pull escalation onto the due day itself.
    if escalation_on <= effective_due:
        escalation_on = add_working_days(effective_due, 1)
    stages.append(StageDate(stage_key(Stage.ESCALATION, round_), Stage.ESCALATION, escalation_on))
    return stages


def stages_due_on(
    today: date,
    due: date,
    created_on: date,
    round_: int,
    policy: StagePolicy,
    already: Iterable[str] = (),
    pre_days: int | None = None,
) -> list[StageDate]:
    """Stages whose date is today or earlier and that are not in the ledger yet.

    A stage missed while the bot was down is still notified (late), on the next working day; on
    a non-working day nothing is due.
    """
    if not _is_working_day(today):
        return []
    done = set(already)
    return [
        s
        for s in stage_dates(due, created_on, round_, policy, pre_days)
        if s.on <= today and s.key not in done
    ]


def is_escalated(today: date, due: date, policy: StagePolicy) -> bool:
    """Whether an open deadline is past its escalation date (shown to the teamleider)."""
    escalation_on = stage_dates(due, due, 1, policy)[-1].on
    return today >= escalation_on


# --- postponement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Postponed:
    """A granted postponement: the new due date and the new round."""

    new_due: date
    round_: int


@dataclass(frozen=True)
class PostponeRefused:
    """Postponed too often already: the deadline escalates to the teamleider now."""

    postponements: int


def postpone(
    today: date,
    due: date,
    postponements: int,
    choice: PostponeChoice,
    max_postponements: int = 2,
) -> Postponed | PostponeRefused:
    """Postpone by a week or a month from the later of today and the due date.

    The new date moves to the previous working day if needed, but never onto or before today.
    """
    if postponements >= max_postponements:
        return PostponeRefused(postponements)
    base = max(today, due)
    target = base + timedelta(days=7) if choice is PostponeChoice.WEEK else add_months(base, 1)
    new_due = working_due(target)
    if new_due <= today:
        new_due = add_working_days(today, 1)
    return Postponed(new_due, postponements + 1)


# --- digests ----------------------------------------------------------------------------------


class Section(StrEnum):
    """Digest sections, in display order."""

    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    ESCALATED = "escalated"


@dataclass(frozen=True)
class DigestItem:
    """One open deadline as a digest sees it (no client details beyond the reference)."""

    deadline_id: int
    kind: str
    due: date
    client_ref: str | None = None
    title: str | None = None
    owner_name: str | None = None
    #: Ledger keys notified for the first time in this digest.
    new_stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Undelivered:
    """A digest that could not be delivered (failed) or may not have arrived (unknown)."""

    staff_name: str
    on: date
    status: str


@dataclass(frozen=True)
class KindGroup:
    """Items of one kind within a section."""

    kind: str
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class DigestView:
    """What one person's digest on one day shows, grouped by section and then by kind."""

    on: date
    sections: tuple[tuple[Section, tuple[KindGroup, ...]], ...]
    undelivered: tuple[Undelivered, ...] = ()

    @property
    def deadline_ids(self) -> list[int]:
        """Every deadline in the digest, in display order, each once."""
        seen: list[int] = []
        for _section, groups in self.sections:
            for group in groups:
                seen.extend(i.deadline_id for i in group.items if i.deadline_id not in seen)
        return seen

    @property
    def is_empty(self) -> bool:
        """Nothing to tell: no digest is sent."""
        return not self.sections and not self.undelivered

    def section(self, name: Section) -> list[DigestItem]:
        """All items of one section (flattened)."""
        for section, groups in self.sections:
            if section is name:
                return [item for group in groups for item in group.items]
        return []


def classify(item: DigestItem, today: date, soon_days: int) -> Section | None:
    """The owner's section for ``item`` on ``today``, or ``None`` when it is not shown yet."""
    if item.due < today:
        return Section.OVERDUE
    if item.due == today:
        return Section.TODAY
    announced = any(parse_stage_key(k)[0] is Stage.PRE for k in item.new_stages)
    if announced or (item.due - today).days <= soon_days:
        return Section.SOON
    return None


def _group(items: Iterable[DigestItem]) -> tuple[KindGroup, ...]:
    by_kind: dict[str, list[DigestItem]] = {}
    for item in sorted(items, key=lambda i: (i.due, i.kind, i.client_ref or "", i.deadline_id)):
        by_kind.setdefault(item.kind, []).append(item)
    # Groups in order of their earliest item, so the most urgent kind comes first.
    return tuple(KindGroup(kind, tuple(group)) for kind, group in by_kind.items())


def compose_digest(
    today: date,
    own: Sequence[DigestItem],
    *,
    soon_days: int = 7,
    escalated: Sequence[DigestItem] = (),
    undelivered: Sequence[Undelivered] = (),
) -> DigestView:
    """One person's digest: their own open deadlines by section, plus (teamleider) escalations.

    Every overdue item of the person is in it, every day, until resolved. An item with a stage
    notified today always appears (an escalation in the escalation section).
    """
    sections: dict[Section, list[DigestItem]] = {s: [] for s in Section}
    for item in own:
        section = classify(item, today, soon_days)
        if section is not None:
            sections[section].append(item)
    own_ids = {item.deadline_id for item in own}
    sections[Section.ESCALATED].extend(i for i in escalated if i.deadline_id not in own_ids)
    return DigestView(
        on=today,
        sections=tuple((s, _group(items)) for s, items in sections.items() if items),
        undelivered=tuple(sorted(undelivered, key=lambda u: (u.on, u.staff_name))),
    )


@dataclass(frozen=True)
class TermijnenView:
    """``/termijnen``: open deadlines, overdue first, then by due date."""

    overdue: tuple[DigestItem, ...] = field(default_factory=tuple)
    upcoming: tuple[DigestItem, ...] = field(default_factory=tuple)


def termijnen_view(today: date, items: Iterable[DigestItem]) -> TermijnenView:
    """Split open deadlines into overdue and upcoming, each sorted by due date."""
    ordered = sorted(items, key=lambda i: (i.due, i.kind, i.client_ref or "", i.deadline_id))
    return TermijnenView(
        overdue=tuple(i for i in ordered if i.due < today),
        upcoming=tuple(i for i in ordered if i.due >= today),
    )


# --- who gets what ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A staff member as the engine needs them."""

    staff_id: int
    team_id: int
    name: str
    telegram_user_id: int
    active: bool
    is_teamleider: bool


@dataclass(frozen=True)
class Directory:
    """Staff by id and each team's lead teamleider (the lowest id), loaded once per step."""

    people: dict[int, Person]
    team_lead: dict[int, int]

    def recipient(self, team_id: int, owner_staff_id: int | None, stage: Stage) -> int | None:
        """Who is told: the active owner; the teamleider for escalations and orphaned deadlines."""
        if stage is not Stage.ESCALATION and owner_staff_id is not None:
            owner = self.people.get(owner_staff_id)
            if owner is not None and owner.active:
                return owner.staff_id
        return self.team_lead.get(team_id)

    def owner_of(self, team_id: int, owner_staff_id: int | None) -> int | None:
        """Whose list an open deadline is on (its owner, or the teamleider when orphaned)."""
        return self.recipient(team_id, owner_staff_id, Stage.DUE)


def is_current_escalation(key: str, postponements: int) -> bool:
    """Whether ledger key ``key`` escalates the deadline as it stands (not an earlier round)."""
    return key == FORCED_ESCALATION or key == stage_key(Stage.ESCALATION, postponements)


@dataclass(frozen=True)
class StageWindow:
    """What the planning query needs to cut open deadlines to those that may have a stage due:
    vooraankondiging days per known kind, the default for other kinds, and the escalation days."""

    pre_days: Mapping[str, int]
    default_pre: int
    escalation_days: int


class FollowUp(StrEnum):
    """Which short form Gedaan opens for a deadline."""

    #: An ontheffing's review: the review form (verlengd, gewijzigd, beëindigd).
    REVIEW = "review"
    #: A participation contact: the contact form, which also sets the next one.
    CONTACT = "contact"
    #: Anything else: Gedaan with an optional note.
    DONE = "done"
    #: A traject's end: the outcome (afgerond, gestopt, verlengd within the limits).
    TRAJECTORY = "trajectory"


def follow_up_for(kind: str, source_type: str | None, client_ref: str | None) -> FollowUp:
    """The form Gedaan opens: a review of the ontheffing behind it, a contact with the client
    (which computes the next one), or the plain Gedaan form."""
    if kind == DeadlineKind.EXEMPTION_REVIEW and source_type == DeadlineSource.EXEMPTION:
        return FollowUp.REVIEW
    if kind == DeadlineKind.PARTICIPATION_CONTACT and client_ref:
        return FollowUp.CONTACT
    if kind == DeadlineKind.TRAJECTORY_END and source_type == DeadlineSource.CASE_ITEM:
        return FollowUp.TRAJECTORY
    return FollowUp.DONE


# --- ontheffingen and participation as the law and the plans say (issue 11) -------------------

#: The tag codes these rules look at (slugs of the default ``[caselog] tags``).
STATUS_HOLDER_TAG = "statushouder"
SINGLE_PARENT_TAG = "alleenstaande_ouder"

#: Art. 9a Participatiewet: in force at most six years in total, earlier municipalities included.
ART_9A_MAX_MONTHS = 72
#: Art. 9a: until the youngest child turns five.
ART_9A_CHILD_MONTHS = 60
#: The plan van aanpak of a 9a parent is due within six months of the request.
ART_9A_PLAN_MONTHS = 6
#: An ontheffing extended this often, or running longer than this, is "langlopend" (001:L309).
LONG_RUNNING_EXTENSIONS = 3
LONG_RUNNING_MONTHS = 24


def status_holder_check_due(entered_on: date, today: date, months: int = 6) -> date:
    """The statushouder check (from care to participation, 001:L156): ``months`` after entering,
    and never before ``today`` (a client tagged later is checked from now on, not overdue at
    once)."""
    return max(working_due(add_months(entered_on, months)), today)


def participation_entry(
    entered_on: date,
    category_changes: Iterable[tuple[date, str | None, str | None]],
    categories: frozenset[str] | set[str],
) -> date:
    """The day the client last entered the participation categories (004:L287).

    ``category_changes`` are (day, old, new). The latest change from a category outside
    ``categories`` into one of them counts; a move between two participation categories does
    not restart the clock. Changes before ``entered_on`` (an earlier spell) are ignored; without
    any, the start of the spell.
    """
    entry = entered_on
    for day, old, new in sorted(category_changes, key=lambda c: c[0]):
        if day >= entered_on and new in categories and old not in categories:
            entry = day
    return entry


def participation_applies(
    category: str | None,
    active: bool,
    categories: frozenset[str] | set[str],
    *,
    full_exemption: bool,
    contacts_with_full_exemption: bool,
) -> bool:
    """Whether a client gets participation contacts: active, in a participation category, and
    (where the team's setting says so, 004:L302) without a full ontheffing."""
    if not active or (category or "") not in categories:
        return False
    return contacts_with_full_exemption or not full_exemption


def participation_due(
    *,
    category: str | None,
    active: bool,
    entered_on: date,
    category_changes: Iterable[tuple[date, str | None, str | None]],
    contacts: Iterable[tuple[date, ContactKind]],
    full_exemption: bool,
    categories: frozenset[str] | set[str],
    contacts_with_full_exemption: bool,
    first_within_months: int,
    interval_months: int,
) -> date | None:
    """The due date of a client's participation contact, or ``None`` when none applies.

    The one composition of :func:`participation_applies`, :func:`participation_entry` and
    :func:`participation_contact_due`, shared by the per-client service and the bulk caseload
    import so both always decide the same.
    """
    if not participation_applies(
        category,
        active,
        categories,
        full_exemption=full_exemption,
        contacts_with_full_exemption=contacts_with_full_exemption,
    ):
        return None
    entry = participation_entry(entered_on, category_changes, categories)
    return participation_contact_due(
        entry,
        contacts,
        interval_months=interval_months,
        first_within_months=first_within_months,
    )


def review_outcomes(reason: ExemptionReason) -> tuple[ExemptionOutcome, ...]:
    """What a review may decide. An art. 9a ontheffing is never extended or changed: it ends by
    law (art. 9a Participatiewet); anything after it needs another ground and a new decision."""
    if reason is ExemptionReason.CHILD_UNDER_5:
        return (ExemptionOutcome.ENDED,)
    return tuple(ExemptionOutcome)


def is_long_running(start: date, today: date, extensions: int) -> bool:
    """An ontheffing extended three times or more, or running longer than two years (001:L309:
    the stock is believed too large)."""
    return extensions >= LONG_RUNNING_EXTENSIONS or today > add_months(start, LONG_RUNNING_MONTHS)


def art9a_end(request_date: date, youngest_born: date, months_used_before: int = 0) -> date:
    """The day an art. 9a ontheffing ends by law: the youngest child's fifth birthday, or earlier
    when six years in total (minus the months used in an earlier municipality) run out.

    A child born on 29 February turns five on 28 February (the month's end, as ``add_months``).
    ``RuleError`` codes: ``child_not_born`` (a birth date after the request),
    ``child_five`` (already five), ``cap_used`` (no months of the six years left).
    """
    if youngest_born > request_date:
        raise RuleError("child_not_born")
    if not months_used_before >= 0:
        raise RuleError("months_negative")
    fifth = add_months(youngest_born, ART_9A_CHILD_MONTHS)
    if fifth <= request_date:
        raise RuleError("child_five")
    left = ART_9A_MAX_MONTHS - months_used_before
    if left <= 0:
        raise RuleError("cap_used")
    return min(fifth, add_months(request_date, left))


def art9a_followup_due(end: date) -> date:
    """The actiepunt "afspraken over arbeidsplicht maken": a month before the 9a ends."""
    return working_due(add_months(end, -1))


def art9a_plan_due(request_date: date) -> date:
    """The plan van aanpak of a 9a parent: within six months of the request."""
    return working_due(add_months(request_date, ART_9A_PLAN_MONTHS))


def has_ended_by_law(end: date | None, today: date) -> bool:
    """Whether an ontheffing with a legal end ``end`` no longer applies on ``today``."""
    return end is not None and today >= end


# --- what a participation contact's outcome leads to (issue 11 item 6) ------------------------


class ContactFollowUp(StrEnum):
    """What the bot does after a participation contact, by its outcome."""

    #: Doorstroom naar re-integratie: "eerst het diagnose-instrument" (004:L296), so the client
    #: goes on the next weekdate agenda and the owner gets the task "diagnose plannen" (004:L305).
    REINTEGRATION = "reintegration"
    #: Vrijwilliger, mantelzorger, andere maatschappelijke activiteit: "Bij de eerste drie opties
    #: volgt een doorverwijzing naar één van de welzijnsorganisaties" (004:L298); offered, since
    #: the client may already be known there.
    REFERRAL = "referral"
    #: Tijdelijk niet mogelijk (004:L295): nothing until the next contact.
    NONE = "none"


_CONTACT_FOLLOW_UPS = {
    ContactOutcome.TO_REINTEGRATION: ContactFollowUp.REINTEGRATION,
    ContactOutcome.VOLUNTEERING: ContactFollowUp.REFERRAL,
    ContactOutcome.INFORMAL_CARE: ContactFollowUp.REFERRAL,
    ContactOutcome.SOCIAL_ACTIVITY: ContactFollowUp.REFERRAL,
}

#: Working days the owner has to plan the diagnose after a doorstroom (a short, plain task).
DIAGNOSIS_PLAN_WORKING_DAYS = 10
#: Working days for the actiepunt "doorverwijzen naar <welzijnspartner>".
REFERRAL_WORKING_DAYS = 10


def contact_follow_up(outcome: ContactOutcome | str) -> ContactFollowUp:
    """What a contact with ``outcome`` leads to (004:L289-L298, L305)."""
    return _CONTACT_FOLLOW_UPS.get(ContactOutcome(outcome), ContactFollowUp.NONE)


def medical_full_exemption_active(
    exemptions: Iterable[tuple[str, str, str, date, date | None]], today: date
) -> bool:
    """Whether one of (reason, scope, status, start, end) is a medical, full ontheffing in force
    on ``today``: the UWV verzekeringsarts found the client unable to work (003:L363)."""
    return any(
        reason == ExemptionReason.MEDICAL
        and scope == ExemptionScope.FULL
        and status == ExemptionStatus.ACTIVE
        and start <= today
        and (end is None or today <= end)
        for reason, scope, status, start, end in exemptions
    )


# --- who owns a duty (issue 13: role variants per profile) --------------------------------------


@dataclass(frozen=True)
class DutyOwner:
    """Who owns a recurring duty in one team: the profile's role (``inkomensconsulent``, 004:L338;
    ``consulent_werk``, 003:L367), the product role it is a variant of, and the Telegram ids the
    team's config names as holding that variant (``[[teams]] role_holders``)."""

    role: str
    base: Role
    holders: tuple[int, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A team member as the owner choice sees them."""

    staff_id: int
    telegram_user_id: int
    roles: frozenset[Role]


def choose_owner(
    duty: DutyOwner | None, preferred: Sequence[int | None], members: Sequence[Candidate]
) -> int | None:
    """The staff id that owns a duty's deadline.

    ``preferred``: the people the deadline would go to without a profile (the client's owner,
    the one who recorded it), in order. With a profile the duty goes to whoever holds its role:
    the named holders of the variant when the team names any (a werkconsulent is no consulent
    Inkomen, though both are consulenten), else the members holding its product role; among
    those a preferred person first, else the first of them. Nobody holding it: the first
    preferred person, as before.
    """
    fallback = next((p for p in preferred if p is not None), None)
    if duty is None:
        return fallback
    by_telegram = {m.telegram_user_id: m for m in members}
    holders = [by_telegram[t].staff_id for t in duty.holders if t in by_telegram]
    if not holders:
        holders = [m.staff_id for m in members if duty.base in m.roles]
    for person in preferred:
        if person is not None and person in holders:
            return person
    return holders[0] if holders else fallback
