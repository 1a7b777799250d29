"""``/cijfers`` and ``/export``: the one place a figures request is orchestrated.

Who sees what: a teamleider, beleidsmedewerker or beheerder the whole team; a consulent or
loopbaanbegeleider only the clients they own; in a group only a teamleider, and then only the
aggregate text (no charts, no rows, no names). The rows are read in one read-only transaction;
figures, charts and files are made after it has ended (charts and PDF in a thread).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial

from bot.caselog.catalog import Choice
from bot.core.clock import Clock, local_today
from bot.core.render import render
from bot.core.roles import Role
from bot.core.ui import Document
from bot.core.vocabulary import AuditAction, AuditChannel, AuditResult
from bot.deadlines.rules import add_months
from bot.figures import export as files
from bot.figures.charts import ChartData, render_all
from bot.figures.rules import definitions as defs
from bot.figures.rules.periods import Period, PeriodProblem, parse_period
from bot.figures.rules.rows import Caseload
from bot.figures.views import Labels, Report, council_pdf, label, table
from bot.profiles.meaning import (
    capped_routes,
    categories_counting_as,
    direct_work_categories,
    scopes_in_share,
)
from bot.profiles.model import Towards
from bot.route.exit_rules import WORK_KINDS
from bot.settings import TeamSettings
from storage import audit, teams
from storage import figures as store
from storage.db import Database
from storage.staff import StaffMember

#: Who sees the whole team's figures.
TEAM_ROLES = (Role.TEAMLEIDER, Role.BELEID, Role.ADMIN)
#: Who sees the figures of their own caseload.
OWN_ROLES = (Role.CONSULENT, Role.LOOPBAANBEGELEIDER)
#: The charts show at least this many months, and at most the last ``CHART_MAX`` of a period.
CHART_MIN = 12
CHART_MAX = 36

Charts = list[tuple[str, bytes]]


def scheme_for(settings: TeamSettings) -> defs.Scheme:
    """The team's list of figures (§4.1-4.4): its profile's own figures first, with the
    municipality's names and targets, then the rest of that municipality's base list."""
    profile = settings.profile
    return defs.Scheme(
        base=defs.BY_PROFILE.get(profile.name, "dalfsen"),
        headlines=tuple(defs.Headline(f.key, f.label, f.target) for f in profile.figures),
    )


def exit_reasons(settings: TeamSettings) -> tuple[Choice, ...]:
    """The reasons an uitstroom can have here: the configured list the /uitstroom form offers,
    then the profile's (for exits recorded under an earlier list)."""
    seen = {c.code for c in settings.caselog.exit_reasons}
    extra = tuple(Choice(o.code, o.label) for o in settings.profile.exit_reasons)
    return settings.caselog.exit_reasons + tuple(c for c in extra if c.code not in seen)


def place_kinds(settings: TeamSettings) -> tuple[Choice, ...]:
    """Kinds of placement: the uitstroom's kinds of work, then the profile's kinds of place."""
    return WORK_KINDS + tuple(Choice(k.code, k.label) for k in settings.profile.place_kinds)


def known_reasons(load: Caseload, reasons: tuple[Choice, ...]) -> Caseload:
    """``load`` with every exit reason that is not a reason code (a status change recorded with
    a free-text note, not by the uitstroom flow) as unknown."""
    codes = {c.code for c in reasons}
    if all(e.exit_reason is None or e.exit_reason in codes for e in load.episodes):
        return load
    return replace(
        load,
        episodes=[
            e if e.exit_reason is None or e.exit_reason in codes else replace(e, exit_reason=None)
            for e in load.episodes
        ],
    )


class _Pause:
    """How many figure computations run now, and whether the collector was on before the first."""

    depth = 0
    resume = False


