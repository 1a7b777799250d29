"""Time per update of the everyday commands, as ratios to a bare echo bot and to ``SELECT 1``.

A whole bot on the local transport (as in the tests) with a team of 400 and of 10,000 clients,
seeded with bulk inserts: 20 consulenten own the clients in turn, every client has an open
participatiecontact deadline and half of them a case item. Each round sends every measured update
once, interleaved with a bare python-telegram-bot echo bot on its own local transport and with
one ``SELECT 1`` transaction on the same database, so machine noise hits all of them alike.

Prints p50 and p99 (ms) per update and the p50 ratio to the echo bot and to ``SELECT 1``; the
goals of issue 15 (``/help`` ≤ 3×, reads ≤ 10×, writes and form steps ≤ 15× the echo bot at 400
clients; at 10,000 within 1.5× of 400). Not a test. ``LATENCY_ROUNDS`` sets the rounds (30).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time as timer
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text
from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot import profiles
from bot.app import LOCAL_TOKEN
from bot.caselog.rules import reference_key
from bot.core.roles import Role
from bot.transport import BotCall, LocalDriver, LocalTransport, LocalUser
from storage import audit
from storage.models import CaseItem, Client, Deadline, Staff, Team
from tests.support.harness import BotHarness

ROUNDS = int(os.environ.get("LATENCY_ROUNDS", "30"))
CONSULENTEN = 20
NOW = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)

#: What each measured update is, for the goals: "none" shows no client data.
KINDS = {
    "/help": "none",
    "/client": "read",
    "/mijn": "read",
    "/termijnen (consulent)": "read",
    "/termijnen (teamleider)": "read",
    "/agenda": "read",
    "/succes REF tekst": "write",
    "chat text": "write",
    "chat tap": "write",
    "form step": "write",
}
GOAL = {"none": 3.0, "read": 10.0, "write": 15.0}

#: Category codes from the default profile (codes belong to the profiles, not to this script):
#: one whose clients get participatiecontacts and one whose clients do not.
PARTICIPATION_CATEGORY = next(
    c.code for c in profiles.default().categories if c.participation_contact
)
OTHER_CATEGORY = next(c.code for c in profiles.default().categories if not c.participation_contact)


async def seed(bot: BotHarness, clients: int) -> tuple[list[LocalUser], LocalUser, list[str]]:
    """Consulenten, a teamleider and ``clients`` clients with deadlines, in bulk inserts."""
    consulenten = [await bot.staff(Role.CONSULENT, name=f"C{n}") for n in range(CONSULENTEN)]
    lead = await bot.staff(Role.TEAMLEIDER, name="TL")
    refs = [f"C-{n:05d}" for n in range(clients)]
    async with bot.runtime.db.transaction() as session:
        audit.summarised(session)  # a seed, not a use case: no audit row per bulk insert
        team_id = (
            await session.execute(select(Team.id).where(Team.name == "Team Werk"))
        ).scalar_one()
        staff_ids = [
            (
                await session.execute(select(Staff.id).where(Staff.telegram_user_id == u.id))
            ).scalar_one()
            for u in consulenten
        ]
        await session.execute(
            insert(Client),
            [
                {
                    "team_id": team_id, "ref": ref, "ref_key": reference_key(ref),
                    "owner_staff_id": staff_ids[n % CONSULENTEN], "category": OTHER_CATEGORY,
                    "tags": [], "status": "actief", "entered_on": date(2025, 1, 1),
                    "created_at": NOW, "updated_at": NOW,
                }
                for n, ref in enumerate(refs)
            ],
        )  # fmt: skip
        client_ids = (
            (
                await session.execute(
                    select(Client.id).where(Client.team_id == team_id).order_by(Client.id)
                )
            )
            .scalars()
            .all()
        )
        await session.execute(
            insert(Deadline),
            [
                {
                    "team_id": team_id, "client_id": cid, "kind": "participation_contact",
                    "due_date": date(2026, 3, 3) + timedelta(days=n % 365),
                    "owner_staff_id": staff_ids[n % CONSULENTEN], "status": "open",
                    "source_type": "client", "source_id": cid, "postponements": 0,
                    "created_at": NOW,
                }
                for n, cid in enumerate(client_ids)
            ],
        )  # fmt: skip
        await session.execute(
            insert(CaseItem),
            [
                {
                    "team_id": team_id, "client_id": cid,
                    "author_staff_id": staff_ids[n % CONSULENTEN], "kind": "note",
                    "text": "gesprek gehad", "data": {},
                    "created_at": NOW - timedelta(days=n % 30),
                    "agenda_status": "pending",
                }
                for n, cid in enumerate(client_ids[::2])
            ],
        )  # fmt: skip
    return consulenten, lead, refs


async def echo_bot() -> tuple[Application[Any, Any, Any, Any, Any, Any], LocalDriver]:
    """A bare PTB bot that echoes text, on its own local transport."""
    transport = LocalTransport()
    app = (
        Application.builder()
        .token(LOCAL_TOKEN)
        .request(transport)
        .get_updates_request(transport)
        .build()
    )

    async def echo(update: Update, _context: Any) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    return app, LocalDriver(app, transport)


def button_data(calls: list[BotCall]) -> str:
    for call in calls:
        for _label, data in call.buttons:
            return data
    raise RuntimeError(f"no button in {[c.text[:80] for c in calls]}")


async def measure(clients: int) -> dict[str, list[float]]:
    """Samples (seconds) per update, ``ROUNDS`` interleaved rounds."""
    folder = Path(tempfile.mkdtemp(prefix="latency-"))
    bot = await BotHarness.start(folder)
    consulenten, lead, refs = await seed(bot, clients)
    me = consulenten[0]
    mine = refs[0]
    echo_app, echo = await echo_bot()
    echo_user = LocalUser(1, "echo")
    counter = itertools.count()
    d = bot.driver

    async def select_one() -> None:
        async with bot.runtime.db.transaction() as session:
            await session.execute(text("SELECT 1"))

    async def chat_pair() -> tuple[float, float]:
        started = timer.perf_counter()
        calls = await d.text(me, f"{mine} heeft gebeld over werk")
        middle = timer.perf_counter()
        await d.tap(me, button_data(calls))
        ended = timer.perf_counter()
        await d.text(me, "/annuleer")
        return middle - started, ended - middle

    async def form_step() -> float:
        await d.text(me, "/aanmelding")
        started = timer.perf_counter()
        await d.text(me, f"N-{next(counter):05d}")
        ended = timer.perf_counter()
        await d.text(me, "/annuleer")
        return ended - started

    plain: dict[str, Callable[[], Awaitable[Any]]] = {
        "echo": lambda: echo.text(echo_user, "hallo"),
        "SELECT 1": select_one,
        "/help": lambda: d.text(me, "/help"),
        "/client": lambda: d.text(me, f"/client {mine}"),
        "/mijn": lambda: d.text(me, "/mijn"),
        "/termijnen (consulent)": lambda: d.text(me, "/termijnen"),
        "/termijnen (teamleider)": lambda: d.text(lead, "/termijnen"),
        "/agenda": lambda: d.text(lead, "/agenda"),
        "/succes REF tekst": lambda: d.text(me, f"/succes {mine} contract getekend"),
    }
    samples: dict[str, list[float]] = {
        name: [] for name in [*plain, "chat text", "chat tap", "form step"]
    }
    for warmup in (True, False):
        for _ in range(3 if warmup else ROUNDS):
            for name, action in plain.items():
                started = timer.perf_counter()
                await action()
                if not warmup:
                    samples[name].append(timer.perf_counter() - started)
            chat, tap = await chat_pair()
            step = await form_step()
            if not warmup:
                samples["chat text"].append(chat)
                samples["chat tap"].append(tap)
                samples["form step"].append(step)
    await echo_app.shutdown()
    await bot.stop()
    return samples


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(
    clients: int, samples: dict[str, list[float]], base: dict[str, float] | None
) -> dict[str, float]:
    echo = statistics.median(samples["echo"])
    one = statistics.median(samples["SELECT 1"])
    print(
        f"\n{clients:,} clients, {ROUNDS} rounds; "
        f"echo p50 {echo * 1000:.3f} ms, SELECT 1 p50 {one * 1000:.3f} ms"
    )
    print(f"{'update':26} {'p50 ms':>8} {'p99 ms':>8} {'×echo':>7} {'×SEL1':>7}  goal")
    medians: dict[str, float] = {}
    for name, kind in KINDS.items():
        median = statistics.median(samples[name])
        medians[name] = median
        ratio = median / echo
        verdict = f"≤{GOAL[kind]:.0f}× {'met' if ratio <= GOAL[kind] else 'NOT met'}"
        if base is not None:
            growth = median / base[name]
            verdict += f"; {growth:.2f}× of 400 {'met' if growth <= 1.5 else 'NOT met'}"
        print(
            f"{name:26} {median * 1000:8.2f} {p(samples[name], 0.99) * 1000:8.2f} "
            f"{ratio:7.1f} {median / one:7.1f}  {verdict}"
        )
    return medians


async def main() -> None:
    # Each size in its own task: who acts (audit context) in one database stays out of the other.
    base = report(400, await asyncio.create_task(measure(400)), None)
    report(10_000, await asyncio.create_task(measure(10_000)), base)


if __name__ == "__main__":
    asyncio.run(main())
