"""Every figure as a pure function of plain rows (issue 12 item 5).

Definitions: ``../shared/reference/seeds_requirements.md`` §4.0; the figures: §4.1 (Dalfsen,
the default scheme) and, where they are not the same figure again, §4.2-4.4. A figure is a
:class:`Figure`: a small table of codes and numbers that chat, XLSX, CSV and PDF all render, so
the numbers are the same everywhere. A figure whose events are not stored says why in
``missing`` (a reason code; ``figures/label.j2`` has the sentence) and carries no number.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from bot.core.vocabulary import (
    ContactKind,
    DeadlineKind,
    DeadlineStatus,
    TrajectoryStatus,
    VacancyStatus,
)
from bot.deadlines.rules import add_months
from bot.figures.rules.periods import Period, months_between
from bot.figures.rules.rows import (
    Caseload,
    CategorySpell,
    ClientEpisode,
    ExemptionRow,
    category_spells,
    spell_on,
)

#: A table cell: a count, a share (0..1, shown as a percentage), a code or label key, or empty.
Cell = int | float | str | None

#: The reason codes of "niet te berekenen" (sentences in ``figures/label.j2``, kind ``missing``).
NO_EXIT_REASON = "no_exit_reason"
NO_DOSSIER = "no_dossier"
NO_TAG_HISTORY = "no_tag_history"
NO_PLACEMENTS = "no_placements"
NO_PLAN = "no_plan"
NO_AGE_BAND = "no_age_band"
NO_PART_TIME = "no_part_time"
NO_TRAJECT_OUTCOME = "no_traject_outcome"
NO_WORKSHOP = "no_workshop"
EMPTY_COHORT = "empty_cohort"
NO_MEETING_RECORD = "no_meeting_record"
NO_GROUP_RHYTHM = "no_group_rhythm"
NO_DIRECT_WORK = "no_direct_work"
NO_CAPPED_ROUTE = "no_capped_route"

#: Entitlement codes (``bot.caselog.catalog.ENTITLEMENTS``).
ENTITLED = "ja"
NUG = "nug"
WORK_REASON = "werk"
EDUCATION_REASON = "onderwijs"
#: S9: the follow-up after entering a direct-work category ("binnen 6 maanden", 002:L500-501).
DIRECT_WORK_DAYS = 183
#: V10: the time the weekdate may take, after a route's maximum, to decide the handover.
HANDOVER_GRACE_DAYS = 31
#: Traject outcomes (``TrajectoryStatus``).
TRAJECT_DONE = TrajectoryStatus.COMPLETED.value
TRAJECT_STOPPED = TrajectoryStatus.STOPPED.value
STATUS_HOLDER_TAG = "statushouder"
#: D14: the doelgroep tag of an indicatie beschut werk, and the placement kind garantiebaan.
SHELTERED_TAG = "beschut_werk"
GUARANTEE_JOB = "garantiebaan"
FACE_TO_FACE = frozenset({ContactKind.FACE_TO_FACE, ContactKind.HOME_VISIT})

#: §4.1 D5 bands (years on benefit) and D12 bands (months before the exit).
BENEFIT_BANDS = ((0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, None))
EXIT_BANDS_MONTHS = ((0, 3), (3, 6), (6, 9), (9, 12), (12, 18), (18, 24), (24, None))


@dataclass(frozen=True)
class Figure:
    """One figure: a code (``D4``), a title key, its cite, a table and, if any, its target."""

    code: str
    key: str
    cite: str
    #: Column label keys; the first column holds row labels (codes or label keys).
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    #: Why the figure cannot be computed (a reason code); then ``rows`` is empty.
    missing: str | None = None
    #: The target as printed next to the figure (``≥ 30 %``), and whether it is met.
    target: str | None = None
    met: bool | None = None
    #: Label keys of remarks (``provisional``: the follow-up window has not closed yet).
    notes: tuple[str, ...] = ()
    #: The kind of label the row label codes are (``category``, ``reason``, ``tag``, …).
    row_kind: str = "key"
    #: The municipality's own name for the figure (its profile's list); else the title of ``key``.
    title: str | None = None


@dataclass(frozen=True)
class CappedRoute:
    """An instrument with a maximum length whose hard stop hands the client over (004:L81)."""

    instrument: str
    max_months: int
    #: The category the client moves to at the maximum.
    handover_to: str
    #: Categories the handover does not apply to (004's own route for a wettelijke taak).
    exempt: frozenset[str] = frozenset()


def not_computable(code: str, key: str, cite: str, why: str) -> Figure:
    """A figure that says "niet te berekenen: <why>"."""
    return Figure(code, key, cite, missing=why)


@dataclass
class Context:
    """Shared, precomputed views of one :class:`Caseload` for one period."""

    load: Caseload
    period: Period
    #: The peildatum of stock figures (the period's end, or today if earlier).
    day: date
    today: date
    participation: frozenset[str]
    first_contact_months: int = 12
    #: Ontheffing scopes that count in the ontheffing share (the profile's); ``None``: all.
    share_scopes: frozenset[str] | None = None
    #: S9: the profile's categories of clients ready for work now, and its placed categories.
    direct_work: frozenset[str] = frozenset()
    placed: frozenset[str] = frozenset()
    #: V10: the profile's instruments with a maximum and a handover at it.
    capped_routes: tuple[CappedRoute, ...] = ()
    spells: dict[int, list[CategorySpell]] = field(default_factory=dict)
    #: Episodes by client, in order.
    by_client: dict[int, list[ClientEpisode]] = field(default_factory=dict)
    #: Face-to-face contact days by client, sorted.
    contacts: dict[int, list[date]] = field(default_factory=dict)
    _stock: dict[tuple[date, bool], list[ClientEpisode]] = field(default_factory=dict)
    #: Per client, the runs of days in a participation category: (first day, day after) pairs.
    _runs: dict[int, list[tuple[date, date | None]]] = field(default_factory=dict)
    _owners: dict[int, list[tuple[date, int | None, int | None]]] | None = None

    @classmethod
    def of(
        cls,
        load: Caseload,
        period: Period,
        today: date,
        participation: Iterable[str],
        first_contact_months: int = 12,
        share_scopes: Iterable[str] | None = None,
        *,
        direct_work: Iterable[str] = (),
        placed: Iterable[str] = (),
        capped_routes: Iterable[CappedRoute] = (),
    ) -> Context:
        """Precompute spells, episodes per client and contact days once for all figures."""
        by_client: dict[int, list[ClientEpisode]] = defaultdict(list)
        for episode in sorted(load.episodes, key=lambda e: (e.client_id, e.first_conversation)):
            by_client[episode.client_id].append(episode)
        contacts: dict[int, list[date]] = defaultdict(list)
        for contact in load.contacts:
            if contact.kind in FACE_TO_FACE:
                contacts[contact.client_id].append(contact.on)
        for days in contacts.values():
            days.sort()
        return cls(
            load=load,
            period=period,
            day=period.peildatum(today),
            today=today,
            participation=frozenset(participation),
            first_contact_months=first_contact_months,
            share_scopes=None if share_scopes is None else frozenset(share_scopes),
            direct_work=frozenset(direct_work),
            placed=frozenset(placed),
            capped_routes=tuple(capped_routes),
            spells=category_spells(load.categories, load.current),
            by_client=dict(by_client),
            contacts=dict(contacts),
        )

    # --- shared definitions (§4.0) -----------------------------------------------------------

    def stock(self, day: date, *, entitled_only: bool = True) -> list[ClientEpisode]:
        """Bestand(d): intake on or before d, no exit on or before d, entitlement *ja*.

        Cached per day: most figures count on the same peildatum."""
        key = (day, entitled_only)
        found = self._stock.get(key)
        if found is None:
            found = [
                e
                for e in self.load.episodes
                if e.first_conversation <= day
                and (e.exit_on is None or e.exit_on > day)
                and (not entitled_only or e.entitlement == ENTITLED)
            ]
            self._stock[key] = found
        return found

    def in_share(self, exemption: ExemptionRow) -> bool:
        """Whether ``exemption``'s scope counts in the ontheffing share."""
        return self.share_scopes is None or exemption.scope in self.share_scopes

    def category_on(self, client_id: int, day: date) -> tuple[str | None, str | None]:
        """The client's (category, subcategory) on ``day``."""
        spell = spell_on(self.spells.get(client_id, ()), day)
        return (spell.category, spell.subcategory) if spell else (None, None)

    def intakes_in(self, start: date, end: date) -> list[ClientEpisode]:
        """Instroom events (new or herinstroom) with their intake in [start, end]."""
        return [e for e in self.load.episodes if start <= e.first_conversation <= end]

    def exits_in(self, start: date, end: date) -> list[ClientEpisode]:
        """Exit events in [start, end]."""
        return [
            e for e in self.load.episodes if e.exit_on is not None and start <= e.exit_on <= end
        ]

    def owner_on(self, client_id: int, day: date) -> int | None:
        """Who owned the client on ``day``, from the owner events (else the current owner)."""
        return _owner_on(self._owner_events().get(client_id, ()), day, self.load, client_id)

    def _owner_events(self) -> dict[int, list[tuple[date, int | None, int | None]]]:
        if self._owners is None:
            owners: dict[int, list[tuple[date, int | None, int | None]]] = defaultdict(list)
            for change in sorted(self.load.owners, key=lambda c: c.on):
                owners[change.client_id].append(
                    (change.on, change.old_staff_id, change.new_staff_id)
                )
            self._owners = owners
        return self._owners

    def participation_since(
        self, client_id: int, day: date, episode: ClientEpisode | None = None
    ) -> date | None:
        """The day the client last entered a participation category, if in one on ``day``
        (a move between two participation categories does not restart the clock; a new spell
        with the team does)."""
        runs = self._runs.get(client_id)
        if runs is None:
            runs = []
            for spell in self.spells.get(client_id, ()):
                if spell.category not in self.participation:
                    continue
                if runs and runs[-1][1] == spell.start:
                    runs[-1] = (runs[-1][0], spell.end)
                else:
                    runs.append((spell.start, spell.end))
            self._runs[client_id] = runs
        for start, end in reversed(runs):
            if start <= day and (end is None or day < end):
                # The caller that walks Bestand(day) knows the episode already.
                episode = episode or self.episode_on(client_id, day)
                return max(start, episode.first_conversation) if episode else start
        return None

    def episode_on(self, client_id: int, day: date) -> ClientEpisode | None:
        """The client's spell that holds on ``day``."""
        for episode in reversed(self.by_client.get(client_id, ())):
            if episode.in_stock(day):
                return episode
        return None

    def next_intake_after(self, episode: ClientEpisode) -> ClientEpisode | None:
        """The client's next spell after ``episode``, if they came back."""
        found = False
        for other in self.by_client.get(episode.client_id, ()):
            if found:
                return other
            found = other is episode
        return None