@contextmanager
def bulk_rows() -> Iterator[None]:
    """Reading and computing a team's rows with the cyclic garbage collector paused.

    Five years of a big team are a few hundred thousand small immutable rows with no reference
    cycles: the collector would walk them again and again for nothing to free (half the time
    of ``/cijfers`` measured). Reference counting still frees everything; the collector
    resumes when the last computation ends, also when one fails.
    """
    if _Pause.depth == 0:
        _Pause.resume = gc.isenabled()
        gc.disable()
    _Pause.depth += 1
    try:
        yield
    finally:
        _Pause.depth -= 1
        if _Pause.depth == 0 and _Pause.resume:
            gc.enable()


@dataclass(frozen=True)
class Computed:
    """A report and what its charts and files are made of."""

    report: Report
    chart_data: ChartData
    labels: Labels
    #: Pseudonymous rows for the export, and their headers.
    rows: list[list[object]]
    headers: list[str]


def chart_window(period: Period, day: date) -> tuple[date, date]:
    """The months the charts show: the period, widened to the last year when shorter, and cut
    to the last three years when longer."""
    start = period.start
    earliest = add_months(date(day.year, day.month, 1), -(CHART_MIN - 1))
    latest_start = add_months(date(day.year, day.month, 1), -(CHART_MAX - 1))
    return max(min(start, earliest), latest_start), day


def own_only(load: Caseload, staff_id: int) -> Caseload:
    """``load`` limited to the clients ``staff_id`` owns now (vacatures are the team's)."""
    mine = {cid for cid, owner in load.current_owner.items() if owner == staff_id}
    return replace(
        load,
        episodes=[e for e in load.episodes if e.client_id in mine],
        categories=[c for c in load.categories if c.client_id in mine],
        current={k: v for k, v in load.current.items() if k in mine},
        owners=[o for o in load.owners if o.client_id in mine],
        current_owner={k: v for k, v in load.current_owner.items() if k in mine},
        exemptions=[x for x in load.exemptions if x.client_id in mine],
        contacts=[c for c in load.contacts if c.client_id in mine],
        deadlines=[d for d in load.deadlines if d.client_id in mine],
        vacancies=[],
        trajects=[t for t in load.trajects if t.client_id in mine],
        tag_periods=None
        if load.tag_periods is None
        else [t for t in load.tag_periods if t.client_id in mine],
        placements=None
        if load.placements is None
        else [p for p in load.placements if p.client_id in mine],
    )


def compute(
    load: Caseload,
    period: Period,
    today: date,
    settings: TeamSettings,
    *,
    team_name: str,
    scope: str,
    with_series: bool = True,
    with_rows: bool = True,
) -> Computed:
    """Every figure of the team's scheme, the chart data and the export rows (pure)."""
    reasons = exit_reasons(settings)
    load = known_reasons(load, reasons)
    ctx = defs.Context.of(
        load,
        period,
        today,
        settings.deadlines.participation_categories,
        settings.deadlines.participation_first_months,
        share_scopes=scopes_in_share(settings.profile),
        direct_work=direct_work_categories(settings.profile),
        placed=categories_counting_as(settings.profile, Towards.PLACED),
        capped_routes=[defs.CappedRoute(*route) for route in capped_routes(settings.profile)],
    )
    figures = defs.compute(ctx, scheme_for(settings))
    labels = Labels(settings.caselog, reasons, place_kinds(settings))
    report = Report(team_name, period, ctx.day, scope, tuple(table(f, labels) for f in figures))
    first, last = chart_window(period, ctx.day)
    months = defs.monthly(ctx, first, last) if with_series else []
    matrix = defs.doorstroom(ctx)
    exits = ctx.exits_in(period.start, period.end)
    by_reason: dict[str, int] = {}
    for episode in exits:
        key = episode.exit_reason or "unknown"
        by_reason[key] = by_reason.get(key, 0) + 1
    chart_data = ChartData(
        months=months,
        matrix_rows=[str(r[0]) for r in matrix.rows],
        matrix_cols=list(matrix.columns[1:]),
        matrix=[[int(v or 0) for v in r[1:]] for r in matrix.rows],
        exits=sorted(by_reason.items(), key=lambda kv: -kv[1]),
        reasons_known=load.exit_reasons,
    )
    headers = [
        label("export", k)
        for k in (
            "ref", "first_conversation", "instroom", "herinstroom", "exit_on", "exit_reason",
            "category", "subcategory",
        )
    ]  # fmt: skip
    rows: list[list[object]] = []
    # The pseudonymous rows are for the export only; /cijfers does not spend time on them.
    episodes = load.episodes if with_rows else ()
    for e in sorted(episodes, key=lambda e: (e.ref, e.first_conversation)):
        if e.first_conversation > ctx.day:
            continue
        category, subcategory = ctx.category_on(e.client_id, min(ctx.day, e.exit_on or ctx.day))
        rows.append(
            [
                e.ref,
                e.first_conversation,
                e.instroom,
                label("export", "yes" if e.herinstroom else "no"),
                e.exit_on,
                labels.reason(e.exit_reason) if e.exit_reason else "",
                labels.category(category) if category else "",
                subcategory or "",
            ]
        )
    return Computed(report, chart_data, labels, rows, headers)


