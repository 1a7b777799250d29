"""Shared steps for the case log handler tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.config import Config, parse_config
from bot.transport import BotCall, LocalUser
from storage.models import AuditEntry, CaseItem, Client, ClientEvent, FormSession, Vacancy
from tests.support.harness import BotHarness, button, texts


class Errors:
    """Collects every exception a handler raised (PTB hands them to error handlers)."""

    def __init__(self) -> None:
        self.seen: list[BaseException] = []

    async def __call__(self, update: object, context: Any) -> None:
        if context.error is not None:
            self.seen.append(context.error)


def watch_errors(bot: BotHarness) -> Errors:
    """Record handler exceptions of ``bot``."""
    errors = Errors()
    bot.application.add_error_handler(errors)
    return errors


def last_text(calls: list[BotCall]) -> str:
    """The last message text sent."""
    sent = texts(calls)
    assert sent, f"no message in {[c.method for c in calls]}"
    return sent[-1]


async def tap(bot: BotHarness, user: LocalUser, calls: list[BotCall], label: str) -> list[BotCall]:
    """Tap the button labelled ``label`` among ``calls``."""
    return await bot.driver.tap(user, button(calls, label))


async def intake(
    bot: BotHarness, user: LocalUser, ref: str = "C-10234", note: str | None = "Goed gesprek"
) -> list[BotCall]:
    """Walk /aanmelding to the saved confirmation."""
    calls = await bot.driver.text(user, f"/aanmelding {ref}")
    calls = await tap(bot, user, calls, "Vandaag")
    calls = await tap(bot, user, calls, "ja")
    calls = await tap(bot, user, calls, "Weet ik nog niet")
    calls = await tap(bot, user, calls, "jongere <27")
    calls = await tap(bot, user, calls, "Klaar")
    calls = await tap(bot, user, calls, "Werkfit")
    if note is None:
        calls = await tap(bot, user, calls, "Geen notitie")
    else:
        calls = await bot.driver.text(user, note)
    return await tap(bot, user, calls, "Opslaan")


async def count(bot: BotHarness, model: Any, *where: Any) -> int:
    """Rows of ``model`` matching ``where``."""
    async with bot.runtime.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def stored_rows(bot: BotHarness) -> dict[str, int]:
    """How many rows the case log tables hold (to show nothing was half-saved)."""
    return {
        "clients": await count(bot, Client),
        "items": await count(bot, CaseItem),
        "events": await count(bot, ClientEvent),
        "vacancies": await count(bot, Vacancy),
    }


async def form_state(bot: BotHarness, user: LocalUser) -> tuple[str, str, dict[str, Any]] | None:
    """(form, step, data) of the user's open form."""
    async with bot.runtime.db.transaction() as session:
        row = await session.get(FormSession, user.id)
        return (row.form, row.step, dict(row.data)) if row else None


async def audit_actions(bot: BotHarness) -> list[tuple[str, str | None, str]]:
    """(action, object, result) of every audit row, oldest first."""
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(r.action, r.object, r.result) for r in rows]


#: The traject engine's tests follow Midden-Drenthe's taalstage (3 months, at most two
#: extensions, 9 months in all, 003:L423) and werkstage (3 months, one extension, 003:L419)
#: through the config's own ``[trajecten]`` table: the default profile's are Dalfsen's (a
#: taalstage of at most six months, 001:L156; no werkstage limit), which the profile tests cover.
STAGES_003 = {
    "instruments": {
        "werkstage": {
            "usual_months": 3,
            "max_months": 6,
            "max_extensions": 1,
            "extension_requires": "alleen in uitzonderlijke situaties, zoals ziekte",
            "seed": "003:L419",
        },
        "taalstage": {
            "usual_months": 3,
            "max_months": 9,
            "max_extensions": 2,
            "extension_requires": "een evaluatie van de leerdoelen",
            "seed": "003:L423",
        },
    }
}


def stages_003_config() -> Config:
    """Two teams on the default profile, with Midden-Drenthe's werkstage and taalstage."""
    teams = [{"name": "Team Werk"}, {"name": "Team Zorg"}]
    return parse_config({"teams": teams, "trajecten": STAGES_003}, {})