def _owner_on(
    events: Sequence[tuple[date, int | None, int | None]], day: date, load: Caseload, cid: int
) -> int | None:
    before = [e for e in events if e[0] <= day]
    if before:
        return before[-1][2]
    if events:
        return events[0][1]
    return load.current_owner.get(cid)


def share(part: int, whole: int) -> float | None:
    """``part / whole``, or ``None`` when there is nothing to divide by."""
    return part / whole if whole else None


def _years_after(start: date, years: int) -> date:
    return add_months(start, 12 * years)


# --- §4.1 Dalfsen --------------------------------------------------------------------------------


def bestand(ctx: Context) -> Figure:
    """D1 (persons) and S8/M1/V1: |Bestand| at the start and end of P; NUG separately."""
    p0 = ctx.period.start - timedelta(days=1)
    rows: list[tuple[Cell, ...]] = [
        ("persons", len(ctx.stock(p0)), len(ctx.stock(ctx.day))),
    ]
    nug = [
        len([e for e in ctx.stock(d, entitled_only=False) if e.entitlement == NUG])
        for d in (p0, ctx.day)
    ]
    rows.append(("nug", nug[0], nug[1]))
    return Figure("D1", "bestand", "001:L337-340, L715", ("", "at_start", "at_end"), tuple(rows))