async def load_caseload(
    db: Database, clock: Clock, team_id: int, period: Period, today: date
) -> Caseload:
    """The team's rows for ``period`` (one read-only transaction)."""
    first, _ = chart_window(period, period.peildatum(today))
    async with db.transaction() as session:
        return await store.caseload(session, team_id, start=first, end=period.end, zone=clock.tz)


@dataclass
class FiguresAnswer:
    """What ``/cijfers`` or ``/export`` answers: a notice, a text, a chart maker, documents."""

    notice: str | None = None
    text: str | None = None
    charts: Callable[[], Charts] | None = None
    documents: list[Document | Callable[[], Document]] = field(default_factory=list)


def _scope(actor: StaffMember) -> str | None:
    if actor.has(*TEAM_ROLES):
        return "team"
    if actor.has(*OWN_ROLES):
        return "own"
    return None


async def _prepare(
    db: Database,
    clock: Clock,
    actor: StaffMember,
    settings: TeamSettings,
    period_text: str,
    *,
    with_series: bool,
    with_rows: bool,
) -> Computed | str:
    """The computed report, or the rendered notice of why not."""
    today = local_today(clock)
    try:
        period = parse_period(period_text, today)
    except PeriodProblem as problem:
        return render("figures/period_problem", code=problem.code, **problem.values)
    scope = _scope(actor)
    if scope is None:
        return render("common/not_allowed")
    with bulk_rows():
        load = await load_caseload(db, clock, actor.team_id, period, today)
        if scope == "own":
            load = own_only(load, actor.staff_id)
        return compute(
            load, period, today, settings, team_name=actor.team_name, scope=scope,
            with_series=with_series, with_rows=with_rows,
        )  # fmt: skip


async def cijfers(
    db: Database,
    clock: Clock,
    actor: StaffMember,
    settings: TeamSettings,
    *,
    arg: str,
    private: bool,
) -> FiguresAnswer:
    """``/cijfers [periode]``: the figures as text, and (in private) the charts as one album."""
    if not private and not actor.has(Role.TEAMLEIDER):
        return FiguresAnswer(notice=render("figures/group_refused"))
    computed = await _prepare(db, clock, actor, settings, arg, with_series=private, with_rows=False)
    if isinstance(computed, str):
        return FiguresAnswer(notice=computed)
    if not private:
        computed = replace(computed, report=_group_safe(computed.report))
    from bot.figures.views import cijfers_text

    text = cijfers_text(computed.report)
    charts = partial(render_all, computed.chart_data, computed.labels) if private else None
    return FiguresAnswer(text=text, charts=charts)


#: What a group may see: totals that name no colleague (D18) and no ontheffing reason (D9:
#: "medisch" is health data, and in a small team a count of one points at a person).
GROUP_FIGURES = frozenset({"D1", "D2", "U", "D6", "D7", "D5", "D8", "V7", "M7"})


def _group_safe(report: Report) -> Report:
    """A group's copy: the aggregates of :data:`GROUP_FIGURES` only."""
    return replace(report, tables=tuple(t for t in report.tables if t.code in GROUP_FIGURES))


