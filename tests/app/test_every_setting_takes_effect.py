"""Settings of config.example.toml that take effect: two values, two observable behaviours.

The [deadlines], [backup], [retention] and [privacy] sections and telegram.webhook.secret_token
have their own effect tests (see /work/tools/settings-rest-table.md for the whole map).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.app import build_application
from bot.caselog.catalog import CaselogConfig, choices
from bot.cli import _run_telegram, _runtime, webhook_arguments
from bot.config import (
    Config,
    TeamConfig,
    TelegramConfig,
    WebhookConfig,
    WeekdateConfig,
    parse_config,
)
from bot.core.clock import AMSTERDAM, FakeClock
from bot.core.roles import Role
from bot.deadlines.views import DEADLINE_BUTTONS
from bot.runtime import Runtime
from bot.transport import BotCall, LocalUser
from bot.webhook import WebhookWorker
from jobs.weekdate import DAILY_JOB
from storage import teams
from storage.db import Database, create_engine
from storage.models import Deadline
from tests.support import weekdate_seed as seed
from tests.support.caselog import intake, tap
from tests.support.harness import DEFAULT_START, BotHarness, button, only_text

STRANGER_TEXT = "Deze bot is alleen voor medewerkers. Vraag je teamleider om een uitnodiging."
TEAMS = (TeamConfig("Team Werk"),)


@pytest.mark.parametrize(
    ("token", "base_url", "base_file_url"),
    [
        ("111:AAA", "https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("222:BBB", "http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
    ],
)
async def test_telegram_token_base_url_and_base_file_url_build_the_bot(
    token: str, base_url: str, base_file_url: str
) -> None:
    telegram = TelegramConfig(token=token, base_url=base_url, base_file_url=base_file_url)
    config = Config(teams=TEAMS, telegram=telegram, database_url="sqlite+aiosqlite://")
    runtime = Runtime(
        config=config,
        clock=FakeClock(DEFAULT_START),
        db=Database(create_engine(config.database_url)),
    )
    try:
        bot = build_application(runtime, rate_limit=False).bot
        assert bot.token == token
        assert bot.base_url == f"{base_url}{token}"
        assert bot.base_file_url == f"{base_file_url}{token}"
    finally:
        await runtime.db.dispose()


@pytest.mark.parametrize(
    ("url", "listen", "port"),
    [
        ("https://bot.example.nl/hook", "127.0.0.1", 8443),
        ("https://andere.example.nl/x", "0.0.0.0", 9000),
    ],
)
def test_webhook_url_listen_and_port_start_the_webhook_server(
    url: str, listen: str, port: int
) -> None:
    hook = WebhookConfig(url=url, listen=listen, port=port, secret_token="s" * 32)
    config = Config(teams=TEAMS, telegram=TelegramConfig(mode="webhook", webhook=hook))
    arguments = webhook_arguments(config)
    assert (arguments["webhook_url"], arguments["listen"], arguments["port"]) == (url, listen, port)


@pytest.mark.parametrize(
    "url", ["sqlite+aiosqlite:///data/een.sqlite", "postgresql+asyncpg://u:pw@db.example/weekdate"]
)
async def test_database_url_is_the_engine_the_bot_uses(url: str) -> None:
    runtime = _runtime(Config(teams=TEAMS, database_url=url))
    try:
        assert runtime.db.engine.url.render_as_string(hide_password=False) == url
    finally:
        await runtime.db.dispose()


@pytest.mark.parametrize(("minutes", "expired"), [(5, True), (60, False)])
async def test_form_timeout_minutes_ends_a_silent_form(
    tmp_path: Path, minutes: int, expired: bool
) -> None:
    config = Config(teams=TEAMS, form_timeout_minutes=minutes)
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        leader = await bot.staff(Role.TEAMLEIDER)
        calls = await bot.driver.text(leader, "/uitnodigen")
        bot.clock.advance(timedelta(minutes=10))
        tapped = await bot.driver.tap(leader, button(calls, "consulent"))
        if expired:
            notices = [c.params.get("text", "") for c in tapped]
            assert any("gestopt na 5 minuten stilte" in str(n) for n in notices)
        else:
            assert "✓ consulent" in [label for c in tapped for label, _ in c.buttons]
    finally:
        await bot.stop()


@pytest.mark.parametrize(("hours", "refused"), [(2, True), (5, False)])
async def test_invitation_hours_is_how_long_a_code_is_valid(
    tmp_path: Path, hours: int, refused: bool
) -> None:
    bot = await BotHarness.start(tmp_path, config=Config(teams=TEAMS, invitation_hours=hours))
    try:
        leader = await bot.staff(Role.TEAMLEIDER)
        calls = await bot.driver.text(leader, "/uitnodigen")
        calls = await bot.driver.tap(leader, button(calls, "consulent"))
        text = only_text(await bot.driver.tap(leader, button(calls, "Klaar")))
        code = text.split("?start=")[1].split()[0]
        bot.clock.advance(timedelta(hours=3))
        reply = only_text(await bot.driver.text(bot.stranger(), f"/start {code}"))
        assert ("verlopen" in reply) is refused
        assert ("Welkom" in reply) is not refused
    finally:
        await bot.stop()


@pytest.mark.parametrize("admins", [(), (4242,)])
async def test_admins_are_admins_from_the_first_start(
    tmp_path: Path, admins: tuple[int, ...]
) -> None:
    bot = await BotHarness.start(tmp_path, config=Config(teams=TEAMS, admins=admins))
    try:
        reply = only_text(await bot.driver.text(LocalUser(4242, "Ada"), "/help"))
        if admins:
            assert reply != STRANGER_TEXT and "/uitnodigen" in reply
        else:
            assert reply == STRANGER_TEXT
    finally:
        await bot.stop()


async def _run_daily(bot: BotHarness) -> list[BotCall]:
    """Run the daily agenda job once and return what the bot sent."""
    queue = bot.application.job_queue
    assert queue is not None
    job = next(j for j in queue.jobs() if (j.name or "").startswith(DAILY_JOB))
    bot.transport.take()
    await job.run(bot.application)
    return bot.transport.take()


def _sent_to(calls: list[BotCall], chat_id: int) -> str:
    return "\n".join(
        c.text
        for c in calls
        if c.method in ("sendMessage", "editMessageText") and c.chat_id == chat_id
    )


@pytest.mark.parametrize("group_copy", [True, False])
async def test_weekdate_group_copy_posts_the_agenda_in_the_linked_group(
    tmp_path: Path, group_copy: bool
) -> None:
    config = Config(teams=TEAMS, weekdate=WeekdateConfig(group_copy=group_copy))
    clock = FakeClock(datetime(2026, 11, 23, 16, 0, tzinfo=AMSTERDAM))
    bot = await BotHarness.start(tmp_path, config=config, clock=clock)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        async with bot.runtime.db.transaction() as session:
            team = await teams.get_team_by_name(session, "Team Werk")
            assert team is not None
            await teams.link_group(session, team.id, -100500)
        calls = await _run_daily(bot)
        assert "Agenda weekdate" in _sent_to(calls, leader.id)
        assert ("Agenda weekdate" in _sent_to(calls, -100500)) is group_copy
    finally:
        await bot.stop()


@pytest.mark.parametrize("pdf", [True, False])
async def test_weekdate_pdf_sends_the_teamleider_the_agenda_as_a_document(
    tmp_path: Path, pdf: bool
) -> None:
    config = Config(teams=TEAMS, weekdate=WeekdateConfig(pdf=pdf))
    clock = FakeClock(datetime(2026, 11, 23, 16, 0, tzinfo=AMSTERDAM))
    bot = await BotHarness.start(tmp_path, config=config, clock=clock)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        calls = await _run_daily(bot)
        assert "Agenda weekdate" in _sent_to(calls, leader.id)
        documents = [c.chat_id for c in calls if c.method == "sendDocument"]
        assert documents == ([leader.id] if pdf else [])
    finally:
        await bot.stop()


@pytest.mark.parametrize(("days", "asked"), [(14, True), (7, False)])
async def test_weekdate_holiday_question_days_is_how_far_ahead_a_holiday_is_asked(
    tmp_path: Path, days: int, asked: bool
) -> None:
    # Monday 27 April 2026 (Koningsdag) is 10 days after Friday 17 April; the team meets Mondays.
    config = Config(
        teams=(TeamConfig("Team Werk", weekdate_weekday=0),),
        weekdate=WeekdateConfig(holiday_question_days=days),
    )
    clock = FakeClock(datetime(2026, 4, 17, 16, 0, tzinfo=AMSTERDAM))
    bot = await BotHarness.start(tmp_path, config=config, clock=clock)
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tara")
        calls = await _run_daily(bot)
        assert ("Koningsdag" in _sent_to(calls, leader.id)) is asked
    finally:
        await bot.stop()


@pytest.mark.parametrize(("days", "listed"), [(14, True), (7, False)])
async def test_caselog_edit_days_is_how_far_back_wijzig_reaches(
    tmp_path: Path, days: int, listed: bool
) -> None:
    config = Config(teams=TEAMS, caselog=CaselogConfig(edit_days=days))
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        author = await seed.staff_id(bot, consulent.id)
        cid = await seed.client(bot, "C-1001", owner=author)
        await seed.case_item(bot, "success", author=author, client_id=cid, text="Tien dagen oud")
        bot.clock.advance(timedelta(days=10))
        reply = only_text(await bot.driver.text(consulent, "/wijzig"))
        assert ("Tien dagen oud" in reply) is listed
        assert ("niets vastgelegd" in reply) is not listed
    finally:
        await bot.stop()


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_telegram_mode_chooses_polling_or_the_webhook_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    started: list[str] = []
    monkeypatch.setattr(Application, "run_polling", lambda self, **kw: started.append("polling"))

    async def serve(self: object, **kw: object) -> None:
        started.append("webhook")

    # Webhook mode runs our own server (answers after handling, behind the update gate).
    monkeypatch.setattr(WebhookWorker, "serve", serve)
    hook = WebhookConfig(url="https://bot.example.nl/hook", secret_token="s" * 32)
    config = Config(
        teams=TEAMS,
        telegram=TelegramConfig(token="111:AAA", mode=mode, webhook=hook),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite'}",
    )
    _run_telegram(config)
    assert started == [mode]


@pytest.mark.parametrize(
    ("zone", "day", "utc_hour"),
    [("Europe/Amsterdam", 23, 15), ("Europe/London", 23, 16), ("Asia/Tokyo", 24, 7)],
)
async def test_bot_timezone_is_where_the_agenda_time_is_read(
    tmp_path: Path, zone: str, day: int, utc_hour: int
) -> None:
    bot = await BotHarness.start(tmp_path, config=Config(teams=TEAMS, timezone=ZoneInfo(zone)))
    try:
        queue = bot.application.job_queue
        assert queue is not None
        daily = next(j for j in queue.jobs() if j.name == f"{DAILY_JOB}@16:00")
        # Monday 23 November 2026, 09:00 UTC: the next 16:00 local (Tokyo's is already past).
        now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        fire = daily.job.trigger.get_next_fire_time(None, now)
        assert fire == datetime(2026, 11, day, utc_hour, 0, tzinfo=UTC)
    finally:
        await bot.stop()


async def _choice_buttons(bot: BotHarness, user: LocalUser, steps: list[str]) -> list[str]:
    """The choices offered by the question reached through ``steps``: typed text, or ``tap:N``
    for the N-th button of the last question (Annuleren and Klaar are no choices)."""
    calls: list[BotCall] = []
    for step in steps:
        if step.startswith("tap:"):
            calls = await bot.driver.tap(user, calls[-1].buttons[int(step[4:])][1])
        else:
            calls = await bot.driver.text(user, step)
    return [label for label, _data in calls[-1].buttons if label not in ("Annuleren", "Klaar")]


@pytest.mark.parametrize(
    ("setting", "steps"),
    [
        ("categories", ["/categorie C-1001"]),
        ("instruments", ["/traject C-1001"]),
        ("branches", ["/vacature", "Bakkerij Jansen", "Verkoper"]),
        ("place_kinds", ["/vacature", "Bakkerij Jansen", "Verkoper", "tap:0", "20"]),
        ("subcategories", ["/categorie C-1001", "tap:0"]),
        # The intake: today, entitled "ja", benefit start "Weet ik nog niet", then the tags.
        ("tags", ["/aanmelding C-2002", "tap:0", "tap:0", "tap:0"]),
    ],
)
async def test_caselog_choice_lists_are_the_buttons_the_forms_offer(
    tmp_path: Path, setting: str, steps: list[str]
) -> None:
    mine = ["Eerste keuze", "Tweede keuze"]
    # A list given in [caselog] is the list; otherwise the team's profile adds its own.
    given_lists = ("categories", "subcategories", "instruments")
    given = {f"{setting}_given": True} if setting in given_lists else {}
    config = Config(teams=TEAMS, caselog=CaselogConfig(**{setting: choices(mine)}, **given))
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        await seed.client(bot, "C-1001", owner=await seed.staff_id(bot, consulent.id))
        offered = await _choice_buttons(bot, consulent, steps)
        assert offered[: len(mine)] == mine, offered
        assert len(offered) == len(mine), offered  # exactly the configured list, nothing else
    finally:
        await bot.stop()


@pytest.mark.parametrize(("agenda_time", "job"), [("16:00", "16:00"), ("12:30", "12:30")])
async def test_weekdate_agenda_time_is_when_the_daily_agenda_job_runs(
    tmp_path: Path, agenda_time: str, job: str
) -> None:
    hour, minute = (int(part) for part in agenda_time.split(":"))
    config = Config(teams=TEAMS, weekdate=WeekdateConfig(agenda_time=time(hour, minute)))
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        queue = bot.application.job_queue
        assert queue is not None
        assert f"{DAILY_JOB}@{job}" in {j.name for j in queue.jobs()}
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("team", "slot"),
    [
        (TeamConfig("Team Werk"), "dinsdag 03-03-2026 om 10:00 · 30 minuten"),
        (
            TeamConfig(
                "Team Werk", weekdate_weekday=3, weekdate_time=time(14, 15), weekdate_minutes=45
            ),
            "donderdag 05-03-2026 om 14:15 · 45 minuten",
        ),
    ],
)
async def test_teams_weekday_time_and_minutes_are_the_weekdate_slot(
    tmp_path: Path, team: TeamConfig, slot: str
) -> None:
    bot = await BotHarness.start(tmp_path, config=Config(teams=(team,)))
    try:
        leader = await bot.staff(Role.TEAMLEIDER, name="Tessa")
        assert slot in only_text(await bot.driver.text(leader, "/agenda"))
    finally:
        await bot.stop()


@pytest.mark.parametrize(("pattern", "accepted"), [(None, False), ("[A-Z]{3,16}", True)])
async def test_caselog_ref_pattern_is_what_counts_as_a_reference(
    tmp_path: Path, pattern: str | None, accepted: bool
) -> None:
    caselog = CaselogConfig() if pattern is None else CaselogConfig(ref_pattern=pattern)
    bot = await BotHarness.start(tmp_path, config=Config(teams=TEAMS, caselog=caselog))
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        reply = only_text(await bot.driver.text(consulent, "/aanmelding JANSEN"))
        assert ("Aanmelding JANSEN" in reply) is accepted, reply
    finally:
        await bot.stop()


def test_team_profile_takes_effect() -> None:
    """``[[teams]] profile``: the team's categories and their contact rhythm change with it
    (the whole-bot runs are in tests/profiles/test_quarters.py)."""
    from bot.config import parse_config
    from bot.settings import resolve

    def team(profile: str) -> tuple[list[str], tuple[int, int]]:
        config = parse_config({"teams": [{"name": "T", "profile": profile}]}, {})
        codes = [c.code for c in resolve(config, "T").caselog.categories]
        return codes, config.deadlines.contact_months(codes[2])

    assert team("dalfsen") == (["zorg", "meedoen", "werkfit"], (12, 12))
    assert team("steenwijkerland")[1] == (24, 24)  # Leren & ontwikkelen, 002:L766


def test_team_profile_overrides_take_effect() -> None:
    """``[teams.overrides]``: a team's own rule wins over its profile's."""
    from bot.config import parse_config
    from bot.profiles import meaning
    from bot.settings import resolve

    def handovers(overrides: dict[str, object]) -> frozenset[str]:
        team = {"name": "T", "overrides": overrides}
        return meaning.handover_categories(
            resolve(parse_config({"teams": [team]}, {}), "T").profile
        )

    assert handovers({}) == {"werkfit"}
    mine = {"categories": [{"code": "meedoen", "handover_to": "loopbaanbegeleider"}]}
    assert handovers(mine) == {"meedoen", "werkfit"}


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_logging_format_json_writes_one_json_object_per_line(log_format: str) -> None:
    import json
    import logging

    from bot.cli import configure_logging
    from bot.config import parse_config

    config = parse_config({"logging": {"format": log_format}}, {})
    root = logging.getLogger()
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Capture()
    saved = [(h, h.formatter) for h in root.handlers]
    root.addHandler(handler)
    try:
        configure_logging("INFO", config.log_format)
        logging.getLogger("bot.test").warning("lease taken by %s", "worker-1")
    finally:
        root.removeHandler(handler)
        for h, formatter in saved:
            h.setFormatter(formatter)
    (line,) = lines
    if log_format == "json":
        entry = json.loads(line)
        assert entry["message"] == "lease taken by worker-1"
        assert (entry["level"], entry["logger"]) == ("WARNING", "bot.test")
    else:
        assert line == "lease taken by worker-1"  # not JSON: the handler's own format


async def test_caselog_exit_reasons_are_the_buttons_of_uitstroom(tmp_path: Path) -> None:
    mine = choices(["werk", "pensioen", "detentie"])
    config = Config(teams=TEAMS, caselog=CaselogConfig(exit_reasons=mine, exit_reasons_given=True))
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        await seed.client(bot, "C-1001", owner=await seed.staff_id(bot, consulent.id))
        offered = await _choice_buttons(bot, consulent, ["/uitstroom C-1001"])
        assert offered == ["werk", "pensioen", "detentie"]
    finally:
        await bot.stop()


@pytest.mark.parametrize(("years", "next_due"), [(1, "3 maart 2028"), (3, "1 maart 2030")])
async def test_deadlines_wage_value_assessment_years_is_the_rhythm_after_the_first(
    tmp_path: Path, years: int, next_due: str
) -> None:
    from dataclasses import replace as changed

    from bot.deadlines.settings import DeadlinesConfig

    deadlines = changed(DeadlinesConfig(), wage_value_assessment_years=years)
    bot = await BotHarness.start(tmp_path, config=Config(teams=TEAMS, deadlines=deadlines))
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        lb = await bot.staff(Role.LOOPBAANBEGELEIDER, name="Lars")
        await seed.client(bot, "C-1001", owner=await seed.staff_id(bot, consulent.id))
        calls = await bot.driver.text(consulent, "/uitstroom C-1001")
        for label in ("werk", "Vandaag", "met loonkostensubsidie"):
            calls = await bot.driver.tap(consulent, button(calls, label))
        calls = await bot.driver.text(consulent, "20")
        calls = await bot.driver.tap(consulent, button(calls, "Geen notitie"))
        await bot.driver.tap(consulent, button(calls, "Opslaan"))
        # A year on, the LB does the first loonwaardemeting; the team's rhythm comes first
        # (3 March 2030 is a Sunday: the Friday before).
        bot.clock.set(datetime(2027, 3, 3, 9, 0, tzinfo=UTC))
        listing = await bot.driver.text(lb, "/termijnen")
        card = await bot.driver.tap(lb, button(listing, "1"))
        calls = await bot.driver.tap(lb, button(card, "Gedaan"))
        calls = await bot.driver.tap(lb, button(calls, "Vandaag"))
        offered = [label for label, _ in calls[-1].buttons]
        assert offered[0] == f"{years} jaar (teamafspraak)", offered
        calls = await bot.driver.tap(lb, calls[-1].buttons[0][1])
        assert next_due in only_text(calls)
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("team_rules", "button_label", "extension_refused"),
    [
        ({}, "03-06-2026 (3 maanden)", False),
        ({"taalstage": {"usual_months": 2, "max_extensions": 0}}, "03-05-2026 (2 maanden)", True),
    ],
)
async def test_trajecten_instrument_rules_fill_the_end_and_limit_extensions(
    tmp_path: Path, team_rules: dict[str, object], button_label: str, extension_refused: bool
) -> None:

    teams_table = [{"name": "Team Werk"}, {"name": "Team Zorg"}]
    config = parse_config(
        {"teams": teams_table, "trajecten": {"teams": {"Team Werk": team_rules}}}, {}
    )
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        await intake(bot, consulent, "C-1")
        calls = await bot.driver.text(consulent, "/traject C-1")
        calls = await tap(bot, consulent, calls, "taalstage")
        calls = await tap(bot, consulent, calls, "Vandaag")
        await tap(bot, consulent, calls, button_label)
        async with bot.runtime.db.transaction() as session:
            end = await session.scalar(select(Deadline).where(Deadline.kind == "trajectory_end"))
        assert end is not None
        calls = await bot.driver.tap(consulent, DEADLINE_BUTTONS.encode("done", end.id))
        calls = await tap(bot, consulent, calls, "Verlengd")
        # Five months in all: within the default profile's taalstage (six months, 001:L156).
        reply = only_text(await bot.driver.text(consulent, "1-8-2026"))
        assert ("Verlengen kan niet" in reply) is extension_refused, reply
    finally:
        await bot.stop()


@pytest.mark.parametrize(("seconds", "refused_within_a_second"), [(30, False), (0, True)])
async def test_bot_access_cache_seconds_is_how_long_a_change_elsewhere_may_go_unseen(
    tmp_path: Path, seconds: int, refused_within_a_second: bool
) -> None:
    config = Config(teams=TEAMS, access_cache_seconds=seconds)
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        consulent = await bot.staff(Role.CONSULENT, name="Anna")
        await bot.driver.text(consulent, "/help")
        # Another worker deactivates her (a plain connection: this process is not told).
        async with bot.runtime.db.engine.begin() as connection:
            await connection.exec_driver_sql(
                f"UPDATE staff SET active = false WHERE telegram_user_id = {consulent.id}"
            )
        bot.clock.advance(timedelta(seconds=1))
        reply = only_text(await bot.driver.text(consulent, "/help"))
        assert ("alleen voor medewerkers" in reply) is refused_within_a_second, reply
    finally:
        await bot.stop()


@pytest.mark.parametrize("holder", ["Ingrid", "Iris"])
async def test_role_holders_decide_who_gets_the_participation_contact(
    tmp_path: Path, holder: str
) -> None:
    """``[[teams]] role_holders``: the consulent Inkomen named there gets the yearly
    participation contact (004:L338), whoever holds the client."""
    from jobs.deadlines import sweep
    from tests.profiles.test_quarters import VOORSCHOTEN, _member
    from tests.support.deadlines import RecordingSender, make_client

    ids = {"Ingrid": 9102, "Iris": 9103}
    config = parse_config(
        {
            "teams": [
                {
                    "name": "Team Werk",
                    "profile": VOORSCHOTEN,
                    "role_holders": {"inkomensconsulent": [ids[holder]]},
                }
            ]
        },
        {},
    )
    bot = await BotHarness.start(tmp_path, config=config)
    try:
        wim = await _member(bot, 9101, "Wim", Role.CONSULENT)
        staff = {name: await _member(bot, tg, name, Role.CONSULENT) for name, tg in ids.items()}
        async with bot.runtime.db.transaction() as session:
            found = await teams.get_team_by_name(session, "Team Werk")
            assert found is not None
            await make_client(
                session,
                team_id=found.id,
                ref="C-81",
                owner_staff_id=wim,
                now=bot.clock.now(),
                category="participatie",
            )
        await sweep(bot.runtime, RecordingSender())
        async with bot.runtime.db.transaction() as session:
            owner = await session.scalar(
                select(Deadline.owner_staff_id).where(Deadline.kind == "participation_contact")
            )
        assert owner == staff[holder]
    finally:
        await bot.stop()