def uitkeringen(ctx: Context) -> Figure:
    """D1: distinct dossier references in Bestand(d); no dossier reference is stored yet."""
    refs = {e.dossier for e in ctx.stock(ctx.day)}
    if None in refs or not refs:
        return not_computable("D1u", "uitkeringen", "001:L337-340; 000:L100", NO_DOSSIER)
    return Figure("D1u", "uitkeringen", "001:L337-340", ("", "at_end"), (("count", len(refs)),))


def per_category(ctx: Context) -> Figure:
    """D6/V2/S1: Bestand at the start and end of P per category and subcategory, with shares."""
    p0 = ctx.period.start - timedelta(days=1)
    counts: list[Counter[tuple[str | None, str | None]]] = []
    totals: list[int] = []
    for day in (p0, ctx.day):
        stock = ctx.stock(day)
        totals.append(len(stock))
        counts.append(Counter(ctx.category_on(e.client_id, day) for e in stock))
    keys = sorted(set(counts[0]) | set(counts[1]), key=lambda k: (k[0] or "~", k[1] or "~"))
    rows: list[tuple[Cell, ...]] = []
    for key in keys:
        rows.append(
            (
                f"{key[0] or '-'}/{key[1] or '-'}",
                counts[0][key],
                counts[1][key],
                share(counts[1][key], totals[1]),
            )
        )
    rows.append(("total", totals[0], totals[1], share(totals[1], totals[1])))
    return Figure(
        "D6",
        "per_category",
        "001:L140, L170-173; 002:L599-611; 004:L104-108",
        ("", "at_start", "at_end", "share_end"),
        tuple(rows),
        row_kind="category_pair",
    )


def per_tag(ctx: Context) -> Figure:
    """D6 split / M2: Bestand(d) per doelgroep from the tag history."""
    periods = ctx.load.tag_periods
    if periods is None:
        return not_computable("D6t", "per_tag", "001:L140; 003:L678", NO_TAG_HISTORY)
    stock = {e.client_id for e in ctx.stock(ctx.day)}
    counts: Counter[str] = Counter()
    for tag in periods:
        if (
            tag.client_id in stock
            and tag.set_on <= ctx.day
            and (tag.removed_on is None or tag.removed_on > ctx.day)
        ):
            counts[tag.tag] += 1
    rows = tuple((tag, n, share(n, len(stock))) for tag, n in sorted(counts.items()))
    return Figure(
        "D6t", "per_tag", "001:L140; 003:L678", ("", "count", "share_end"), rows, row_kind="tag"
    )


def instroom(ctx: Context) -> Figure:
    """D2 (and D10's second part): instroom events in P, new and herinstroom, and the share with
    the statushouder tag at intake."""
    intakes = ctx.intakes_in(ctx.period.start, ctx.period.end)
    new = [e for e in intakes if not e.herinstroom]
    back = [e for e in intakes if e.herinstroom]
    holders = [e for e in intakes if STATUS_HOLDER_TAG in e.intake_tags]
    rows: tuple[tuple[Cell, ...], ...] = (
        ("new", len(new), share(len(new), len(intakes))),
        ("herinstroom", len(back), share(len(back), len(intakes))),
        ("total", len(intakes), share(len(intakes), len(intakes))),
        ("status_holder", len(holders), share(len(holders), len(intakes))),
    )
    return Figure("D2", "instroom", "001:L344-353, L425", ("", "count", "share"), rows)


def uitstroom(ctx: Context) -> Figure:
    """D3/V5/M5: Uitstroom(P, r), with the share of statushouders; by reason once recorded."""
    if not ctx.load.exit_reasons:
        return not_computable("D3", "uitstroom", "001:L359-368, L423; 004:L122", NO_EXIT_REASON)
    exits = ctx.exits_in(ctx.period.start, ctx.period.end)
    by_reason = Counter(e.exit_reason or "unknown" for e in exits)
    rows: list[tuple[Cell, ...]] = [
        (reason, n, share(n, len(exits))) for reason, n in sorted(by_reason.items())
    ]
    rows.append(("total", len(exits), share(len(exits), len(exits))))
    holders = len([e for e in exits if STATUS_HOLDER_TAG in e.intake_tags])
    rows.append(("status_holder", holders, share(holders, len(exits))))
    work = by_reason.get(WORK_REASON, 0)
    return Figure(
        "D3",
        "uitstroom",
        "001:L359-368, L423",
        ("", "count", "share"),
        tuple(rows),
        target="> 40 %",
        met=None if not exits else work / len(exits) > 0.40,
        row_kind="reason",
    )


def exits_total(ctx: Context) -> Figure:
    """The exits in P (status events), whatever their reason: Bestand needs them either way."""
    exits = ctx.exits_in(ctx.period.start, ctx.period.end)
    return Figure("U", "exits_total", "§4.0 Uitstroom", ("", "count"), (("total", len(exits)),))


def back_to_work(ctx: Context) -> Figure:
    """D4 (001:L711 goal 3): of the instroom events in P, the share that left for work within
    365 days of their instroom date. Final only 12 months after P has closed."""
    code, key, cite = "D4", "back_to_work", "001:L711 (doel 3); 000:L145"
    if not ctx.load.exit_reasons:
        return replace(not_computable(code, key, cite, NO_EXIT_REASON), target="≥ 30 %")
    cohort = ctx.intakes_in(ctx.period.start, ctx.period.end)
    if not cohort:
        return replace(not_computable(code, key, cite, EMPTY_COHORT), target="≥ 30 %")
    hits = [
        e
        for e in cohort
        if e.exit_reason == WORK_REASON
        and e.exit_on is not None
        and (e.exit_on - e.instroom).days <= 365
    ]
    value = share(len(hits), len(cohort))
    provisional = ctx.today < ctx.period.end + timedelta(days=365)
    return Figure(
        code,
        key,
        cite,
        ("", "count", "share"),
        (("cohort", len(cohort), None), ("to_work_12m", len(hits), value)),
        target="≥ 30 %",
        met=None if value is None else value >= 0.30,
        notes=("provisional",) if provisional else (),
    )


