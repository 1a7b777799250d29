"""The migration that adds tag periods turns existing clients' tags into periods starting on the
day they entered (or the day the row was made), so old data counts right at a peildatum."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, text

from storage.db import alembic_config, create_engine


async def test_existing_tags_become_periods(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite'}")

    def migrate(connection: Connection, target: str) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, target)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(migrate, "0009_i11_exemption_decision")
            await connection.execute(
                text("INSERT INTO teams (id, name, created_at) VALUES (1, 'T', '2025-01-01')")
            )
            for cid, tags, entered, created in (
                (1, '["statushouder", "nug", "nug"]', "2025-06-02", "2025-06-03 09:00:00"),
                (2, '["jongere_27"]', None, "2025-02-10 08:00:00"),
                (3, "[]", "2025-01-05", "2025-01-05 08:00:00"),
            ):
                await connection.execute(
                    text(
                        "INSERT INTO clients (id, team_id, ref, ref_key, tags, status, entered_on,"
                        " created_at, updated_at) VALUES (:id, 1, :ref, :ref, :tags, 'actief',"
                        " :entered, :created, :created)"
                    ),
                    {"id": cid, "ref": f"C-{cid}", "tags": tags, "entered": entered,
                     "created": created},
                )  # fmt: skip
        async with engine.begin() as connection:
            await connection.run_sync(migrate, "heads")
            rows = (
                await connection.execute(
                    text(
                        "SELECT client_id, tag, set_on, removed_on FROM client_tag_periods"
                        " ORDER BY client_id, tag"
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert [(r[0], r[1], str(r[2]), r[3]) for r in rows] == [
        (1, "nug", str(date(2025, 6, 2)), None),
        (1, "statushouder", str(date(2025, 6, 2)), None),
        (2, "jongere_27", str(date(2025, 2, 10)), None),
    ]