def split_export_arg(arg: str) -> tuple[str, str]:
    """``2026H1 pdf`` → (``2026H1``, ``pdf``); the format word may come first or last."""
    words = arg.split()
    for fmt in ("pdf", "xlsx", "csv"):
        if words and words[-1].lower() == fmt:
            return " ".join(words[:-1]), fmt
        if words and words[0].lower() == fmt:
            return " ".join(words[1:]), fmt
    return arg, "xlsx"


async def export(
    db: Database,
    clock: Clock,
    actor: StaffMember,
    settings: TeamSettings,
    *,
    arg: str,
) -> FiguresAnswer:
    """``/export [periode] [pdf]``: XLSX and CSV, or the council PDF; audit-logged."""
    if not actor.has(*TEAM_ROLES):
        return FiguresAnswer(notice=render("common/not_allowed"))
    period_text, fmt = split_export_arg(arg)
    computed = await _prepare(
        db, clock, actor, settings, period_text, with_series=fmt == "pdf", with_rows=True
    )
    if isinstance(computed, str):
        return FiguresAnswer(notice=computed)
    async with db.transaction() as session:
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.FIGURES_EXPORT,
            result=AuditResult.OK,
            actor_telegram_id=actor.telegram_user_id,
            actor_staff_id=actor.staff_id,
            object=f"team:{actor.team_id}:{computed.report.period.name}:{fmt}",
            chat_type=AuditChannel.PRIVATE,
        )
    return FiguresAnswer(documents=documents(computed, fmt))


def documents(computed: Computed, fmt: str) -> list[Document | Callable[[], Document]]:
    """The files of an export: the council PDF, or the XLSX and the CSV."""
    name = f"cijfers-{computed.report.period.name}"
    caption = render("figures/export_caption", report=computed.report)
    if fmt == "pdf":
        return [partial(_pdf, computed, f"{name}.pdf", caption)]
    return [
        partial(_xlsx, computed, f"{name}.xlsx", caption),
        Document(files.csv_bytes(computed.report), f"{name}.csv", caption),
    ]


def _xlsx(computed: Computed, filename: str, caption: str) -> Document:
    data = files.xlsx(computed.report, computed.rows, computed.headers)
    return Document(data, filename, caption)


def _pdf(computed: Computed, filename: str, caption: str) -> Document:
    charts = render_all(computed.chart_data, computed.labels)
    return Document(council_pdf(computed.report, charts), filename, caption)


async def export_cli(
    db: Database,
    clock: Clock,
    settings: TeamSettings,
    *,
    team_name: str,
    period_text: str,
    fmt: str,
) -> tuple[Document | None, str]:
    """``python -m bot export``: the file, or ``None`` and the Dutch reason."""
    today = local_today(clock)
    try:
        period = parse_period(period_text, today)
    except PeriodProblem as problem:
        return None, render("figures/period_problem", code=problem.code, **problem.values)
    async with db.transaction() as session:
        team = await teams.get_team_by_name(session, team_name)
        if team is None:
            return None, render("figures/no_team", team=team_name)
        await audit.record(
            session,
            at=clock.now(),
            action=AuditAction.FIGURES_EXPORT,
            result=AuditResult.OK,
            object=f"team:{team.id}:{period.name}:{fmt}",
            chat_type=AuditChannel.CLI,
        )
        team_id = team.id
    with bulk_rows():
        load = await load_caseload(db, clock, team_id, period, today)
        computed = compute(
            load, period, today, settings, team_name=team_name, scope="team",
            with_series=fmt == "pdf",
        )  # fmt: skip
    if fmt == "csv":
        data = files.csv_bytes(computed.report)
        return Document(data, f"cijfers-{period.name}.csv"), ""
    if fmt == "pdf":
        return _pdf(computed, f"cijfers-{period.name}.pdf", ""), ""
    return _xlsx(computed, f"cijfers-{period.name}.xlsx", ""), ""