def long_on_benefit(ctx: Context) -> Figure:
    """D5 (001:L711 goal 5): the share of Bestand(d) on benefit longer than 4 years, and the bands.
    Clients without a benefit start are counted apart and left out of the share."""
    stock = ctx.stock(ctx.day)
    known = [e for e in stock if e.benefit_start is not None]
    # A start on or after cutoff[i] is less than the band's years before the peildatum.
    cutoffs = [_years_after(ctx.day, -low) for low, _ in BENEFIT_BANDS]
    four_years = _years_after(ctx.day, -4)
    bands: Counter[int] = Counter()
    over_four = 0
    for e in known:
        start = e.benefit_start
        assert start is not None
        over_four += start < four_years
        index = 0
        while index + 1 < len(cutoffs) and start < cutoffs[index + 1]:
            index += 1
        bands[index] += 1
    value = share(over_four, len(known))
    rows: list[tuple[Cell, ...]] = [("over_4_years", over_four, value)]
    for index, (low, high) in enumerate(BENEFIT_BANDS):
        rows.append(
            (
                f"years_{low}_{high if high is not None else 'plus'}",
                bands[index],
                share(bands[index], len(known)),
            )
        )
    rows.append(("unknown_start", len(stock) - len(known), None))
    return Figure(
        "D5",
        "long_on_benefit",
        "001:L711 (doel 5), L719, L386-393",
        ("", "count", "share"),
        tuple(rows),
        target="≤ 25 %",
        met=None if value is None else value <= 0.25,
    )


def doorstroom(ctx: Context) -> Figure:
    """D7/S1/V3: category events in P as (old → new); row "—" first classifications, column
    "uit" the exits in P by their last category."""
    moves: Counter[tuple[str, str]] = Counter()
    for change in ctx.load.categories:
        if change.field == "category" and ctx.period.contains(change.on):
            moves[(change.old or "-", change.new or "-")] += 1
    for episode in ctx.exits_in(ctx.period.start, ctx.period.end):
        assert episode.exit_on is not None
        last = ctx.category_on(episode.client_id, episode.exit_on)[0]
        moves[(last or "-", "uit")] += 1
    # Row "—" (first classification) on top; column "uit" (exits) last.
    olds = sorted({o for o, _ in moves} - {"-"})
    if any(o == "-" for o, _ in moves):
        olds.insert(0, "-")
    news = [*sorted({n for _, n in moves} - {"uit"}), "uit"]
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (old, *[moves[(old, new)] for new in news]) for old in olds
    )
    return Figure(
        "D7",
        "doorstroom",
        "000:L56, L108, L113; 001:L555",
        ("from_to", *news),
        rows,
        row_kind="category",
    )


def subcategory_moves(ctx: Context) -> Figure:
    """D7 second part: subcategory moves in P per category (old → new)."""
    moves: Counter[tuple[str, str, str]] = Counter()
    for change in ctx.load.categories:
        if change.field == "subcategory" and ctx.period.contains(change.on):
            category = ctx.category_on(change.client_id, change.on)[0] or "-"
            moves[(category, change.old or "-", change.new or "-")] += 1
    rows = tuple((f"{cat}:{old}>{new}", n) for (cat, old, new), n in sorted(moves.items()))
    return Figure(
        "D7s",
        "subcategory_moves",
        "000:L108; 001:L555",
        ("", "count"),
        rows,
        row_kind="subcategory_move",
    )


def registration(ctx: Context) -> Figure:
    """D8/V9: of Bestand(d), the share with category and subcategory set, and with an open
    traject on d; a plan van aanpak is not stored."""
    stock = ctx.stock(ctx.day)
    complete = 0
    for e in stock:
        category, subcategory = ctx.category_on(e.client_id, ctx.day)
        complete += category is not None and subcategory is not None
    open_traject = {
        t.client_id
        for t in ctx.load.trajects
        if t.start <= ctx.day and (t.end is None or t.end >= ctx.day)
    }
    with_traject = len([e for e in stock if e.client_id in open_traject])
    return Figure(
        "D8",
        "registration",
        "001:L712 (act. 1-3), L716; 004:L145",
        ("", "count", "share"),
        (
            ("category_and_sub", complete, share(complete, len(stock))),
            ("open_traject", with_traject, share(with_traject, len(stock))),
            ("plan", None, None),
        ),
        target="100 %",
        met=None if not stock else complete == len(stock),
        notes=(NO_PLAN,),
    )


def ontheffingen(ctx: Context) -> Figure:
    """D9/V4/M2: active ontheffingen on d among Bestand(d), by reason and scope; the reviews due
    in P on time, late, postponed-then-done, and still open past due. The share counts the
    clients with an ontheffing of a scope the profile counts (003: only arbeidsplicht)."""
    stock = {e.client_id for e in ctx.stock(ctx.day)}
    active = [x for x in ctx.load.exemptions if x.client_id in stock and x.active_on(ctx.day)]
    clients = {x.client_id for x in active if ctx.in_share(x)}
    rows: list[tuple[Cell, ...]] = [("clients_with", len(clients), share(len(clients), len(stock)))]
    for reason, n in sorted(Counter(x.reason for x in active).items()):
        rows.append((f"reason:{reason}", n, share(n, len(active))))
    for scope, n in sorted(Counter(x.scope for x in active).items()):
        rows.append((f"scope:{scope}", n, share(n, len(active))))
    rows.extend(_on_time_rows(ctx, DeadlineKind.EXEMPTION_REVIEW, "review"))
    return Figure(
        "D9",
        "ontheffingen",
        "001:L309, L589, L616; 000:L146; 004:L118, L145",
        ("", "count", "share"),
        tuple(rows),
        row_kind="exemption",
    )


