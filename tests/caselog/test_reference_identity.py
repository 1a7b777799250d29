"""Defect 9.13: one client per reference, however it is spelled; a surname is no reference."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Connection, select, text

from bot.caselog.references import BadReference, ReferenceRule, validate
from bot.caselog.rules import key_without_prefix, reference_display, reference_key
from bot.core.roles import Role
from storage.db import Database, alembic_config, create_engine
from storage.models import Client
from tests.support.caselog import count, intake
from tests.support.harness import BotHarness, only_text

SAME = [
    ("C-10234", "C10234"),
    ("c-10234", "C10234"),
    ("C10234", "C10234"),
    ("C\u201310234", "C10234"),  # en dash
    ("C\u221210234", "C10234"),  # minus sign
    ("\uff23\uff0d\uff11\uff10\uff12\uff13\uff14", "C10234"),  # fullwidth
    ("\u212a-10234", "K10234"),  # Kelvin sign
    ("K-10234", "K10234"),
    ("\u0130-10234", "I10234"),  # dotted capital I
    ("I-10234", "I10234"),
    ("C-10\u200b234", "C10234"),  # zero-width space inside
]


@pytest.mark.parametrize(("typed", "key"), SAME)
def test_one_canonical_key(typed: str, key: str) -> None:
    assert reference_key(typed) == key
    assert reference_key(validate(typed, ReferenceRule())) == key


def test_display_keeps_the_spelling_of_the_team() -> None:
    assert reference_display(" c-10234 ") == "C-10234"
    assert reference_display("c10234") == "C10234"
    assert reference_display("\u212a-1") == "K-1"


def test_prefix_is_optional_only_before_a_number() -> None:
    assert key_without_prefix("C10234") == "10234"
    assert key_without_prefix("10234") == "10234"
    assert key_without_prefix("AB12C") == "12C"
    assert key_without_prefix("ABC") == "ABC"


def test_non_ascii_letters_are_refused() -> None:
    # Cyrillic С, Ø, Greek Omega: no ASCII letter underneath, so no reference.
    for typed in ("\u0421-10234", "\u00d8-10234", "\u03a9-1234"):
        with pytest.raises(BadReference, match="format"):
            validate(typed, ReferenceRule())
    # A letter with an accent is that letter.
    assert validate("\u00c7-10234", ReferenceRule()) == "C-10234"


async def test_surname_is_no_reference(bot: BotHarness) -> None:
    me = await bot.staff(Role.CONSULENT)
    calls = await bot.driver.text(me, "/aanmelding Jansen")
    assert "geen geldige cliëntreferentie" in only_text(calls)
    assert await count(bot, Client) == 0


@pytest.mark.parametrize(
    "spellings",
    [
        ("C10234", "C-10234", "10234", "c\u201310234"),
        ("10234", "C10234"),
        ("\u212a-77", "K-77", "k77"),
        ("\u0130-78", "I-78"),
    ],
)
async def test_every_spelling_is_one_client(bot: BotHarness, spellings: tuple[str, ...]) -> None:
    me = await bot.staff(Role.CONSULENT)
    await intake(bot, me, spellings[0])
    for other in spellings[1:]:
        calls = await bot.driver.text(me, f"/aanmelding {other}")
        assert "al aangemeld" in only_text(calls) or "actief" in only_text(calls), other
        await bot.driver.text(me, "/annuleer")
        saved = only_text(await bot.driver.text(me, f"/succes {other} belt morgen"))
        assert f"Succes opgeslagen voor <b>{reference_display(spellings[0])}</b>" in saved, other
    assert await count(bot, Client) == 1
    async with bot.runtime.db.transaction() as session:
        (client,) = (await session.scalars(select(Client))).all()
    # Shown as first typed (folded and upper-case), compared on the key.
    assert client.ref == reference_display(spellings[0])
    assert client.ref_key == reference_key(spellings[0])


async def test_a_number_shared_by_two_prefixes_is_not_guessed(bot: BotHarness) -> None:
    me = await bot.staff(Role.CONSULENT)
    await intake(bot, me, "C-500")
    await intake(bot, me, "Z-500")
    assert await count(bot, Client) == 2
    calls = await bot.driver.text(me, "/succes 500 belt morgen")
    assert "Succes opgeslagen" not in " ".join(c.text for c in calls)


async def test_migration_backfills_the_key(database_url: str) -> None:
    db = Database(create_engine(database_url))

    def to(revision: str) -> object:
        def run(connection: Connection) -> None:
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)

        return run

    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(to("0005_merge_deadlines_weekdate"))
            await connection.execute(
                text("INSERT INTO teams (id, name, created_at) VALUES (1, 'T', CURRENT_TIMESTAMP)")
            )
            for row_id, ref in ((1, "C-10234"), (2, "C10234"), (3, "K-9")):
                await connection.execute(
                    text(
                        "INSERT INTO clients (id, team_id, ref, tags, status, created_at,"
                        " updated_at) VALUES (:id, 1, :ref, '[]', 'actief', CURRENT_TIMESTAMP,"
                        " CURRENT_TIMESTAMP)"
                    ),
                    {"id": row_id, "ref": ref},
                )
        async with db.engine.begin() as connection:
            await connection.run_sync(to("heads"))
            rows = await connection.execute(text("SELECT id, ref_key FROM clients ORDER BY id"))
            keys = [tuple(row) for row in rows]
        # The older of two clients with one key keeps it; the later stays reachable, apart.
        assert keys == [(1, "C10234"), (2, "C10234~2"), (3, "K9")]
    finally:
        await db.dispose()