def _on_time_rows(ctx: Context, kind: str | None, prefix: str) -> list[tuple[Cell, ...]]:
    """§4.0 on time, for deadlines of ``kind`` (``None``: all) due in P."""
    due = [
        d
        for d in ctx.load.deadlines
        if (kind is None or d.kind == kind) and ctx.period.contains(d.due)
    ]
    done = [d for d in due if d.status == DeadlineStatus.DONE and d.resolved_on is not None]
    on_time = [d for d in done if d.resolved_on is not None and d.resolved_on <= d.due]
    postponed = [d for d in on_time if d.postponements]
    late = [d for d in done if d not in on_time]
    overdue = [d for d in due if d.status == DeadlineStatus.OPEN and d.due < ctx.today]
    return [
        (f"{prefix}_due", len(due), None),
        (f"{prefix}_on_time", len(on_time), share(len(on_time), len(due))),
        (f"{prefix}_postponed_on_time", len(postponed), share(len(postponed), len(due))),
        (f"{prefix}_late", len(late), share(len(late), len(due))),
        (f"{prefix}_overdue", len(overdue), share(len(overdue), len(due))),
    ]


def on_time(ctx: Context) -> Figure:
    """§4.0 on time: every deadline due in P."""
    return Figure(
        "T",
        "on_time",
        "§4.0 op tijd",
        ("", "count", "share"),
        tuple(_on_time_rows(ctx, None, "all")),
    )


def herinstroom(ctx: Context) -> Figure:
    """D10: of the exits in P, the share with a new intake within 365 days (final 12 months after
    P); and the share of instroom(P) that is herinstroom."""
    exits = ctx.exits_in(ctx.period.start, ctx.period.end)
    back = 0
    for episode in exits:
        following = ctx.next_intake_after(episode)
        if following is not None and episode.exit_on is not None:
            back += (following.first_conversation - episode.exit_on).days <= 365
    intakes = ctx.intakes_in(ctx.period.start, ctx.period.end)
    again = len([e for e in intakes if e.herinstroom])
    provisional = ctx.today < ctx.period.end + timedelta(days=365)
    return Figure(
        "D10",
        "herinstroom",
        "001:L425, L574, L586, L886",
        ("", "count", "share"),
        (
            ("exits", len(exits), None),
            ("back_within_12m", back, share(back, len(exits))),
            ("instroom_herinstroom", again, share(again, len(intakes))),
        ),
        notes=("provisional",) if provisional else (),
    )


def placements(ctx: Context) -> Figure:
    """D11/M3: placement events in P by kind (the placements table)."""
    rows_in = ctx.load.placements
    if rows_in is None:
        return not_computable("D11", "placements", "001:L518-526; 003:L679", NO_PLACEMENTS)
    inside = [p for p in rows_in if ctx.period.contains(p.start)]
    counts = Counter(p.kind for p in inside)
    rows: list[tuple[Cell, ...]] = [(kind, n) for kind, n in sorted(counts.items())]
    rows.append(("with_lks", len([p for p in inside if p.lks])))
    rows.append(("total", len(inside)))
    return Figure(
        "D11", "placements", "001:L518-526", ("", "count"), tuple(rows), row_kind="place_kind"
    )


def exit_by_duration(ctx: Context) -> Figure:
    """D12: exits in P by (exit date − benefit start); unknown benefit start apart."""
    exits = ctx.exits_in(ctx.period.start, ctx.period.end)
    counts: Counter[str] = Counter()
    for e in exits:
        if e.benefit_start is None or e.exit_on is None:
            counts["unknown_start"] += 1
            continue
        for low, high in EXIT_BANDS_MONTHS:
            if high is None or e.exit_on < add_months(e.benefit_start, high):
                counts[f"months_{low}_{high if high is not None else 'plus'}"] += 1
                break
    keys = [f"months_{lo}_{hi if hi is not None else 'plus'}" for lo, hi in EXIT_BANDS_MONTHS]
    rows = tuple((k, counts[k]) for k in [*keys, "unknown_start"])
    return Figure("D12", "exit_by_duration", "001:L530-539", ("", "count"), rows)


def nug_and_youth(ctx: Context) -> Figure:
    """D15: active NUG clients on d and NUG intakes in P (the PRO/VSO tag needs tag history)."""
    nug_now = len([e for e in ctx.stock(ctx.day, entitled_only=False) if e.entitlement == NUG])
    nug_in = len(
        [e for e in ctx.intakes_in(ctx.period.start, ctx.period.end) if e.entitlement == NUG]
    )
    return Figure(
        "D15",
        "nug",
        "001:L218, L327, L543",
        ("", "count"),
        (("nug_active", nug_now), ("nug_intakes", nug_in)),
    )


def caseload_per_owner(ctx: Context) -> Figure:
    """D18/S11: clients in Bestand(d) per owner on d, by category."""
    names = {s.staff_id: s for s in ctx.load.staff}
    counts: dict[int | None, Counter[str]] = defaultdict(Counter)
    for e in ctx.stock(ctx.day):
        owner = ctx.owner_on(e.client_id, ctx.day)
        counts[owner][ctx.category_on(e.client_id, ctx.day)[0] or "-"] += 1
    categories = sorted({c for counter in counts.values() for c in counter})
    rows: list[tuple[Cell, ...]] = []
    for owner, counter in sorted(counts.items(), key=lambda item: -sum(item[1].values())):
        label = names[owner].name if owner in names else "-"
        rows.append((label, sum(counter.values()), *[counter[c] for c in categories]))
    return Figure(
        "D18",
        "per_owner",
        "001:L556-557; 002:L939-940",
        ("owner", "total", *[f"cat:{c}" for c in categories]),
        tuple(rows),
        row_kind="name",
    )


def contact_coverage_on(ctx: Context, day: date) -> tuple[int, int, int, int]:
    """§4.0 Contact coverage(d): (covered, in scope ≥ 12 months, first contact still due,
    first contact overdue) among clients in a participation category on ``day``."""
    covered = eligible = due = overdue = 0
    year_before = add_months(day, -12)
    # Entered on or before this day: in the participation categories for 12 months or more.
    settled = add_months(day, -12)
    first_deadline = add_months(day, -ctx.first_contact_months)
    for e in ctx.stock(day):
        since = ctx.participation_since(e.client_id, day, e)
        if since is None:
            continue
        days = ctx.contacts.get(e.client_id, ())
        upto = bisect_right(days, day)
        if since <= settled:
            eligible += 1
            covered += upto > 0 and days[upto - 1] > year_before
        elif upto == bisect_right(days, since - timedelta(days=1)):
            # No face-to-face contact since entering: the first one is still due, or late.
            if since < first_deadline:
                overdue += 1
            else:
                due += 1
    return covered, eligible, due, overdue


def contact_coverage(ctx: Context) -> Figure:
    """V7/M6/§4.0: contact coverage on d; the clients inside their first year apart."""
    covered, eligible, due, overdue = contact_coverage_on(ctx, ctx.day)
    return Figure(
        "V7",
        "contact_coverage",
        "004:L123-125, L287; 003:L367",
        ("", "count", "share"),
        (
            ("in_scope", eligible, None),
            ("covered", covered, share(covered, eligible)),
            ("not_covered", eligible - covered, share(eligible - covered, eligible)),
            ("first_due", due, None),
            ("first_overdue", overdue, None),
        ),
    )


def vacatures(ctx: Context) -> Figure:
    """M7 and issue 12: vacatures opened, filled and expired in P; open at d."""
    vac = ctx.load.vacancies
    opened = len([v for v in vac if ctx.period.contains(v.opened_on)])
    closed = [v for v in vac if v.closed_on is not None and ctx.period.contains(v.closed_on)]
    filled = len([v for v in closed if v.status == VacancyStatus.FILLED])
    expired = len([v for v in closed if v.status == VacancyStatus.EXPIRED])
    open_now = len(
        [
            v
            for v in vac
            if v.opened_on <= ctx.day and (v.closed_on is None or v.closed_on > ctx.day)
        ]
    )
    return Figure(
        "M7",
        "vacatures",
        "003:L675; 001:L208",
        ("", "count"),
        (("opened", opened), ("filled", filled), ("expired", expired), ("open_at_end", open_now)),
    )


def trajects_started(ctx: Context) -> Figure:
    """S5: trajecten started in P by instrument."""
    counts = Counter(t.instrument for t in ctx.load.trajects if ctx.period.contains(t.start))
    rows = tuple((k, n) for k, n in sorted(counts.items()))
    return Figure(
        "S5", "trajects_started", "002:L923-924", ("", "count"), rows, row_kind="instrument"
    )


def traject_success(ctx: Context) -> Figure:
    """S7/M4: trajecten ended in P by instrument: afgerond (the success), gestopt, and past their
    end without an outcome; the share afgerond of all ended; extensions used (0 / 1 / 2+)."""
    if not ctx.load.traject_outcomes:
        return not_computable(
            "S7", "traject_success", "002:L931, L939; 003:L680", NO_TRAJECT_OUTCOME
        )
    ended = [t for t in ctx.load.trajects if t.end is not None and ctx.period.contains(t.end)]
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for t in ended:
        counts = by[t.instrument]
        counts[0] += t.outcome == TRAJECT_DONE
        counts[1] += t.outcome == TRAJECT_STOPPED
        counts[2] += t.outcome is None
        counts[3 + min(t.extensions, 2)] += 1
    rows = tuple(
        (k, ok, stopped, open_, ok + stopped + open_, share(ok, ok + stopped + open_), *ext)
        for k, (ok, stopped, open_, *ext) in sorted(by.items())
    )
    return Figure(
        "S7",
        "traject_success",
        "002:L931, L939; 003:L411, L445, L680",
        ("", "success", "stopped", "no_outcome", "ended", "share", "ext_0", "ext_1", "ext_2"),
        rows,
        row_kind="instrument",
    )


def wage_value(ctx: Context) -> Figure:
    """D20 (part): loonwaardemetingen due in P on time / overdue (LKS doelgroepers need the
    placements table)."""
    return Figure(
        "D20",
        "wage_value",
        "001:L404, L638",
        ("", "count", "share"),
        tuple(_on_time_rows(ctx, DeadlineKind.WAGE_VALUE_ASSESSMENT, "wage")),
    )


def beschut(ctx: Context) -> Figure:
    """D14/M8: clients in Bestand(d) with the beschut werk tag on d (tag history), and
    placements of kind garantiebaan in P (the placements)."""
    code, key, cite = "D14", "beschut", "001:L200, L260, L711, L718; 003:L294, L656"
    if ctx.load.tag_periods is None:
        return not_computable(code, key, cite, NO_TAG_HISTORY)
    stock = {e.client_id for e in ctx.stock(ctx.day, entitled_only=False)}
    sheltered = {
        t.client_id
        for t in ctx.load.tag_periods
        if t.tag == SHELTERED_TAG
        and t.client_id in stock
        and t.set_on <= ctx.day
        and (t.removed_on is None or t.removed_on > ctx.day)
    }
    rows: list[tuple[Cell, ...]] = [("sheltered_active", len(sheltered))]
    if ctx.load.placements is not None:
        jobs = [
            p
            for p in ctx.load.placements
            if p.kind == GUARANTEE_JOB and ctx.period.contains(p.start)
        ]
        rows.append(("guarantee_jobs", len(jobs)))
    return Figure(code, key, cite, ("", "count"), tuple(rows))


def direct_work_placed(ctx: Context) -> Figure:
    """S9 (002:L500-501, L662): of the clients entering a direct-work category in P shifted back
    6 months, the share that left for work, or moved to a placed category, within 183 days.
    Final once 183 days have passed after the shifted period (about the end of P)."""
    code, key, cite = "S9", "direct_work", "002:L500-501, L662"
    if not ctx.direct_work:
        return not_computable(code, key, cite, NO_DIRECT_WORK)
    if not ctx.load.exit_reasons:
        return not_computable(code, key, cite, NO_EXIT_REASON)
    first = add_months(ctx.period.start, -6)
    last = add_months(ctx.period.end + timedelta(days=1), -6) - timedelta(days=1)
    moves: dict[int, list[tuple[date, str | None]]] = defaultdict(list)
    for change in ctx.load.categories:
        if change.field == "category":
            moves[change.client_id].append((change.on, change.new))
    entries = [
        c
        for c in ctx.load.categories
        if c.field == "category"
        and first <= c.on <= last
        and c.new in ctx.direct_work
        and c.old not in ctx.direct_work
    ]
    to_work = placed = 0
    for entry in entries:
        until = entry.on + timedelta(days=DIRECT_WORK_DAYS)
        episode = ctx.episode_on(entry.client_id, entry.on)
        if (
            episode is not None
            and episode.exit_on is not None
            and episode.exit_on <= until
            and episode.exit_reason == WORK_REASON
        ):
            to_work += 1
        elif any(
            entry.on < on <= until and new in ctx.placed for on, new in moves[entry.client_id]
        ):
            placed += 1
    n = len(entries)
    provisional = ctx.today < last + timedelta(days=DIRECT_WORK_DAYS)
    return Figure(
        code,
        key,
        cite,
        ("", "count", "share"),
        (
            ("direct_work_cohort", n, None),
            ("to_work_183d", to_work, share(to_work, n)),
            ("to_placed_183d", placed, share(placed, n)),
            ("within_183d", to_work + placed, share(to_work + placed, n)),
        ),
        notes=("provisional_183d",) if provisional else (),
    )


def exemption_contact(ctx: Context) -> Figure:
    """M6 (003:L367, Actie 38): of the clients in Bestand(d) with an active ontheffing on d, the
    share with a contact in the 12 months up to d (any contact kind, or the yearly ontheffing
    contact done); the yearly contacts due in P on time / late / overdue."""
    stock = {e.client_id for e in ctx.stock(ctx.day)}
    exempt = {
        x.client_id for x in ctx.load.exemptions if x.client_id in stock and x.active_on(ctx.day)
    }
    year_before = add_months(ctx.day, -12)
    contacted = {
        c.client_id
        for c in ctx.load.contacts
        if c.client_id in exempt and year_before < c.on <= ctx.day
    }
    contacted |= {
        dl.client_id
        for dl in ctx.load.deadlines
        if dl.client_id in exempt
        and dl.kind == DeadlineKind.EXEMPTION_CONTACT
        and dl.status == DeadlineStatus.DONE
        and dl.resolved_on is not None
        and year_before < dl.resolved_on <= ctx.day
    }
    n = len(exempt)
    rows: list[tuple[Cell, ...]] = [
        ("exempt_clients", n, None),
        ("contacted_12m", len(contacted), share(len(contacted), n)),
        ("not_contacted_12m", n - len(contacted), share(n - len(contacted), n)),
    ]
    rows.extend(_on_time_rows(ctx, DeadlineKind.EXEMPTION_CONTACT, "contact"))
    return Figure("M6", "exemption_contact", "003:L367", ("", "count", "share"), tuple(rows))


def ontwikkelroute(ctx: Context) -> Figure:
    """V10 (004:L81): trajecten of an instrument with a maximum and a handover (the
    ontwikkelroute) whose maximum falls in P, up to d: left for werk or onderwijs (or otherwise)
    by the maximum plus the weekdate's grace, in a category the handover does not apply to, handed
    over to the handover category, or still without a decision."""
    code, key, cite = "V10", "ontwikkelroute", "004:L81"
    if not ctx.capped_routes:
        return not_computable(code, key, cite, NO_CAPPED_ROUTE)
    if not ctx.load.exit_reasons:
        return not_computable(code, key, cite, NO_EXIT_REASON)
    routes = {r.instrument: r for r in ctx.capped_routes}
    moves: dict[int, list[tuple[date, str | None]]] = defaultdict(list)
    for change in ctx.load.categories:
        if change.field == "category":
            moves[change.client_id].append((change.on, change.new))
    counts: Counter[str] = Counter()
    for t in ctx.load.trajects:
        route = routes.get(t.instrument)
        if route is None:
            continue
        limit = add_months(t.start, route.max_months)
        if not ctx.period.contains(limit) or limit > ctx.day:
            continue
        until = limit + timedelta(days=HANDOVER_GRACE_DAYS)
        episode = ctx.episode_on(t.client_id, t.start)
        if episode is not None and episode.exit_on is not None and episode.exit_on <= until:
            reason = episode.exit_reason
            counts[
                "to_work"
                if reason == WORK_REASON
                else "to_education"
                if reason == EDUCATION_REASON
                else "other_exit"
            ] += 1
        elif ctx.category_on(t.client_id, limit)[0] in route.exempt:
            counts["exempt"] += 1
        elif any(
            t.start < on <= until and new == route.handover_to for on, new in moves[t.client_id]
        ):
            counts["handed_over"] += 1
        else:
            counts["no_decision"] += 1
    n = sum(counts.values())
    keys = ("to_work", "to_education", "other_exit", "handed_over", "exempt", "no_decision")
    rows: list[tuple[Cell, ...]] = [("routes_at_max", n, None)]
    rows.extend((k, counts[k], share(counts[k], n)) for k in keys)
    provisional = ctx.today < ctx.period.end + timedelta(days=HANDOVER_GRACE_DAYS)
    return Figure(
        code,
        key,
        cite,
        ("", "count", "share"),
        tuple(rows),
        notes=("provisional_handover",) if provisional else (),
    )


def _missing(code: str, key: str, cite: str, why: str) -> Callable[[Context], Figure]:
    return lambda ctx: not_computable(code, key, cite, why)


FigureFn = Callable[[Context], Figure]

#: The default scheme's list (§4.1, Dalfsen), in the order of the report.
DALFSEN: tuple[FigureFn, ...] = (
    bestand,
    uitkeringen,
    per_category,
    per_tag,
    instroom,
    exits_total,
    uitstroom,
    doorstroom,
    subcategory_moves,
    back_to_work,
    long_on_benefit,
    registration,
    ontheffingen,
    contact_coverage,
    herinstroom,
    placements,
    exit_by_duration,
    _missing("D13", "workshops", "001:L502-507", NO_WORKSHOP),
    beschut,
    nug_and_youth,
    _missing("D16", "age", "001:L376-380", NO_AGE_BAND),
    _missing("D17", "part_time", "001:L419", NO_PART_TIME),
    caseload_per_owner,
    wage_value,
    vacatures,
    on_time,
)
#: §4.2-4.4 lists: the same definitions where the figure is the same, plus their own.
STEENWIJKERLAND: tuple[FigureFn, ...] = (
    bestand, per_category, doorstroom, instroom, exits_total, uitstroom, trajects_started,
    traject_success, on_time, caseload_per_owner, vacatures,
)  # fmt: skip
MIDDEN_DRENTHE: tuple[FigureFn, ...] = (
    bestand, per_tag, placements, instroom, exits_total, uitstroom, ontheffingen,
    contact_coverage, vacatures, trajects_started, traject_success,
)  # fmt: skip
HOLLAND_RIJNLAND: tuple[FigureFn, ...] = (
    bestand, uitkeringen, per_category, doorstroom, ontheffingen, instroom, exits_total,
    uitstroom, contact_coverage, registration,
)  # fmt: skip
LISTS: dict[str, tuple[FigureFn, ...]] = {
    "dalfsen": DALFSEN,
    "steenwijkerland": STEENWIJKERLAND,
    "midden_drenthe": MIDDEN_DRENTHE,
    "voorschoten": HOLLAND_RIJNLAND,
}


#: A profile's figure key (§4.1-4.4) -> the figure that computes it. Keys whose events the
#: product does not record say why instead.
BY_KEY: dict[str, FigureFn] = {
    "D1": bestand,
    "D2": instroom,
    "D3": uitstroom,
    "D4": back_to_work,
    "D5": long_on_benefit,
    "D6": per_category,
    "D7": doorstroom,
    "D8": registration,
    "D9": ontheffingen,
    "D10": herinstroom,
    "D11": placements,
    "D12": exit_by_duration,
    "D14": beschut,
    "D15": nug_and_youth,
    "D18": caseload_per_owner,
    "D20": wage_value,
    "S1": per_category,
    "S5": trajects_started,
    "S7": traject_success,
    "S8": bestand,
    "S9": direct_work_placed,
    "S10": _missing("S10", "reviews_per_group", "002:L749, L766, L768, L799", NO_GROUP_RHYTHM),
    "S11": caseload_per_owner,
    "M1": bestand,
    "M2": per_tag,
    "M3": placements,
    "M4": traject_success,
    "M5": uitstroom,
    "M6": exemption_contact,
    "M7": vacatures,
    "M8": beschut,
    "M11": _missing("M11", "casuistiek", "003:L536", NO_MEETING_RECORD),
    "V1": bestand,
    "V3": doorstroom,
    "V4": ontheffingen,
    "V5": uitstroom,
    "V7": contact_coverage,
    "V9": registration,
    "V10": ontwikkelroute,
}

#: A profile's name -> the base list of its figures (§4.1-4.4).
BY_PROFILE: dict[str, str] = {
    "dalfsen": "dalfsen",
    "steenwijkerland": "steenwijkerland",
    "midden-drenthe": "midden_drenthe",
    "voorschoten-leidschendam-voorburg-wassenaar": "voorschoten",
}


@dataclass(frozen=True)
class Headline:
    """One figure of a profile's list: its key, the municipality's name for it, its target."""

    key: str
    label: str
    target: str = ""


@dataclass(frozen=True)
class Scheme:
    """A team's figures: the profile's own list first (with its names and targets), then the
    rest of the base list of that municipality."""

    base: str = "dalfsen"
    headlines: tuple[Headline, ...] = ()


def compute(ctx: Context, scheme: str | Scheme = "dalfsen") -> list[Figure]:
    """Every figure of ``scheme`` (the default base list for an unknown name)."""
    if isinstance(scheme, str):
        scheme = Scheme(scheme)
    result: list[Figure] = []
    shown: set[FigureFn] = set()
    for headline in scheme.headlines:
        fn = BY_KEY.get(headline.key)
        if fn is None:
            continue
        shown.add(fn)
        figure = fn(ctx)
        result.append(
            replace(
                figure,
                code=headline.key,
                title=headline.label or None,
                target=headline.target or figure.target,
            )
        )
    result.extend(fn(ctx) for fn in LISTS.get(scheme.base, DALFSEN) if fn not in shown)
    return result


# --- monthly series (for the charts) --------------------------------------------------------------


@dataclass(frozen=True)
class MonthPoint:
    """One month end: caseload per category, ontheffing share and contact coverage."""

    month: date
    per_category: dict[str, int]
    exemption_share: float | None
    contact_coverage: float | None


def monthly(ctx: Context, start: date, end: date) -> list[MonthPoint]:
    """The month ends of [start, end] (the last one at the peildatum)."""
    points: list[MonthPoint] = []
    for month in months_between(start, end):
        day = min(month.end, ctx.day)
        stock = ctx.stock(day)
        per_cat = Counter(ctx.category_on(e.client_id, day)[0] or "-" for e in stock)
        ids = {e.client_id for e in stock}
        with_exemption = {
            x.client_id
            for x in ctx.load.exemptions
            if x.client_id in ids and ctx.in_share(x) and x.active_on(day)
        }
        covered, eligible, _, _ = contact_coverage_on(ctx, day)
        points.append(
            MonthPoint(
                month.start,
                dict(per_cat),
                share(len(with_exemption), len(stock)),
                share(covered, eligible),
            )
        )
    return points


def exemption_active_on(rows: Iterable[ExemptionRow], day: date) -> int:
    """How many of ``rows`` are active on ``day``."""
    return len([x for x in rows if x.active_on(day)])
